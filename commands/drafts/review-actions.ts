import type { ActionContext, CardAction, CardResponse } from '../../bot/handlers.js';
import { REVIEW_ACTIONS, reviewCard, type ReviewMode } from '../../cards/review-card.js';
import { LIST_ACTIONS } from '../../cards/draft-lists.js';
import { decide, resendReviewCard, reviewView, type DecisionResult } from '../../domain/drafts/review.js';
import { formString, intArg } from './args.js';

/** The answer to a review click: the card as it now stands, and a toast saying what happened. */
function answer(r: DecisionResult, timezone: string, success: string): CardResponse {
  const { card } = reviewCard(r.view, timezone);
  if (r.conflict) return { toast: { type: 'warning', content: r.conflict }, card };
  return { toast: { type: 'success', content: success }, card };
}

/** 通过 and 确认退回 carry the same arguments on their buttons; only the decision (and a reason) differ. */
function decideClick(ctx: ActionContext, decision: 'approve' | 'return', reason?: string): Promise<DecisionResult> {
  return decide(ctx, {
    draftId: intArg(ctx.args, 'draftId'),
    rev: intArg(ctx.args, 'rev'),
    decision,
    reason,
    clickedMessageId: ctx.event.openMessageId,
  });
}

export const approveAction: CardAction = {
  id: REVIEW_ACTIONS.approve,
  privateChat: true,
  async run(ctx) {
    const r = await decideClick(ctx, 'approve');
    if (r.waiting) return answer(r, ctx.deps.config.timezone, `已记录您的审核通过意见，待 ${r.waiting} 审核通过后稿件才报研究室。`);
    return answer(r, ctx.deps.config.timezone, `已审核通过 ${r.view.draft.serial}，已通知信息员并转研究室。`);
  },
};

/** Redraws this reviewer's card in `mode` (the default: as the draft now stands), after the same checks as a decision. */
async function redrawReview(ctx: ActionContext, mode?: ReviewMode): Promise<CardResponse> {
  const r = await reviewView(ctx, intArg(ctx.args, 'draftId'), intArg(ctx.args, 'rev'));
  if (r.conflict) return answer(r, ctx.deps.config.timezone, '');
  return { card: reviewCard(r.view, ctx.deps.config.timezone, mode).card };
}

/** 退回 only opens the reason form on this reviewer's card; nothing changes yet. */
export const returnFormAction: CardAction = {
  id: REVIEW_ACTIONS.returnForm,
  privateChat: true,
  run: (ctx) => redrawReview(ctx, 'returning'),
};

/** 取消 (was 返回) from the reason form. */
export const returnBackAction: CardAction = {
  id: REVIEW_ACTIONS.returnBack,
  privateChat: true,
  run: (ctx) => redrawReview(ctx),
};

/** 确认退回: the form's submit, carrying the reason. */
export const returnAction: CardAction = {
  id: REVIEW_ACTIONS.return,
  privateChat: true,
  async run(ctx) {
    const r = await decideClick(ctx, 'return', formString(ctx.event.formValue, 'reason'));
    return answer(r, ctx.deps.config.timezone, `已退回 ${r.view.draft.serial}，已把理由告知信息员。`);
  },
};

/** From the 待审 list: the review card once more, in this reviewer's chat. */
export const resendAction: CardAction = {
  id: LIST_ACTIONS.resend,
  async run(ctx) {
    const view = await resendReviewCard(ctx, intArg(ctx.args, 'draftId'));
    return { toast: { type: 'success', content: `已重新发送 ${view.draft.serial} 的审核卡片。` } };
  },
};
