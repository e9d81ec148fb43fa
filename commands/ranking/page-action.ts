import { UserError } from '../../bot/errors.js';
import type { CardAction } from '../../bot/handlers.js';
import { RANKING_PAGE_ACTION } from '../../cards/ranking-card.js';
import { periodOfKey, type Period } from '../../domain/ranking/period.js';
import { assertMayViewRanking } from './access.js';
import { renderRanking } from './render.js';

/**
 * 上一页/下一页 on a ranking too long for one card: answers with the same ranking, recomputed, at
 * the asked page. The value comes from the client, so the period and page are checked, and so is
 * the operator, like every card action.
 */
export const rankingPageAction: CardAction = {
  id: RANKING_PAGE_ACTION,
  async run(ctx) {
    assertMayViewRanking(ctx.who);
    let period: Period;
    try {
      period = periodOfKey(String(ctx.args.p));
    } catch {
      throw new UserError('这张排行卡片已失效，请重新发送“排行”。');
    }
    const page = Number(ctx.args.n);
    if (!Number.isInteger(page) || page < 0) throw new UserError('这张排行卡片已失效，请重新发送“排行”。');
    const { card } = await renderRanking(ctx.tx, ctx.deps, period, { bulletin: ctx.args.b === 1, page });
    return { card };
  },
};
