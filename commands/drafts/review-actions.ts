import type { CardAction, CardResponse } from '../../bot/handlers.js';
import { REVIEW_ACTIONS, reviewCard } from '../../cards/review-card.js';
import { LIST_ACTIONS } from '../../cards/draft-lists.js';
import { decide, resendReviewCard, reviewView, type DecisionResult } from '../../domain/drafts/review.js';
import { formString, intArg } from './args.js';

/** The answer to a review click: the card as it now stands, and a toast saying what happened. */
function answer(r: DecisionResult, timezone: string, success: string): CardResponse {
  const { card } = reviewCard(r.view, timezone);
  if (r.conflict) return { toast: { type: 'warning', content: r.conflict }, card };
  return { toast: { type: 'success', content: success }, card };
}

export const approveAction: CardAction = {
  id: REVIEW_ACTIONS.approve,
  async run(ctx) {
    const r = await decide(ctx, {
      draftId: intArg(ctx.args, 'draftId'),
      rev: intArg(ctx.args, 'rev'),
      decision: 'approve',
      clickedMessageId: ctx.event.openMessageId,
    });
    return answer(r, ctx.deps.config.timezone, `已通过 ${r.view.draft.serial}，已通知信息员并转研究室。`);
  },
};

/** 退回 only opens the reason form on this reviewer's card; nothing changes yet. */
export const returnFormAction: CardAction = {
  id: REVIEW_ACTIONS.returnForm,
  async run(ctx) {
    const r = await reviewView(ctx, intArg(ctx.args, 'draftId'), intArg(ctx.args, 'rev'));
    if (r.conflict) return answer(r, ctx.deps.config.timezone, '');
    return { card: reviewCard(r.view, ctx.deps.config.timezone, 'returning').card };
  },
};

/** 返回 from the reason form. */
export const returnBackAction: CardAction = {
  id: REVIEW_ACTIONS.returnBack,
  async run(ctx) {
    const r = await reviewView(ctx, intArg(ctx.args, 'draftId'), intArg(ctx.args, 'rev'));
    if (r.conflict) return answer(r, ctx.deps.config.timezone, '');
    return { card: reviewCard(r.view, ctx.deps.config.timezone).card };
  },
};

/** 确认退回: the form's submit, carrying the reason. */
export const returnAction: CardAction = {
  id: REVIEW_ACTIONS.return,
  async run(ctx) {
    const r = await decide(ctx, {
      draftId: intArg(ctx.args, 'draftId'),
      rev: intArg(ctx.args, 'rev'),
      decision: 'return',
      reason: formString(ctx.event.formValue, 'reason'),
      clickedMessageId: ctx.event.openMessageId,
    });
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
