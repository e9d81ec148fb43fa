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
  /** Draft counts of the period itself, read for the ranking (possibly still being read). */
  periodCounts: DraftCount[] | Promise<DraftCount[]>;
};

/** One quota's counts before the units in scope are known. */
export type QuotaTally = { rule: QuotaRule; windowLabel: string; target: number; county: number; byUnit: Map<number, number> };

/**
 * What each configured quota counted, every rule read at the same time. Draft counts for windows
 * other than the period are read once per window; adopted pieces are counted in the score ledger,
 * which the caller has refreshed.
 */
export async function readQuotaTallies(db: DbOrTx, input: Input): Promise<QuotaTally[]> {
  const { period, timezone } = input;
  const periodEnd = periodRange(period, timezone).end;
  const countsCache = new Map<string, Promise<DraftCount[]>>();
  const countsFor = async (window: Period, range: { start: Date; end: Date }) => {
    if (samePeriod(window, period)) return input.periodCounts;
    const key = `${range.start.toISOString()}|${range.end.toISOString()}`;
    if (!countsCache.has(key)) countsCache.set(key, draftCounts(db, range));
    return countsCache.get(key)!;
  };
  return Promise.all(
    input.rules.map(async (rule): Promise<QuotaTally> => {
      const { window, target, soFar } = quotaWindow(rule, period);
      const range = { start: periodRange(window, timezone).start, end: periodEnd };
      // A yearly quota in a monthly bulletin counts from 1 January: 2026年累计.
      const windowLabel = soFar ? `${periodLabel(window)}累计` : periodLabel(window);
      if (rule.measure === 'adopted') {
        const pieces = await adoptedPieces(db, { range, minLevel: rule.minLevel ?? 'county', category: rule.category });
        return { rule, windowLabel, target, county: pieces.county, byUnit: pieces.byUnit };
      }
      const byUnit = new Map<number, number>();
      let county = 0;
      for (const c of await countsFor(window, range)) {
        if (rule.category && c.category !== rule.category) continue;
        const n = rule.measure === 'submitted' ? c.submitted : c.approved;
        byUnit.set(c.unitId, (byUnit.get(c.unitId) ?? 0) + n);
        county += n;
      }
      return { rule, windowLabel, target, county, byUnit };
    }),
  );
}

/** Progress against each quota; `unitIds` are the units ranked in the period, the denominator of unit quotas. */
export function quotaProgress(tallies: QuotaTally[], unitIds: number[]): QuotaProgress[] {
  return tallies.map(({ rule, windowLabel, target, county, byUnit }) => {
    if (rule.scope === 'county') return { rule, windowLabel, target, count: county };
    const ranked = new Map(unitIds.map((id) => [id, byUnit.get(id) ?? 0]));
    const met = [...ranked.values()].filter((n) => n >= target).length;
    return { rule, windowLabel, target, count: met, units: { total: unitIds.length, byUnit: ranked } };
  });
}

/** Both at once, for a caller that knows its units already. */
export async function evaluateQuotas(db: DbOrTx, input: Input & { unitIds: number[] }): Promise<QuotaProgress[]> {
  return quotaProgress(await readQuotaTallies(db, input), input.unitIds);
}
