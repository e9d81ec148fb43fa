import { desc, eq } from 'drizzle-orm';
import { UserError } from '../../bot/errors.js';
import { draftDispositions, type Disposition, type Draft } from '../../db/schema/index.js';
import { afterDraftChanged } from '../drafts/observers.js';
import { refreshReceipt } from '../drafts/receipt-progress.js';
import { transitionDraft } from '../drafts/transition.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { draftById } from '../drafts/views.js';

export const DISPOSITION_LABELS: Record<Disposition, string> = { reserve: '备用', rejected: '不采用' };

/**
 * Not adopted, with a reason: archived as 备用 (kept in reserve, may still be adopted) or 不采用.
 * A draft in reserve may later be marked 不采用; the disposition rows keep the history.
 */
export async function declineDraft(ctx: UnitOfWork, o: { draftId: number; disposition: Disposition; reason: string; actor: string }): Promise<Draft> {
  const reason = o.reason.trim();
  if (!reason) throw new UserError('请填写不采用的原因。');
  if (reason.length > 500) throw new UserError('原因请控制在500字以内。');
  const current = await draftById(ctx.tx, o.draftId);
  if (current.state === 'archived') {
    const [last] = await ctx.tx.select().from(draftDispositions).where(eq(draftDispositions.draftId, o.draftId)).orderBy(desc(draftDispositions.id)).limit(1);
    if (last?.disposition !== 'reserve' || o.disposition !== 'rejected') {
      throw new UserError(`稿件 ${current.serial} 已列为“${DISPOSITION_LABELS[last?.disposition ?? 'rejected']}”，本次操作未生效。`, 'user:conflict');
    }
  }
  const now = ctx.deps.clock.now();
  const { draft, previous } = await transitionDraft(ctx.tx, {
    draftId: o.draftId,
    from: current.state === 'archived' ? ['archived'] : ['approved'],
    to: 'archived',
    actor: o.actor,
    action: o.disposition === 'reserve' ? 'desk.reserve' : 'desk.reject',
    at: now,
    reason,
    data: { disposition: o.disposition },
  });
  await ctx.tx.insert(draftDispositions).values({ draftId: draft.id, disposition: o.disposition, reason, decidedAt: now, decidedBy: o.actor });
  if (previous.state !== draft.state) await afterDraftChanged(ctx, draft);
  await refreshReceipt(ctx, draft.id);
  await ctx.notify({ openId: draft.authorOpenId }, { kind: 'draft.declined', draft, disposition: DISPOSITION_LABELS[o.disposition], reason });
  ctx.deps.log.info({ serial: draft.serial, disposition: o.disposition }, 'draft declined');
  return draft;
}
