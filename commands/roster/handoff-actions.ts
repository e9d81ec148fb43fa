import { UserError } from '../../bot/errors.js';
import { cardAction } from '../../bot/declare.js';
import type { ActionContext, CardResponse } from '../../bot/handlers.js';
import { REVIEW_ACTIONS, reviewCard } from '../../cards/review-card.js';
import { handoffCandidates, recordHandoff } from '../../domain/drafts/handoffs.js';
import { reviewView } from '../../domain/drafts/review.js';
import { refreshRevisionCards, sendReviewCard } from '../../domain/drafts/routing.js';
import { draftById, loadDraftView, nameOf } from '../../domain/drafts/views.js';
import { formString } from '../drafts/args.js';
import { MAY_REVIEW } from '../drafts/review-actions.js';

/** 转交/加签 on a review card: the picker of people this reviewer may hand the draft to. */
export const handoffFormAction = cardAction(REVIEW_ACTIONS.handoffForm, {
  allow: MAY_REVIEW,
  privateChat: true,
  async run(ctx, { draftId, rev }) {
    const r = await reviewView(ctx, draftId, rev);
    const tz = ctx.deps.config.timezone;
    if (r.conflict) return { toast: { type: 'warning', content: r.conflict }, card: reviewCard(r.view, tz).card };
    const candidates = await handoffCandidates(ctx.tx, r.view.draft, ctx.who.openId);
    return { card: reviewCard(r.view, tz, 'handoff', { candidates }).card };
  },
});

async function handOff(ctx: ActionContext, { draftId, rev }: { draftId: number; rev: number }, kind: 'transfer' | 'cosign'): Promise<CardResponse> {
  const tz = ctx.deps.config.timezone;
  const to = formString(ctx.event.formValue, 'to') ?? ctx.event.option;
  if (!to) throw new UserError('请先选择转交或加签的人。');
  const draft = await draftById(ctx.tx, draftId, { forUpdate: true });
  const r = await reviewView(ctx, draftId, rev);
  if (r.conflict) return { toast: { type: 'warning', content: r.conflict }, card: reviewCard(r.view, tz).card };
  await recordHandoff(ctx.tx, { draft, kind, from: ctx.who.openId, to, now: ctx.deps.clock.now() });
  const view = await loadDraftView(ctx.tx, draftId, rev);
  await sendReviewCard(ctx, view, to);
  await refreshRevisionCards(ctx, view, ctx.event.openMessageId);
  const name = await nameOf(ctx.tx, to);
  ctx.deps.log.info({ serial: draft.serial, revision: rev, kind }, 'review handed off');
  return {
    toast: { type: 'success', content: kind === 'transfer' ? `已转交给 ${name}。` : `已请 ${name} 加签，对方审核通过后稿件才报研究室。` },
    card: reviewCard(view, tz).card,
  };
}

export const transferAction = cardAction(REVIEW_ACTIONS.transfer, { allow: MAY_REVIEW, privateChat: true, run: (ctx, args) => handOff(ctx, args, 'transfer') });
export const cosignAction = cardAction(REVIEW_ACTIONS.cosign, { allow: MAY_REVIEW, privateChat: true, run: (ctx, args) => handOff(ctx, args, 'cosign') });
