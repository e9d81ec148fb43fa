import { UserError } from '../../bot/errors.js';
import { cardAction } from '../../bot/declare.js';
import { RANKING_PAGE_ACTION, rankingCard } from '../../cards/ranking-card.js';
import { periodOfKey, type Period } from '../../domain/ranking/period.js';
import { MAY_VIEW_RANKING } from './access.js';
import { currentRanking } from '../../domain/ranking/compute.js';

/**
 * 上一页/下一页 on a ranking too long for one card: answers with the same ranking, recomputed, at
 * the asked page. The value comes from the client, so the period and page are checked, and so is
 * the operator, like every card action.
 */
export const rankingPageAction = cardAction(RANKING_PAGE_ACTION, {
  allow: MAY_VIEW_RANKING,
  async run(ctx, { p, n, b }) {
    let period: Period;
    try {
      period = periodOfKey(p);
    } catch {
      throw new UserError('这张排行卡片已失效，请重新发送“排行”。');
    }
    const { report, department } = await currentRanking(ctx.tx, ctx.deps, period);
    return { card: rankingCard(report, { timezone: ctx.deps.config.timezone, department, bulletin: b === 1, page: n }) };
  },
});
