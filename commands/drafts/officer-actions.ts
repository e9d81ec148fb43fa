import type { ActionContext, CardAction, CardResponse } from '../../bot/handlers.js';
import { RECEIPT_ACTIONS, draftReceiptCard } from '../../cards/draft-receipt.js';
import { NOTICE_ACTIONS, returnedNoticeCard } from '../../cards/draft-notices.js';
import { myDraftsCard } from '../../cards/draft-lists.js';
import { startRevision, withdraw } from '../../domain/drafts/review.js';
import { myDrafts } from '../../domain/drafts/lists.js';
import { intArg, pageArg } from './args.js';

/** Tapped on 我的稿件 (`list` is its page): that page again, showing the change. */
async function listPage(ctx: ActionContext): Promise<CardResponse['card']> {
  const { rows, page } = await myDrafts(ctx.tx, ctx.who.openId, pageArg(ctx.args.list));
  return myDraftsCard(rows, page, ctx.deps.config.timezone);
}

/** 撤回 on the receipt or on 我的稿件, while the draft waits for review. */
export const withdrawAction: CardAction = {
  id: RECEIPT_ACTIONS.withdraw,
  privateChat: true,
  async run(ctx) {
    const r = await withdraw(ctx, { draftId: intArg(ctx.args, 'draftId'), rev: intArg(ctx.args, 'rev'), clickedMessageId: ctx.event.openMessageId });
    const card = ctx.args.list !== undefined ? await listPage(ctx) : draftReceiptCard(r.view, ctx.deps.config.timezone);
    if (r.conflict) return { toast: { type: 'warning', content: r.conflict.replace('本次操作未生效', '无法撤回') }, card };
    return { toast: { type: 'success', content: `已撤回 ${r.view.draft.serial}。` }, card };
  },
};

/** 提交修改稿 on the return notice or on 我的稿件: the next text the officer sends is the revision. */
export const reviseAction: CardAction = {
  id: NOTICE_ACTIONS.revise,
  privateChat: true,
  async run(ctx) {
    const view = await startRevision(ctx, { draftId: intArg(ctx.args, 'draftId'), rev: intArg(ctx.args, 'rev') });
    return {
      toast: { type: 'info', content: '请把修改后的全文发给我。' },
      card: ctx.args.list !== undefined ? await listPage(ctx) : returnedNoticeCard(view, ctx.deps.config.timezone, { revising: true }),
    };
  },
};
