import { formatLocalDate } from '../../bot/time.js';
import type { DbOrTx } from '../../db/client.js';
import { loadRuleVersions, ruleInForce } from '../scoring/rule-versions.js';
import { periodRange, type Period } from './period.js';
import { quotasOf, type QuotaRule } from './quotas.js';

/**
 * The local date whose rule version judges a period (its quotas, the year's assessment table): the
 * period's last day, or today while the period is not over. A period is judged by the rules in
 * force when it closes, and a version scheduled for later does not apply before its date.
 */
export function judgingDateOf(period: Period, timezone: string, now: Date): string {
  const lastDay = formatLocalDate(new Date(periodRange(period, timezone).end.getTime() - 1), timezone);
  const today = formatLocalDate(now, timezone);
  return today < lastDay ? today : lastDay;
}

/**
 * The quotas in force for a period. Every reader of quotas (ranking card, bulletins, exports, the
 * 年度评比 workbook) goes through here, so they cannot disagree.
 */
export async function quotasInForce(
  db: DbOrTx,
  o: { period: Period; timezone: string; now: Date; configured: QuotaRule[] | undefined },
): Promise<QuotaRule[]> {
  const versions = await loadRuleVersions(db);
  return quotasOf(ruleInForce(versions, judgingDateOf(o.period, o.timezone, o.now)).rules, o.configured);
}
