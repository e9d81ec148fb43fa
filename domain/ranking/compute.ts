import type { Deps } from '../../bot/handlers.js';
import { zonedTime } from '../../bot/time.js';
import { designatedOfficers, getOrgSettings } from '../../db/queries/roster.js';
import type { DbOrTx } from '../../db/client.js';
import { units as unitsTable } from '../../db/schema/index.js';
import { round2 as roundPoints } from '../scoring/engine.js';
import { refreshScoreLedger } from '../scoring/ledger.js';
import { draftCounts, type DraftCount } from './draft-counts.js';
import { periodLabel, periodRange, previousPeriod, type Period } from './period.js';
import { ledgerTotals } from './ledger-totals.js';
import { quotaProgress, readQuotaTallies } from './quota-progress.js';
import type { QuotaRule } from './quotas.js';
import { quotasInForce } from './quotas-in-force.js';
import { competitionRanks, rankChange } from './rank.js';
import { emptyLevels, type LevelCounts, type RankingReport, type RankingRow } from './types.js';

export type RankingInput = {
  period: Period;
  timezone: string;
  /** RANKING_QUOTAS: the quotas of rule versions that set none (quotas-in-force.ts). */
  configuredQuotas: QuotaRule[] | undefined;
  now: Date;
};

export type UnitInfo = { id: number; name: string; active: boolean; sortOrder: number; createdAt: Date };

/**
 * The ranking of units for a period: counts from drafts, points from the score ledger (sums for the
 * period, the previous period and the year so far), competition ranks, the change against the
 * previous period, zero-submission units and quota progress.
 */
export async function computeRanking(db: DbOrTx, input: RankingInput): Promise<RankingReport> {
  const { period, timezone } = input;
  const range = periodRange(period, timezone);
  const previous = previousPeriod(period);
  const prevRange = periodRange(previous, timezone);
  const yearStart = zonedTime(period.year, 1, 1, 0, 0, timezone);

  await refreshScoreLedger(db, timezone);
  // Every read at once (the quotas need only the rules and the period's counts, not the units in
  // scope): on PostgreSQL they run side by side on the pool, and the ranking waits for the slowest.
  const periodCounts = draftCounts(db, range);
  const [unitRows, counts, totals, designated, tallies] = await Promise.all([
    db
      .select({ id: unitsTable.id, name: unitsTable.name, active: unitsTable.active, sortOrder: unitsTable.sortOrder, createdAt: unitsTable.createdAt })
      .from(unitsTable),
    periodCounts,
    ledgerTotals(db, { period: range, previous: prevRange, yearStart }),
    // Who was the 专职信息员 when the period ended (today's for a period still running).
    designatedOfficers(db, new Date(range.end.getTime() - 1)),
    quotasInForce(db, { period, timezone, now: input.now, configured: input.configuredQuotas }).then((rules) =>
      readQuotaTallies(db, { rules, period, timezone, periodCounts }),
    ),
  ]);
  const perUnit = sumCounts(counts);

  const current = unitsInScope(unitRows, range.end, (id) => perUnit.has(id) || Boolean(totals.get(id)?.active));
  const before = unitsInScope(unitRows, prevRange.end, (id) => Boolean(totals.get(id)?.activeBefore));
  // The ledger sums cents, so 0.1 + 0.2 ties with 0.3.
  const ranks = competitionRanks(new Map(current.map((u) => [u.id, totals.get(u.id)?.points ?? 0])));
  const prevRanks = competitionRanks(new Map(before.map((u) => [u.id, totals.get(u.id)?.previous ?? 0])));

  const rows: RankingRow[] = current.map((u) => {
    const rank = ranks.get(u.id)!;
    const previousRank = prevRanks.get(u.id);
    return {
      unitId: u.id,
      unitName: u.name,
      designatedOfficer: designated.get(u.id)?.name ?? null,
      submitted: perUnit.get(u.id)?.submitted ?? 0,
      approved: perUnit.get(u.id)?.approved ?? 0,
      adopted: totals.get(u.id)?.adopted ?? emptyLevels(),
      points: totals.get(u.id)?.points ?? 0,
      ytdPoints: totals.get(u.id)?.ytd ?? 0,
      rank,
      previousRank,
      change: rankChange(rank, previousRank),
    };
  });
  const order = new Map(current.map((u, i) => [u.id, i]));
  rows.sort((a, b) => a.rank - b.rank || b.ytdPoints - a.ytdPoints || b.submitted - a.submitted || order.get(a.unitId)! - order.get(b.unitId)!);

  const county = { submitted: 0, approved: 0, adopted: emptyLevels(), points: 0, ytdPoints: 0 };
  for (const r of rows) {
    county.submitted += r.submitted;
    county.approved += r.approved;
    for (const level of Object.keys(county.adopted) as (keyof LevelCounts)[]) county.adopted[level] += r.adopted[level];
    county.points += r.points;
    county.ytdPoints += r.ytdPoints;
  }
  // Cents added as floats drift (0.1 + 0.2): back to cents.
  county.points = roundPoints(county.points);
  county.ytdPoints = roundPoints(county.ytdPoints);

  return {
    period,
    label: periodLabel(period),
    range,
    previous,
    rows,
    zeroSubmission: current.filter((u) => !(perUnit.get(u.id)?.approved)).map((u) => ({ unitId: u.id, unitName: u.name })),
    totals: county,
    quotas: quotaProgress(tallies, current.map((u) => u.id)),
    generatedAt: input.now,
  };
}

/**
 * Units that belong in a period's ranking: those that existed before it ended (a unit added in
 * June is neither ranked nor named as 零报送 for May), minus deactivated units with nothing in it.
 */
export function unitsInScope(all: UnitInfo[], end: Date, hasActivity: (id: number) => boolean): UnitInfo[] {
  return all
    .filter((u) => u.createdAt < end && (u.active || hasActivity(u.id)))
    .sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
}

function sumCounts(counts: DraftCount[]): Map<number, { submitted: number; approved: number }> {
  const out = new Map<number, { submitted: number; approved: number }>();
  for (const c of counts) {
    const t = out.get(c.unitId) ?? { submitted: 0, approved: 0 };
    t.submitted += c.submitted;
    t.approved += c.approved;
    out.set(c.unitId, t);
  }
  return out;
}

/**
 * The ranking of a period as of now, with the department's name and work group: what `排行`, its
 * page buttons and the scheduled bulletins all draw, so they always agree.
 */
export async function currentRanking(
  db: DbOrTx,
  deps: Pick<Deps, 'config' | 'clock'>,
  period: Period,
): Promise<{ report: RankingReport; department: string | undefined; groupChatId: string | undefined }> {
  const [report, settings] = await Promise.all([
    computeRanking(db, { period, timezone: deps.config.timezone, configuredQuotas: deps.config.rankingQuotas, now: deps.clock.now() }),
    getOrgSettings(db),
  ]);
  return { report, department: settings?.department, groupChatId: settings?.groupChatId };
}
