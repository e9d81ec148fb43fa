import { anyone, cardAction } from '../../bot/declare.js';
import type { ActionContext, CardResponse } from '../../bot/handlers.js';
import { RECEIPT_ACTIONS, draftReceiptCard } from '../../cards/draft-receipt.js';
import { NOTICE_ACTIONS, returnedNoticeCard } from '../../cards/draft-notices.js';
import { myDraftsCard } from '../../cards/draft-lists.js';
import { startRevision, withdraw } from '../../domain/drafts/review.js';
import { myDrafts } from '../../domain/drafts/lists.js';

// The draft's author only (checked in the domain, '只有稿件作者本人可以操作。'), whatever their roles now.
const AUTHOR = anyone;

/** Tapped on 我的稿件 (`list` is its page): that page again, showing the change. */
async function listPage(ctx: ActionContext, list: number): Promise<CardResponse['card']> {
  const { rows, page } = await myDrafts(ctx.tx, ctx.who.openId, list);
  return myDraftsCard(rows, page, ctx.deps.config.timezone);
}

/** 撤回 on the receipt or on 我的稿件, while the draft waits for review. */
export const withdrawAction = cardAction(RECEIPT_ACTIONS.withdraw, {
  allow: AUTHOR,
  privateChat: true,
  async run(ctx, { draftId, rev, list }) {
    const r = await withdraw(ctx, { draftId, rev, clickedMessageId: ctx.event.openMessageId });
    const card = list !== undefined ? await listPage(ctx, list) : draftReceiptCard(r.view, ctx.deps.config.timezone);
    if (r.conflict) return { toast: { type: 'warning', content: r.conflict.replace('本次操作未生效', '无法撤回') }, card };
    return { toast: { type: 'success', content: `已撤回 ${r.view.draft.serial}。` }, card };
  },
});

/** 提交修改稿 on the return notice or on 我的稿件: the next text the officer sends is the revision. */
export const reviseAction = cardAction(NOTICE_ACTIONS.revise, {
  allow: AUTHOR,
  privateChat: true,
  async run(ctx, { draftId, rev, list }) {
    const view = await startRevision(ctx, { draftId, rev });
    return {
      toast: { type: 'info', content: '请把修改后的全文发给我。' },
      card: list !== undefined ? await listPage(ctx, list) : returnedNoticeCard(view, ctx.deps.config.timezone, { revising: true }),
    };
  },
});
