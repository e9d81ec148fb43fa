import type { MessageContext } from '../../bot/handlers.js';
import { command } from '../../bot/declare.js';
import { PermissionError } from '../../bot/errors.js';
import { officerRankingCard } from '../../cards/officer-stats.js';
import { rankingCard } from '../../cards/ranking-card.js';
import { officerStats } from '../../domain/ranking/officer-stats.js';
import { parsePeriod, periodLabel, periodRange } from '../../domain/ranking/period.js';
import { MAY_VIEW_RANKING } from './access.js';
import { currentRanking } from '../../domain/ranking/compute.js';

/** `排行 [期间]`: the ranking card, where it was asked (the group too, with an @mention). */
export const rankCommand = command({
  name: '排行',
  aliases: ['排名', '排行榜'],
  summary: '查看各单位送审、报送、采用、得分排行（默认本月）',
  usage: '排行 [个人] [2026-10 | 2026Q3 | 2026]',
  example: (c) => `排行 ${c.year}-${String(c.month).padStart(2, '0')}`,
  audience: ['officer', 'reviewer', 'editor', 'leader'],
  allow: MAY_VIEW_RANKING,
  inGroup: true,
  async run(ctx, args) {
    if (/^\s*个人/.test(args)) return officerRanking(ctx, args.trim().slice(2));
    const period = parsePeriod(args, ctx.deps.clock.now(), ctx.deps.config.timezone);
    const { report, department } = await currentRanking(ctx.tx, ctx.deps, period);
    await ctx.reply(rankingCard(report, { timezone: ctx.deps.config.timezone, department }));
  },
});

/** `排行 个人 [期间]`: officers by points, for the research office and leaders. */
async function officerRanking(ctx: MessageContext, rest: string): Promise<void> {
  if (!ctx.who.editor && !ctx.who.leader) throw new PermissionError('信息员个人排行仅限研究室和部领导查看。个人得分可发送“积分 我”查看。');
  const period = parsePeriod(rest.trim(), ctx.deps.clock.now(), ctx.deps.config.timezone);
  const rows = await officerStats(ctx.tx, { range: periodRange(period, ctx.deps.config.timezone), timezone: ctx.deps.config.timezone });
  await ctx.reply(officerRankingCard({ periodLabel: periodLabel(period), rows }));
}
