import { notInRosterText } from '../../bot/dispatcher.js';
import { PermissionError } from '../../bot/errors.js';
import type { CardAction, Command } from '../../bot/handlers.js';
import { LIST_ACTIONS, myDraftsCard, pendingReviewsCard } from '../../cards/draft-lists.js';
import { myDrafts, pendingReviews } from '../../domain/drafts/lists.js';
import { pageArg } from './args.js';

export const myDraftsCommand: Command = {
  name: '我的稿件',
  summary: '查看我提交的稿件和审核进度',
  usage: '我的稿件 [页码]',
  example: () => '我的稿件',
  audience: ['officer'],
  async run(ctx, args) {
    // Anyone who ever submitted keeps seeing their drafts, even after leaving the officer role.
    if (!ctx.who.known) {
      await ctx.reply(notInRosterText());
      return;
    }
    const { rows, page } = await myDrafts(ctx.tx, ctx.who.openId, pageArg(args));
    await ctx.reply(myDraftsCard(rows, page, ctx.deps.config.timezone));
  },
};

export const myDraftsPageAction: CardAction = {
  id: LIST_ACTIONS.mine,
  privateChat: true,
  async run(ctx) {
    // Same rule as the command: someone no longer in the roster gets the refusal, not an empty page.
    if (!ctx.who.known) throw new PermissionError(notInRosterText());
    const { rows, page } = await myDrafts(ctx.tx, ctx.who.openId, pageArg(ctx.args.page));
    return { card: myDraftsCard(rows, page, ctx.deps.config.timezone) };
  },
};

function reviewerUnitIds(who: { reviewerUnits: { id: number }[] }): number[] {
  if (who.reviewerUnits.length === 0) throw new PermissionError('只有组织委员可以查看待审稿件。');
  return who.reviewerUnits.map((u) => u.id);
}

export const pendingReviewsCommand: Command = {
  name: '待审',
  aliases: ['待审稿件'],
  summary: '查看本单位待审核的稿件，可重新获取审核卡片',
  usage: '待审 [页码]',
  example: () => '待审',
  audience: ['reviewer'],
  async run(ctx, args) {
    const { rows, page } = await pendingReviews(ctx.tx, reviewerUnitIds(ctx.who), pageArg(args));
    await ctx.reply(pendingReviewsCard(rows, page, ctx.deps.config.timezone));
  },
};

export const pendingReviewsPageAction: CardAction = {
  id: LIST_ACTIONS.pending,
  privateChat: true,
  async run(ctx) {
    const { rows, page } = await pendingReviews(ctx.tx, reviewerUnitIds(ctx.who), pageArg(ctx.args.page));
    return { card: pendingReviewsCard(rows, page, ctx.deps.config.timezone) };
  },
};
