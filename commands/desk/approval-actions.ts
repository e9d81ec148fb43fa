import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { anyone, cardAction } from '../../bot/declare.js';
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { APPROVAL_ACTIONS, APPROVAL_PURPOSE, approvalCard, postedBulletinCard } from '../../cards/bulletin-approval.js';
import type { Card } from '../../cards/elements.js';
import type { Tx } from '../../db/client.js';
import { cardMessages, type BulletinApproval } from '../../db/schema/index.js';
import { decideApproval, type ApprovalDecision } from '../../domain/ranking/approval.js';
import { nameOf } from '../../domain/drafts/views.js';

const TOASTS: Record<ApprovalDecision['kind'], string> = {
  approve: '已审定，通报已发送到工作群',
  hold: '已暂缓，不会发送到工作群；需要时在此卡片上点“审定发布”',
  comment: '点评已保存，将印在通报末尾；审定发布后发送',
};

async function decide(ctx: ActionContext, id: number, kind: ApprovalDecision['kind']) {
  const decision: ApprovalDecision = kind === 'comment' ? { kind, comment: String(ctx.event.formValue?.comment ?? '') } : { kind };
  const row = await decideApproval(ctx.tx, ctx.deps, { id, who: ctx.who, decision });
  if (kind === 'approve') await ctx.out.sendCard({ chatId: row.groupChatId }, postedBulletinCard(row.card as unknown as Card, row.comment));
  const tz = ctx.deps.config.timezone;
  // Every approver holds a copy of the preview; the tapped one is answered with the card below.
  const card = await renderApproval(ctx.tx, row, tz);
  for (const c of await approvalCopies(ctx.tx, row, ctx.event.openMessageId)) await ctx.out.patchCard(c.id, card);
  ctx.log.info({ approval: row.id, decision: kind }, 'bulletin approval decided');
  return { toast: { type: 'success' as const, content: TOASTS[kind] }, card };
}

async function renderApproval(tx: Tx, row: BulletinApproval, timezone: string): Promise<Card> {
  return approvalCard(row, { timezone, deciderName: row.decidedBy ? await nameOf(tx, row.decidedBy) : undefined });
}

function approvalCopies(tx: Tx, row: BulletinApproval, exceptMessageId: string | undefined) {
  return tx
    .select({ id: cardMessages.id })
    .from(cardMessages)
    .where(
      and(
        eq(cardMessages.purpose, APPROVAL_PURPOSE),
        eq(cardMessages.entityId, String(row.id)),
        ...(exceptMessageId ? [or(isNull(cardMessages.messageId), ne(cardMessages.messageId, exceptMessageId))] : []),
      ),
    );
}

// Who approves depends on BULLETIN_APPROVAL (the research office, or also the signers), so
// decideApproval refuses everyone else with the sentence for the configured mode.
export const approvalActions: CardAction[] = [
  cardAction(APPROVAL_ACTIONS.approve, { allow: anyone, run: (ctx, { id }) => decide(ctx, id, 'approve') }),
  cardAction(APPROVAL_ACTIONS.hold, { allow: anyone, run: (ctx, { id }) => decide(ctx, id, 'hold') }),
  cardAction(APPROVAL_ACTIONS.comment, { allow: anyone, run: (ctx, { id }) => decide(ctx, id, 'comment') }),
];
