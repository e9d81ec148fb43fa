import { NOT_IN_ROSTER_TEXT } from '../../domain/roster/permissions.js';
import { cardAction, command, roles, roster } from '../../bot/declare.js';
import { LIST_ACTIONS, myDraftsCard, pendingReviewsCard } from '../../cards/draft-lists.js';
import { myDrafts, pendingReviews } from '../../domain/drafts/lists.js';
import { pageArg } from './args.js';

// Anyone who ever submitted keeps seeing their drafts, even after leaving the officer role; someone
// no longer in the roster gets the roster explanation, not an empty page.
const MAY_LIST_MINE = roster('查看我的稿件', NOT_IN_ROSTER_TEXT);

const MAY_LIST_PENDING = roles(['reviewer'], '查看待审稿件');

export const myDraftsCommand = command({
  name: '我的稿件',
  summary: '查看我提交的稿件和审核进度',
  usage: '我的稿件 [页码]',
  example: () => '我的稿件',
  audience: ['officer'],
  allow: MAY_LIST_MINE,
  async run(ctx, args) {
    const { rows, page } = await myDrafts(ctx.tx, ctx.who.openId, pageArg(args));
    await ctx.reply(myDraftsCard(rows, page, ctx.deps.config.timezone));
  },
});

export const myDraftsPageAction = cardAction(LIST_ACTIONS.mine, {
  allow: MAY_LIST_MINE,
  privateChat: true,
  async run(ctx, { page: requested }) {
    const { rows, page } = await myDrafts(ctx.tx, ctx.who.openId, requested ?? 1);
    return { card: myDraftsCard(rows, page, ctx.deps.config.timezone) };
  },
});

const reviewerUnitIds = (who: { reviewerUnits: { id: number }[] }): number[] => who.reviewerUnits.map((u) => u.id);

export const pendingReviewsCommand = command({
  name: '待审',
  aliases: ['待审稿件'],
  summary: '查看本单位待审核的稿件，可重新获取审核卡片',
  usage: '待审 [页码]',
  example: () => '待审',
  allow: MAY_LIST_PENDING,
  async run(ctx, args) {
    const { rows, page } = await pendingReviews(ctx.tx, reviewerUnitIds(ctx.who), pageArg(args));
    await ctx.reply(pendingReviewsCard(rows, page, ctx.deps.config.timezone));
  },
});

export const pendingReviewsPageAction = cardAction(LIST_ACTIONS.pending, {
  allow: MAY_LIST_PENDING,
  privateChat: true,
  async run(ctx, { page: requested }) {
    const { rows, page } = await pendingReviews(ctx.tx, reviewerUnitIds(ctx.who), requested ?? 1);
    return { card: pendingReviewsCard(rows, page, ctx.deps.config.timezone) };
  },
});
