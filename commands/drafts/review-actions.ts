import { cardAction, roles } from '../../bot/declare.js';
import type { ActionContext, CardResponse } from '../../bot/handlers.js';
import { REVIEW_ACTIONS, reviewCard, type ReviewMode } from '../../cards/review-card.js';
import { LIST_ACTIONS } from '../../cards/draft-lists.js';
import { decide, resendReviewCard, reviewView, type DecisionResult } from '../../domain/drafts/review.js';
import { formString } from './args.js';

/**
 * The unit's reviewers, or an editor or reviewer the draft was handed to (转交, 加签): which of them
 * may act on this draft is checked in the domain (assertMayReview), with the same refusal.
 */
export const MAY_REVIEW = roles(['reviewer', 'editor'], '审核稿件', '只有本单位的组织委员可以审核这篇稿件。');

type Clicked = { draftId: number; rev: number };

/** The answer to a review click: the card as it now stands, and a toast saying what happened. */
function answer(r: DecisionResult, timezone: string, success: string): CardResponse {
  const { card } = reviewCard(r.view, timezone);
  if (r.conflict) return { toast: { type: 'warning', content: r.conflict }, card };
  return { toast: { type: 'success', content: success }, card };
}

/** 通过 and 确认退回 carry the same arguments on their buttons; only the decision (and a reason) differ. */
function decideClick(ctx: ActionContext, { draftId, rev }: Clicked, decision: 'approve' | 'return', reason?: string): Promise<DecisionResult> {
  return decide(ctx, { draftId, rev, decision, reason, clickedMessageId: ctx.event.openMessageId });
}

export const approveAction = cardAction(REVIEW_ACTIONS.approve, {
  allow: MAY_REVIEW,
  privateChat: true,
  async run(ctx, args) {
    const r = await decideClick(ctx, args, 'approve');
    if (r.waiting) return answer(r, ctx.deps.config.timezone, `已记录您的审核通过意见，待 ${r.waiting} 审核通过后稿件才报研究室。`);
    return answer(r, ctx.deps.config.timezone, `已审核通过 ${r.view.draft.serial}，已通知信息员并转研究室。`);
  },
});

/** Redraws this reviewer's card in `mode` (the default: as the draft now stands), after the same checks as a decision. */
async function redrawReview(ctx: ActionContext, { draftId, rev }: Clicked, mode?: ReviewMode): Promise<CardResponse> {
  const r = await reviewView(ctx, draftId, rev);
  if (r.conflict) return answer(r, ctx.deps.config.timezone, '');
  return { card: reviewCard(r.view, ctx.deps.config.timezone, mode).card };
}

/** 退回 only opens the reason form on this reviewer's card; nothing changes yet. */
export const returnFormAction = cardAction(REVIEW_ACTIONS.returnForm, {
  allow: MAY_REVIEW,
  privateChat: true,
  run: (ctx, args) => redrawReview(ctx, args, 'returning'),
});

/** 取消 (was 返回) from the reason form. */
export const returnBackAction = cardAction(REVIEW_ACTIONS.returnBack, {
  allow: MAY_REVIEW,
  privateChat: true,
  run: (ctx, args) => redrawReview(ctx, args),
});

/** 确认退回: the form's submit, carrying the reason. */
export const returnAction = cardAction(REVIEW_ACTIONS.return, {
  allow: MAY_REVIEW,
  privateChat: true,
  async run(ctx, args) {
    const r = await decideClick(ctx, args, 'return', formString(ctx.event.formValue, 'reason'));
    return answer(r, ctx.deps.config.timezone, `已退回 ${r.view.draft.serial}，已把理由告知信息员。`);
  },
});

/** From the 待审 list: the review card once more, in this reviewer's chat. */
export const resendAction = cardAction(LIST_ACTIONS.resend, {
  allow: MAY_REVIEW,
  async run(ctx, { draftId }) {
    const view = await resendReviewCard(ctx, draftId);
    return { toast: { type: 'success', content: `已重新发送 ${view.draft.serial} 的审核卡片。` } };
  },
});
