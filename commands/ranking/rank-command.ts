import type { Command } from '../../bot/handlers.js';
import { parsePeriod } from '../../domain/ranking/period.js';
import { assertMayViewRanking } from './access.js';
import { renderRanking } from './render.js';

/** `排行 [期间]`: the ranking card, where it was asked (the group too, with an @mention). */
export const rankCommand: Command = {
  name: '排行',
  aliases: ['排名', '排行榜'],
  summary: '查看各单位送审、报送、采用、得分排行（默认本月）',
  usage: '排行 [2026-10 | 2026Q3 | 2026]',
  example: (c) => `排行 ${c.year}-${String(c.month).padStart(2, '0')}`,
  audience: ['officer', 'reviewer', 'editor', 'leader'],
  inGroup: true,
  async run(ctx, args) {
    assertMayViewRanking(ctx.who);
    const period = parsePeriod(args, ctx.deps.clock.now(), ctx.deps.config.timezone);
    const { card } = await renderRanking(ctx.tx, ctx.deps, period);
    await ctx.reply(card);
  },
};
