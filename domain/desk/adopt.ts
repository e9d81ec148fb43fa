import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { UserError } from '../../bot/errors.js';
import type { Tx } from '../../db/client.js';
import {
  bulletinItems,
  bulletinItemSources,
  draftDispositions,
  draftRevisions,
  drafts,
  units,
  type BulletinIssue,
  type BulletinItem,
  type Category,
  type Draft,
  type Publication,
} from '../../db/schema/index.js';
import { afterDraftChanged } from '../drafts/observers.js';
import { refreshReceipt } from '../drafts/receipt-progress.js';
import { transitionDraft } from '../drafts/transition.js';
import { touchIssue } from './editorial.js';
import { issueLabelFor, nextPosition, openIssue } from './issues.js';
import { targetPublication } from './publications.js';

/** Most drafts one 综合 item may combine: beyond this it is a report, not a bulletin item. */
export const MAX_MERGE = 8;

export type AdoptResult = { issue: BulletinIssue; publication: Publication; /** The issue as messages name it. */ label: string; item: BulletinItem; issueCreated: boolean; drafts: Draft[]; voided: boolean };

/**
 * Adopts one draft, or merges several (possibly from several units) into one 综合 item, at the end
 * of the publication's open issue (opening its next number if none is open). Approved drafts, and
 * drafts kept in reserve (备用), may be adopted. `publicationId` may be left out only when one
 * publication is configured.
 */
export async function adoptDrafts(ctx: UnitOfWork, o: { draftIds: number[]; title?: string; actor: string; publicationId?: number }): Promise<AdoptResult> {
  const ids = [...new Set(o.draftIds)].sort((a, b) => a - b);
  if (!ids.length) throw new UserError('请选择要采用的稿件。');
  const merged = ids.length > 1;
  if (merged && ids.length > MAX_MERGE) throw new UserError(`一条综合稿最多合并 ${MAX_MERGE} 篇。`);
  const title = o.title?.trim();
  if (merged && !title) throw new UserError('请填写综合稿的标题。');
  const now = ctx.deps.clock.now();
  const publication = await targetPublication(ctx.tx, o.publicationId);
  const { issue, created } = await openIssue(ctx.tx, { publicationId: publication.id, actor: o.actor, now, timezone: ctx.deps.config.timezone });

  const rows = await ctx.tx
    .select({ draft: drafts, unitName: units.name, body: draftRevisions.body })
    .from(drafts)
    .innerJoin(units, eq(units.id, drafts.unitId))
    .innerJoin(draftRevisions, and(eq(draftRevisions.draftId, drafts.id), eq(draftRevisions.revision, drafts.currentRevision)))
    .where(inArray(drafts.id, ids));
  if (rows.length !== ids.length) throw new UserError('找不到所选的稿件，请刷新待编稿件。');
  const byId = new Map(rows.map((r) => [r.draft.id, r]));
  const ordered = ids.map((id) => byId.get(id)!);

  const position = await nextPosition(ctx.tx, issue.id);
  const adopted: Draft[] = [];
  for (const r of ordered) {
    const from = await adoptableFrom(ctx.tx, r.draft);
    const { draft } = await transitionDraft(ctx.tx, {
      draftId: r.draft.id,
      from: [from],
      to: 'adopted',
      actor: o.actor,
      action: merged ? 'desk.merge' : 'desk.adopt',
      at: now,
      data: { issueId: issue.id, publication: publication.name, year: issue.year, number: issue.number, position, merged: merged ? ids : undefined },
    });
    await afterDraftChanged(ctx, draft);
    adopted.push(draft);
  }

  const categories = new Set<Category>(ordered.map((r) => r.draft.category));
  const [item] = await ctx.tx
    .insert(bulletinItems)
    .values({
      issueId: issue.id,
      position,
      kind: merged ? 'merged' : 'single',
      category: categories.size === 1 ? [...categories][0]! : '组工信息',
      title: merged ? title! : (title || ordered[0]!.draft.title),
      body: merged ? ordered.map((r) => r.body).join('\n') : ordered[0]!.body,
      adoptedAt: now,
      adoptedBy: o.actor,
    })
    .returning();
  await ctx.tx.insert(bulletinItemSources).values(ordered.map((r) => ({ itemId: item!.id, draftId: r.draft.id, unitId: r.draft.unitId })));
  const { voided } = await touchIssue(ctx.tx, { issueId: issue.id, actor: o.actor, now, what: `新增第${position}条` });

  const label = await issueLabelFor(ctx.tx, issue);
  for (const d of adopted) {
    await ctx.notify({ openId: d.authorOpenId }, { kind: 'draft.adopted', draft: d, issueLabel: label, position, merged, itemTitle: item!.title });
    await refreshReceipt(ctx, d.id);
  }
  ctx.deps.log.info({ serials: adopted.map((d) => d.serial), issue: label, position }, 'drafts adopted');
  return { issue, publication, label, item: item!, issueCreated: created, drafts: adopted, voided };
}

/** The state a draft may be adopted from, or a clear refusal. */
async function adoptableFrom(tx: Tx, d: Draft): Promise<'approved' | 'archived'> {
  if (d.state === 'approved') return 'approved';
  if (d.state === 'archived') {
    const [last] = await tx.select().from(draftDispositions).where(eq(draftDispositions.draftId, d.id)).orderBy(desc(draftDispositions.id)).limit(1);
    if (last?.disposition === 'reserve') return 'archived';
    throw new UserError(`稿件 ${d.serial} 已标记为不采用，不能再采用。`, 'user:conflict');
  }
  if (d.state === 'adopted') throw new UserError(`稿件 ${d.serial} 已被采用，本次操作未生效。`, 'user:conflict');
  throw new UserError(`稿件 ${d.serial} 尚未通过审核，不能采用。`, 'user:conflict');
}
