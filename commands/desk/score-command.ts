import type { MessageContext } from '../../bot/handlers.js';
import { command, roster } from '../../bot/declare.js';
import { PermissionError, UserError } from '../../bot/errors.js';
import { activeUnits, displayName } from '../../db/queries/roster.js';
import type { Unit } from '../../db/schema/index.js';
import { scoreOverviewCard, unitScoreCard } from '../../cards/desk-score.js';
import { officerScoreCard } from '../../cards/officer-stats.js';
import { officerStats } from '../../domain/ranking/officer-stats.js';
import { readScoreEvents } from '../../domain/scoring/score-events.js';
import { parsePeriod, periodLabel, periodRange } from '../../domain/ranking/period.js';

const NOT_OPEN = '积分查询仅对信息员、组织委员、研究室和部领导开放。';

/**
 * `积分 [单位] [期间]`: a unit's points with a line per scored event. Officers and reviewers see their
 * own units; editors and leaders see every unit (and, without a unit, the totals of all).
 */
export const scoreCommand = command({
  name: '积分',
  summary: '查看单位得分及每条记分的来由',
  usage: '积分 [单位 | 我] [2026-10]',
  example: (c) => `积分 ${c.year}-${String(c.month).padStart(2, '0')}`,
  audience: ['officer', 'reviewer', 'editor', 'leader'],
  // Anyone in the roster may ask for their own points (`积分 我`); a unit's points need a unit of
  // one's own, or editor or leader, checked below.
  allow: roster('查询积分', NOT_OPEN),
  async run(ctx, args) {
    if (/^\s*我(\s|$)/.test(args)) return officerScore(ctx, args.trim().slice(1));
    const who = ctx.who;
    const seesAll = who.editor || who.leader;
    const own = [...who.officerUnits, ...who.reviewerUnits].filter((u, i, all) => all.findIndex((x) => x.id === u.id) === i);
    if (!seesAll && !own.length) throw new PermissionError(NOT_OPEN);
    const all = await activeUnits(ctx.tx);
    const words = args.split(/\s+/).filter(Boolean);
    const unitWords = words.filter((w) => matchUnit(all, w));
    const period = parsePeriod(words.filter((w) => !unitWords.includes(w)).join(''), ctx.deps.clock.now(), ctx.deps.config.timezone);
    const label = periodLabel(period);
    const range = periodRange(period, ctx.deps.config.timezone);
    if (unitWords.length > 1) throw new UserError('一次请只写一个单位。');

    let units: Unit[];
    if (unitWords.length) {
      const unit = matchUnit(all, unitWords[0]!)!;
      if (!seesAll && !own.some((u) => u.id === unit.id)) throw new PermissionError(`您只能查看本单位（${own.map((u) => u.name).join('、')}）的积分。`);
      units = [unit];
    } else {
      units = seesAll ? all : own;
    }
    const events = await readScoreEvents(ctx.tx, {
      from: range.start,
      to: range.end,
      unitIds: units.map((u) => u.id),
      timezone: ctx.deps.config.timezone,
    });
    if (units.length === 1) {
      await ctx.reply(unitScoreCard({ unitName: units[0]!.name, periodLabel: label, events, timezone: ctx.deps.config.timezone }));
      return;
    }
    await ctx.reply(
      scoreOverviewCard({
        periodLabel: label,
        rows: units.map((u) => {
          const mine = events.filter((e) => e.unitId === u.id);
          return { unitName: u.name, points: mine.reduce((s, e) => s + e.points, 0), count: mine.length };
        }),
      }),
    );
  },
});

/** A unit by its full name, or by a part of it that names exactly one unit (城关 → 城关镇). */
export function matchUnit(all: Unit[], word: string): Unit | undefined {
  const exact = all.find((u) => u.name === word);
  if (exact) return exact;
  if (/^\d/.test(word) || word.length < 2) return undefined;
  const partial = all.filter((u) => u.name.includes(word));
  return partial.length === 1 ? partial[0] : undefined;
}

/** `积分 我 [期间]`: an officer's own points and counts. */
async function officerScore(ctx: MessageContext, rest: string): Promise<void> {
  const period = parsePeriod(rest.trim(), ctx.deps.clock.now(), ctx.deps.config.timezone);
  const range = periodRange(period, ctx.deps.config.timezone);
  const [row] = await officerStats(ctx.tx, { range, timezone: ctx.deps.config.timezone, officers: [ctx.who.openId] });
  await ctx.reply(officerScoreCard({ periodLabel: periodLabel(period), name: displayName(ctx.who.name, ctx.who.openId), row }));
}
