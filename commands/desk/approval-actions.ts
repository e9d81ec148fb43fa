import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { anyone, cardAction } from '../../bot/declare.js';
import { APPROVAL_ACTIONS } from '../../cards/bulletin-approval.js';
import { decideApproval, patchApprovalCards, renderApproval, type ApprovalDecision } from '../../domain/ranking/approval.js';

const TOASTS: Record<ApprovalDecision['kind'], string> = {
  approve: '已审定，通报已发送到工作群',
  hold: '已暂缓，不会发送到工作群；需要时在此卡片上点“审定发布”',
  comment: '点评已保存，将印在通报末尾；审定发布后发送',
};

async function decide(ctx: ActionContext, id: number, kind: ApprovalDecision['kind']) {
  const decision: ApprovalDecision = kind === 'comment' ? { kind, comment: String(ctx.event.formValue?.comment ?? '') } : { kind };
  const row = await decideApproval(ctx.tx, ctx.out, ctx.deps, { id, who: ctx.who, decision });
  const tz = ctx.deps.config.timezone;
  await patchApprovalCards(ctx.tx, ctx.out, row, tz, ctx.event.openMessageId);
  ctx.log.info({ approval: row.id, decision: kind }, 'bulletin approval decided');
  return { toast: { type: 'success' as const, content: TOASTS[kind] }, card: await renderApproval(ctx.tx, row, tz) };
}

// Who approves depends on BULLETIN_APPROVAL (the research office, or also the signers), so
// decideApproval refuses everyone else with the sentence for the configured mode.
export const approvalActions: CardAction[] = [
  cardAction(APPROVAL_ACTIONS.approve, { allow: anyone, run: (ctx, { id }) => decide(ctx, id, 'approve') }),
  cardAction(APPROVAL_ACTIONS.hold, { allow: anyone, run: (ctx, { id }) => decide(ctx, id, 'hold') }),
  cardAction(APPROVAL_ACTIONS.comment, { allow: anyone, run: (ctx, { id }) => decide(ctx, id, 'comment') }),
];
