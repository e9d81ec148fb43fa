import type { DbOrTx } from '../../db/client.js';
import type { ScoreEvent } from '../scoring/types.js';
import { draftCounts, pieceCategories, type DraftCount } from './draft-counts.js';
import { periodLabel, periodRange, samePeriod, type Period } from './period.js';
import { levelAtLeast, quotaWindow, type QuotaRule } from './quotas.js';
import type { QuotaProgress } from './types.js';

type Input = {
  rules: QuotaRule[];
  period: Period;
  timezone: string;
  /** Units ranked in the period: the denominator of unit quotas. */
  unitIds: number[];
  /** Draft counts of the period itself, already read for the ranking. */
  periodCounts: DraftCount[];
  /** Score events from at least 1 January of the period's year to its end. */
  events: ScoreEvent[];
};

/**
 * Progress against each configured quota. Draft counts for windows other than the period are read
 * once per window; adoptions come from the score events the ranking already has.
 */
export async function evaluateQuotas(db: DbOrTx, input: Input): Promise<QuotaProgress[]> {
  const { period, timezone } = input;
  const periodEnd = periodRange(period, timezone).end;
  const countsCache = new Map<string, Promise<DraftCount[]>>();
  const countsFor = (window: Period, range: { start: Date; end: Date }) => {
    if (samePeriod(window, period)) return Promise.resolve(input.periodCounts);
    const key = `${range.start.toISOString()}|${range.end.toISOString()}`;
    if (!countsCache.has(key)) countsCache.set(key, draftCounts(db, range));
    return countsCache.get(key)!;
  };
  const rangeOf = (rule: QuotaRule) => ({ start: periodRange(quotaWindow(rule, period).window, timezone).start, end: periodEnd });
  // Categories are looked up only for the adoptions a category quota will count.
  const categoryStart = Math.min(
    ...input.rules.filter((r) => r.measure === 'adopted' && r.category).map((r) => rangeOf(r).start.getTime()),
  );
  const endMs = periodEnd.getTime();
  const adoptions = input.events.flatMap((e) => (e.kind === 'adoption' ? [{ e, t: e.at.getTime() }] : []));
  const categoryOf = Number.isFinite(categoryStart)
    ? await pieceCategories(db, adoptions.filter((a) => a.t >= categoryStart && a.t < endMs).map((a) => a.e))
    : () => undefined;

  const out: QuotaProgress[] = [];
  for (const rule of input.rules) {
    const { window, target, soFar } = quotaWindow(rule, period);
    const range = rangeOf(rule);
    const byUnit = new Map<number, number>();
    let county = 0;
    if (rule.measure === 'adopted') {
      // Count pieces, not events: a piece adopted by the city and the province is one flagship piece.
      const unitPieces = new Map<number, Set<string>>();
      const countyPieces = new Set<string>();
      const startMs = range.start.getTime();
      for (const { e, t } of adoptions) {
        if (t < startMs || t >= endMs || !levelAtLeast(e.level, rule.minLevel ?? 'county')) continue;
        if (rule.category && categoryOf(e) !== rule.category) continue;
        // An item is one piece whatever drafts it holds; recognitions of a draft in an item carry the item.
        const piece = e.itemId !== undefined ? `i${e.itemId}` : e.draftId !== undefined ? `d${e.draftId}` : `u${e.unitId}@${t}`;
        countyPieces.add(piece);
        const set = unitPieces.get(e.unitId) ?? new Set<string>();
        set.add(piece);
        unitPieces.set(e.unitId, set);
      }
      for (const [unitId, set] of unitPieces) byUnit.set(unitId, set.size);
      county = countyPieces.size;
    } else {
      for (const c of await countsFor(window, range)) {
        if (rule.category && c.category !== rule.category) continue;
        const n = rule.measure === 'submitted' ? c.submitted : c.approved;
        byUnit.set(c.unitId, (byUnit.get(c.unitId) ?? 0) + n);
        county += n;
      }
    }
    // A yearly quota in a monthly bulletin counts from 1 January: 2026年累计.
    const windowLabel = soFar ? `${periodLabel(window)}累计` : periodLabel(window);
    if (rule.scope === 'county') {
      out.push({ rule, windowLabel, target, count: county });
    } else {
      const ranked = new Map(input.unitIds.map((id) => [id, byUnit.get(id) ?? 0]));
      const met = [...ranked.values()].filter((n) => n >= target).length;
      out.push({ rule, windowLabel, target, count: met, units: { total: input.unitIds.length, byUnit: ranked } });
    }
  }
  return out;
}
