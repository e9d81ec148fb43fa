import { and, asc, eq } from 'drizzle-orm';
import type { ActionContext, CardResponse } from '../../bot/handlers.js';
import { cardAction, command, roster } from '../../bot/declare.js';
import { PermissionError, UserError } from '../../bot/errors.js';
import type { Tx } from '../../db/client.js';
import type { Who } from '../../db/queries/roster.js';
import { auditLog, bulletinIssues, bulletinItems, bulletinItemSources, drafts, type Draft } from '../../db/schema/index.js';
import { draftFullCard, type HistoryLine } from '../../cards/draft-full.js';
import type { Card } from '../../cards/elements.js';
import { issueLabelFor } from '../../domain/desk/issues.js';
import { draftById, loadDraftView, nameOf } from '../../domain/drafts/views.js';
import { LIST_ACTIONS } from '../../cards/draft-lists.js';
import { draftSerial } from '../arg-schemas.js';

/** Who may read a draft whole: its author, its unit's reviewers, the research office and the leaders. */
export function mayView(who: Who, draft: Draft): boolean {
  return who.editor || who.leader || draft.authorOpenId === who.openId || who.reviewerUnits.some((u) => u.id === draft.unitId);
}

function requireMayView(who: Who, draft: Draft): void {
  if (!mayView(who, draft)) throw new PermissionError('只有作者本人、本单位组织委员、研究室和部领导可以查看这篇稿件。');
}

const ACTION_TEXT: Record<string, (r: typeof auditLog.$inferSelect) => string> = {
  submit: () => '提交审核',
  revise: (r) => `提交修改稿（第${Number(r.data?.revision ?? 0)}稿）`,
  approve: (r) => `审核通过（第${Number(r.data?.revision ?? 1)}稿）`,
  return: (r) => `退回修改：${r.reason ?? ''}`,
  withdraw: () => '撤回',
  'desk.adopt': (r) => `研究室采用，编入${r.data?.year}年第${r.data?.number}期第 ${r.data?.position} 条`,
  'desk.merge': (r) => `研究室合并采用为综合稿，编入${r.data?.year}年第${r.data?.number}期`,
  'desk.reserve': (r) => `存为备用：${r.reason ?? ''}`,
  'desk.reject': (r) => `不采用：${r.reason ?? ''}`,
};

export async function renderDraftFull(tx: Tx, who: Who, draft: Draft, timezone: string): Promise<Card> {
  const view = await loadDraftView(tx, draft.id);
  const rows = await tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'draft'), eq(auditLog.entityId, String(draft.id))))
    .orderBy(asc(auditLog.id));
  const history: HistoryLine[] = [];
  for (const r of rows) {
    const text = ACTION_TEXT[r.action]?.(r);
    if (text) history.push({ at: r.at, actorName: await nameOf(tx, r.actor), text });
  }
  const [src] = await tx
    .select({ item: bulletinItems, issue: bulletinIssues })
    .from(bulletinItemSources)
    .innerJoin(bulletinItems, eq(bulletinItems.id, bulletinItemSources.itemId))
    .innerJoin(bulletinIssues, eq(bulletinIssues.id, bulletinItems.issueId))
    .where(eq(bulletinItemSources.draftId, draft.id));
  return draftFullCard({
    view,
    history,
    item: src ? { label: `${await issueLabelFor(tx, src.issue)}第 ${src.item.position} 条`, title: src.item.title, body: src.item.body, version: src.item.version, editorNote: src.item.editorNote } : undefined,
    canEndorse: who.leader && (draft.state === 'adopted' || draft.state === 'approved'),
    canGetOriginal: who.editor || who.reviewerUnits.some((u) => u.id === draft.unitId),
    timezone,
  });
}

// Strangers learn nothing, not even whether a serial exists; who may read this draft is requireMayView's.
const MAY_VIEW = roster('查看稿件');

/** `查看 2026-0137`: the whole draft to those allowed to read it. */
export const viewCommand = command({
  name: '查看',
  summary: '阅读一篇稿件的全文、预审提示和经历（本人、本单位组织委员、研究室、部领导）',
  usage: '查看 2026-0137',
  example: (c) => `查看 ${c.year}-0001`,
  audience: ['officer', 'reviewer', 'editor', 'leader'],
  allow: MAY_VIEW,
  args: draftSerial('请写成“查看 稿件编号”，例如：查看 2026-0137。'),
  async run(ctx, serial) {
    const [draft] = await ctx.tx.select().from(drafts).where(eq(drafts.serial, serial));
    if (!draft) throw new UserError(`没有编号为 ${serial} 的稿件。`);
    requireMayView(ctx.who, draft);
    await ctx.reply(await renderDraftFull(ctx.tx, ctx.who, draft, ctx.deps.config.timezone));
    ctx.log.info({ serial }, 'draft viewed');
  },
});

/** A button's answer: the whole draft as a new card in the tapper's private chat, the tapped card as it is. */
export async function sendDraftFull(ctx: ActionContext, draft: Draft): Promise<CardResponse> {
  await ctx.out.sendCard({ openId: ctx.who.openId }, await renderDraftFull(ctx.tx, ctx.who, draft, ctx.deps.config.timezone));
  return { toast: { type: 'info', content: `已发送 ${draft.serial} 全文` } };
}

/** The same card as `查看 2026-0137`, sent to the tapper's private chat. */
export const draftViewAction = cardAction(LIST_ACTIONS.view, {
  allow: MAY_VIEW,
  privateChat: true,
  async run(ctx, { draftId }) {
    const draft = await draftById(ctx.tx, draftId);
    requireMayView(ctx.who, draft);
    return sendDraftFull(ctx, draft);
  },
});
