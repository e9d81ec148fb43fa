import { UserError } from '../../bot/errors.js';
import type { ActionContext, CardAction, CardResponse } from '../../bot/handlers.js';
import { REVIEW_ACTIONS, reviewCard } from '../../cards/review-card.js';
import { handoffCandidates, recordHandoff } from '../../domain/drafts/handoffs.js';
import { reviewView } from '../../domain/drafts/review.js';
import { refreshRevisionCards, sendReviewCard } from '../../domain/drafts/routing.js';
import { draftById, loadDraftView, nameOf } from '../../domain/drafts/views.js';
import { formString, intArg } from '../drafts/args.js';

/** 转交/加签 on a review card: the picker of people this reviewer may hand the draft to. */
export const handoffFormAction: CardAction = {
  id: REVIEW_ACTIONS.handoffForm,
  privateChat: true,
  async run(ctx) {
    const r = await reviewView(ctx, intArg(ctx.args, 'draftId'), intArg(ctx.args, 'rev'));
    const tz = ctx.deps.config.timezone;
    if (r.conflict) return { toast: { type: 'warning', content: r.conflict }, card: reviewCard(r.view, tz).card };
    const candidates = await handoffCandidates(ctx.tx, r.view.draft, ctx.who.openId);
    return { card: reviewCard(r.view, tz, 'handoff', { candidates }).card };
  },
};

async function handOff(ctx: ActionContext, kind: 'transfer' | 'cosign'): Promise<CardResponse> {
  const draftId = intArg(ctx.args, 'draftId');
  const rev = intArg(ctx.args, 'rev');
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

export const transferAction: CardAction = { id: REVIEW_ACTIONS.transfer, privateChat: true, run: (ctx) => handOff(ctx, 'transfer') };
export const cosignAction: CardAction = { id: REVIEW_ACTIONS.cosign, privateChat: true, run: (ctx) => handOff(ctx, 'cosign') };
