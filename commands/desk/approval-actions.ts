import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import { APPROVAL_ACTIONS } from '../../cards/bulletin-approval.js';
import { decideApproval, patchApprovalCards, renderApproval, type ApprovalDecision } from '../../domain/ranking/approval.js';

const TOASTS: Record<ApprovalDecision['kind'], string> = {
  approve: '已审定，通报已发送到工作群',
  hold: '已暂缓，不会发送到工作群；需要时在此卡片上点“审定发布”',
  comment: '点评已保存，将印在通报末尾；审定发布后发送',
};

async function decide(ctx: ActionContext, kind: ApprovalDecision['kind']) {
  const id = ctx.args.id;
  if (!Number.isInteger(id)) throw new UserError('这张卡片已失效。');
  const decision: ApprovalDecision = kind === 'comment' ? { kind, comment: String(ctx.event.formValue?.comment ?? '') } : { kind };
  const row = await decideApproval(ctx.tx, ctx.out, ctx.deps, { id: id as number, who: ctx.who, decision });
  const tz = ctx.deps.config.timezone;
  await patchApprovalCards(ctx.tx, ctx.out, row, tz, ctx.event.openMessageId);
  ctx.log.info({ approval: row.id, decision: kind }, 'bulletin approval decided');
  return { toast: { type: 'success' as const, content: TOASTS[kind] }, card: await renderApproval(ctx.tx, row, tz) };
}

export const approvalActions: CardAction[] = [
  { id: APPROVAL_ACTIONS.approve, run: (ctx) => decide(ctx, 'approve') },
  { id: APPROVAL_ACTIONS.hold, run: (ctx) => decide(ctx, 'hold') },
  { id: APPROVAL_ACTIONS.comment, run: (ctx) => decide(ctx, 'comment') },
];
