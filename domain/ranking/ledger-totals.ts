import { and, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.js';
import { scoreEvents, scoreMonths, type Category } from '../../db/schema/index.js';
import { centsToPoints } from '../scoring/ledger.js';
import type { Level } from '../scoring/types.js';
import { LEVEL_ORDER } from './quotas.js';
import { emptyLevels, type LevelCounts } from './types.js';

type Range = { start: Date; end: Date };

export type UnitTotals = {
  /** Points in the period, in the previous period, and from 1 January to the period's end. */
  points: number;
  previous: number;
  ytd: number;
  /** Whether the unit has any score event in the period / the previous one (even worth 0). */
  active: boolean;
  activeBefore: boolean;
  /** Adoption events in the period by level. */
  adopted: LevelCounts;
};

const sumOf = (column: AnyPgColumn, cond: SQL) => sql<string | null>`sum(${column}) filter (where ${cond})`;
const within = (r: Range) => and(gte(scoreEvents.at, r.start), lt(scoreEvents.at, r.end))!;
/** Periods are whole local months, so a month's sums are in a period or out of it. */
const monthsWithin = (r: Range) => and(gte(scoreMonths.month, r.start), lt(scoreMonths.month, r.end))!;

/**
 * Every unit's points for a ranking in one grouped range scan of the ledger's monthly sums: a unit's
 * year so far is at most twelve rows. The ledger must be fresh: callers refresh it first.
 */
export async function ledgerTotals(db: DbOrTx, r: TotalsRanges): Promise<Map<number, UnitTotals>> {
  const rows = await ledgerTotalsQuery(db, r);
  return new Map(
    rows.map((row) => {
      const adopted = emptyLevels();
      for (const level of LEVEL_ORDER) adopted[level] = Number(row[level] ?? 0);
      return [
        row.unitId,
        {
          points: centsToPoints(row.points),
          previous: centsToPoints(row.previous),
          ytd: centsToPoints(row.ytd),
          active: Number(row.events ?? 0) > 0,
          activeBefore: Number(row.eventsBefore ?? 0) > 0,
          adopted,
        },
      ];
    }),
  );
}

type TotalsRanges = { period: Range; previous: Range; yearStart: Date };

/** The query behind ledgerTotals (the benchmark prints its plan). */
export function ledgerTotalsQuery(db: DbOrTx, r: TotalsRanges) {
  const inPeriod = monthsWithin(r.period);
  return db
    .select({
      unitId: scoreMonths.unitId,
      points: sumOf(scoreMonths.cents, inPeriod),
      previous: sumOf(scoreMonths.cents, monthsWithin(r.previous)),
      ytd: sumOf(scoreMonths.cents, monthsWithin({ start: r.yearStart, end: r.period.end })),
      events: sumOf(scoreMonths.events, inPeriod),
      eventsBefore: sumOf(scoreMonths.events, monthsWithin(r.previous)),
      county: sumOf(scoreMonths.adoptedCounty, inPeriod),
      city: sumOf(scoreMonths.adoptedCity, inPeriod),
      province: sumOf(scoreMonths.adoptedProvince, inPeriod),
      central: sumOf(scoreMonths.adoptedCentral, inPeriod),
    })
    .from(scoreMonths)
    .where(and(gte(scoreMonths.month, new Date(Math.min(r.yearStart.getTime(), r.previous.start.getTime()))), lt(scoreMonths.month, r.period.end)))
    .groupBy(scoreMonths.unitId);
}

/**
 * Pieces adopted in a range at `minLevel` or above (a piece adopted by the city and the province is
 * one piece), per unit and for the whole county, optionally of one category.
 */
export async function adoptedPieces(db: DbOrTx, q: PiecesQuery): Promise<{ byUnit: Map<number, number>; county: number }> {
  const byUnit = new Map<number, number>();
  let county = 0;
  for (const row of await adoptedPiecesQuery(db, q)) {
    if (Number(row.whole) === 1) county = Number(row.pieces);
    else byUnit.set(row.unitId, Number(row.pieces));
  }
  return { byUnit, county };
}

type PiecesQuery = { range: Range; minLevel: Level; category?: Category };

/** The query behind adoptedPieces: one grouping set per unit and one for the county. */
export function adoptedPiecesQuery(db: DbOrTx, q: PiecesQuery) {
  const levels = LEVEL_ORDER.slice(LEVEL_ORDER.indexOf(q.minLevel));
  return db
    .select({ unitId: scoreEvents.unitId, pieces: sql<string>`count(distinct ${scoreEvents.pieceKey})`, whole: sql<number>`grouping(${scoreEvents.unitId})` })
    .from(scoreEvents)
    .where(
      and(
        within(q.range),
        eq(scoreEvents.kind, 'adoption'),
        inArray(scoreEvents.level, levels),
        q.category ? eq(scoreEvents.category, q.category) : undefined,
      ),
    )
    .groupBy(sql`grouping sets ((${scoreEvents.unitId}), ())`);
}
