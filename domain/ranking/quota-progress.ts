import type { DbOrTx } from '../../db/client.js';
import { draftCounts, type DraftCount } from './draft-counts.js';
import { adoptedPieces } from './ledger-totals.js';
import { periodLabel, periodRange, samePeriod, type Period } from './period.js';
import { quotaWindow, type QuotaRule } from './quotas.js';
import type { QuotaProgress } from './types.js';

type Input = {
  rules: QuotaRule[];
  period: Period;
  timezone: string;
  /** Units ranked in the period: the denominator of unit quotas. */
  unitIds: number[];
  /** Draft counts of the period itself, already read for the ranking. */
  periodCounts: DraftCount[];
};

/**
 * Progress against each configured quota. Draft counts for windows other than the period are read
 * once per window; adopted pieces are counted in the score ledger, which the ranking has refreshed.
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
  const out: QuotaProgress[] = [];
  for (const rule of input.rules) {
    const { window, target, soFar } = quotaWindow(rule, period);
    const range = rangeOf(rule);
    const byUnit = new Map<number, number>();
    let county = 0;
    if (rule.measure === 'adopted') {
      const pieces = await adoptedPieces(db, { range, minLevel: rule.minLevel ?? 'county', category: rule.category });
      for (const [unitId, n] of pieces.byUnit) byUnit.set(unitId, n);
      county = pieces.county;
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
