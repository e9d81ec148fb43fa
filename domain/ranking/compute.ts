import { zonedTime } from '../../bot/time.js';
import type { DbOrTx } from '../../db/client.js';
import { units as unitsTable } from '../../db/schema/index.js';
import { round2 as roundPoints } from '../scoring/engine.js';
import { computeScoreEvents } from '../scoring/score-events.js';
import type { ScoreEvent } from '../scoring/types.js';
import { draftCounts, type DraftCount } from './draft-counts.js';
import { periodLabel, periodRange, previousPeriod, type Period } from './period.js';
import { evaluateQuotas } from './quota-progress.js';
import type { QuotaRule } from './quotas.js';
import { competitionRanks, rankChange } from './rank.js';
import { emptyLevels, type LevelCounts, type RankingReport, type RankingRow } from './types.js';

export type RankingInput = {
  period: Period;
  timezone: string;
  quotas: QuotaRule[];
  now: Date;
};

type UnitInfo = { id: number; name: string; active: boolean; sortOrder: number; createdAt: Date };

/**
 * The ranking of units for a period: counts from drafts, points from the scoring rules' score
 * events (one call covering the year so far and the previous period), competition ranks, the change
 * against the previous period, zero-submission units and quota progress.
 */
export async function computeRanking(db: DbOrTx, input: RankingInput, prefetched?: ScoreEvent[]): Promise<RankingReport> {
  const { period, timezone } = input;
  const range = periodRange(period, timezone);
  const previous = previousPeriod(period);
  const prevRange = periodRange(previous, timezone);
  const yearStart = zonedTime(period.year, 1, 1, 0, 0, timezone);

  const [unitRows, counts, fetched] = await Promise.all([
    db
      .select({ id: unitsTable.id, name: unitsTable.name, active: unitsTable.active, sortOrder: unitsTable.sortOrder, createdAt: unitsTable.createdAt })
      .from(unitsTable),
    draftCounts(db, range),
    prefetched ?? computeScoreEvents(db, { from: scoreEventsFrom(period, timezone), to: range.end, timezone }),
  ]);
  const events = fetched.filter((e) => e.at < range.end);

  // One pass over the events (a province has tens of thousands a year).
  const startMs = range.start.getTime();
  const endMs = range.end.getTime();
  const prevStartMs = prevRange.start.getTime();
  const prevEndMs = prevRange.end.getTime();
  const yearMs = yearStart.getTime();
  const points = new Map<number, number>();
  const prevPoints = new Map<number, number>();
  const ytd = new Map<number, number>();
  const adopted = new Map<number, LevelCounts>();
  const add = (m: Map<number, number>, e: ScoreEvent) => m.set(e.unitId, (m.get(e.unitId) ?? 0) + e.points);
  for (const e of events) {
    const t = e.at.getTime();
    if (t >= prevStartMs && t < prevEndMs) add(prevPoints, e);
    if (t >= yearMs && t < endMs) add(ytd, e);
    if (t < startMs || t >= endMs) continue;
    add(points, e);
    if (e.kind === 'adoption' && e.level) {
      const c = adopted.get(e.unitId) ?? emptyLevels();
      c[e.level] += 1;
      adopted.set(e.unitId, c);
    }
  }
  const perUnit = sumCounts(counts);

  const current = unitsInScope(unitRows, range.end, (id) => perUnit.has(id) || points.has(id));
  const before = unitsInScope(unitRows, prevRange.end, (id) => prevPoints.has(id));
  // Sums of prices such as 0.5: rounded to cents so that 0.1 + 0.2 ties with 0.3.
  const ranks = competitionRanks(new Map(current.map((u) => [u.id, roundPoints(points.get(u.id) ?? 0)])));
  const prevRanks = competitionRanks(new Map(before.map((u) => [u.id, roundPoints(prevPoints.get(u.id) ?? 0)])));

  const rows: RankingRow[] = current.map((u) => {
    const rank = ranks.get(u.id)!;
    const previousRank = prevRanks.get(u.id);
    return {
      unitId: u.id,
      unitName: u.name,
      submitted: perUnit.get(u.id)?.submitted ?? 0,
      approved: perUnit.get(u.id)?.approved ?? 0,
      adopted: adopted.get(u.id) ?? emptyLevels(),
      points: roundPoints(points.get(u.id) ?? 0),
      ytdPoints: roundPoints(ytd.get(u.id) ?? 0),
      rank,
      previousRank,
      change: rankChange(rank, previousRank),
    };
  });
  const order = new Map(current.map((u, i) => [u.id, i]));
  rows.sort((a, b) => a.rank - b.rank || b.ytdPoints - a.ytdPoints || b.submitted - a.submitted || order.get(a.unitId)! - order.get(b.unitId)!);

  const totals = { submitted: 0, approved: 0, adopted: emptyLevels(), points: 0, ytdPoints: 0 };
  for (const r of rows) {
    totals.submitted += r.submitted;
    totals.approved += r.approved;
    for (const level of Object.keys(totals.adopted) as (keyof LevelCounts)[]) totals.adopted[level] += r.adopted[level];
    totals.points += r.points;
    totals.ytdPoints += r.ytdPoints;
  }
  totals.points = roundPoints(totals.points);
  totals.ytdPoints = roundPoints(totals.ytdPoints);

  const quotas = await evaluateQuotas(db, {
    rules: input.quotas,
    period,
    timezone,
    unitIds: current.map((u) => u.id),
    periodCounts: counts,
    events,
  });

  return {
    period,
    label: periodLabel(period),
    range,
    previous,
    rows,
    zeroSubmission: current.filter((u) => !(perUnit.get(u.id)?.submitted)).map((u) => ({ unitId: u.id, unitName: u.name })),
    totals,
    quotas,
    generatedAt: input.now,
  };
}

/**
 * Where the score events a ranking needs begin: the previous period (for the change of rank) or
 * 1 January (for the year so far), whichever is earlier. Callers that also need later events (the
 * export) read from here to their own end and pass them in.
 */
export function scoreEventsFrom(period: Period, timezone: string): Date {
  const yearStart = zonedTime(period.year, 1, 1, 0, 0, timezone);
  return new Date(Math.min(yearStart.getTime(), periodRange(previousPeriod(period), timezone).start.getTime()));
}

/**
 * Units that belong in a period's ranking: those that existed before it ended (a unit added in
 * June is neither ranked nor named as 零报送 for May), minus deactivated units with nothing in it.
 */
function unitsInScope(all: UnitInfo[], end: Date, hasActivity: (id: number) => boolean): UnitInfo[] {
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
