import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { drafts, people, scoreCredits, units } from '../../db/schema/index.js';
import { displayName } from '../../db/queries/roster.js';
import { refreshScoreLedger } from '../scoring/ledger.js';
import { PASSED_STATES } from './draft-counts.js';
import { LEVEL_ORDER } from './quotas.js';
import { competitionRanks } from './rank.js';
import { emptyLevels, type LevelCounts } from './types.js';

export type OfficerRow = {
  openId: string;
  name: string;
  /** Units the officer wrote for in the period (usually one). */
  unitNames: string[];
  submitted: number;
  approved: number;
  /** Distinct pieces credited to the officer, by the level that adopted them. */
  adopted: LevelCounts;
  points: number;
  rank: number;
};

type Range = { start: Date; end: Date };

/**
 * Points and counts per officer (author) for [start, end), from the ledger's officer credits
 * (domain/scoring/credits.ts): a bulletin item's points for a unit shared equally by that unit's
 * authors among its sources (as the rules split a merged item among units), a draft's to its author,
 * a manual adjustment to the officer it names. Topic timeliness and quarterly caps stay with the unit.
 */
export async function officerStats(db: DbOrTx, o: { range: Range; timezone: string; officers?: string[] }): Promise<OfficerRow[]> {
  await refreshScoreLedger(db, o.timezone);
  const [credits, counts] = await Promise.all([officerCreditsQuery(db, o.range), officerDraftCounts(db, o.range)]);
  const byOfficer = new Map<string, { submitted: number; approved: number; adopted: LevelCounts; cents: number; units: Set<number> }>();
  const entry = (id: string) => {
    let e = byOfficer.get(id);
    if (!e) byOfficer.set(id, (e = { submitted: 0, approved: 0, adopted: emptyLevels(), cents: 0, units: new Set() }));
    return e;
  };
  for (const c of counts) {
    const e = entry(c.officer);
    e.submitted += c.submitted;
    e.approved += c.approved;
    e.units.add(c.unitId);
  }
  for (const c of credits) {
    const e = entry(c.officer);
    e.cents = Number(c.cents);
    for (const level of LEVEL_ORDER) e.adopted[level] = Number(c[level]);
    e.units.add(c.unitId);
  }
  const ids = [...byOfficer.keys()];
  const unitIds = [...new Set([...byOfficer.values()].flatMap((e) => [...e.units]))];
  const [names, unitNames] = await Promise.all([
    ids.length ? db.select({ openId: people.openId, name: people.name }).from(people).where(inArray(people.openId, ids)) : [],
    unitIds.length ? db.select({ id: units.id, name: units.name, sortOrder: units.sortOrder }).from(units).where(inArray(units.id, unitIds)) : [],
  ]);
  const nameOf = new Map(names.map((p) => [p.openId, p.name]));
  const unitOf = new Map(unitNames.map((u) => [u.id, u]));
  const points = new Map(ids.map((id) => [id, Math.round(byOfficer.get(id)!.cents) / 100]));
  const ranks = competitionRanks(points);
  const rows = ids.map((id) => {
    const e = byOfficer.get(id)!;
    const us = [...e.units].map((u) => unitOf.get(u)!).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
    return {
      openId: id,
      name: displayName(nameOf.get(id), id),
      unitNames: us.map((u) => u.name),
      submitted: e.submitted,
      approved: e.approved,
      adopted: e.adopted,
      points: points.get(id)!,
      rank: ranks.get(id)!,
    };
  });
  rows.sort((a, b) => a.rank - b.rank || b.submitted - a.submitted || a.name.localeCompare(b.name, 'zh'));
  return o.officers ? rows.filter((r) => o.officers!.includes(r.openId)) : rows;
}

function officerDraftCounts(db: DbOrTx, range: Range) {
  return db
    .select({
      officer: drafts.authorOpenId,
      unitId: drafts.unitId,
      submitted: sql<number>`count(*) filter (where ${drafts.state} <> 'withdrawn')`.mapWith(Number),
      approved: sql<number>`count(*) filter (where ${inArray(drafts.state, [...PASSED_STATES])})`.mapWith(Number),
    })
    .from(drafts)
    .where(and(gte(drafts.submittedAt, range.start), lt(drafts.submittedAt, range.end)))
    .groupBy(drafts.authorOpenId, drafts.unitId);
}

type CreditRow = { officer: string; unitId: number; cents: string; county: string; city: string; province: string; central: string };

export async function officerCreditsQuery(db: DbOrTx, range: Range): Promise<CreditRow[]> {
  const result = await db.execute(officerCreditsSql(range));
  return (Array.isArray(result) ? result : (result as { rows: CreditRow[] }).rows) as CreditRow[];
}

/**
 * The statement behind the officer points (the benchmark explains it): one range scan of the credits.
 * Distinct pieces are counted by grouping twice (officer, piece and adopting level first, then
 * officer) rather than with count(distinct), which sorts every row of the year and spills to disk
 * on a province's history; both groupings hash in memory.
 */
export function officerCreditsSql(range: Range) {
  const adopted = (level: string) => sql.raw(`count(*) filter (where adopted_level = '${level}')`);
  return sql`
    select officer, min(unit_id) as "unitId", sum(cents)::text as cents,
      ${adopted('county')} as county, ${adopted('city')} as city, ${adopted('province')} as province, ${adopted('central')} as central
    from (
      select officer, min(unit_id) as unit_id, sum(cents) as cents,
        case when kind = 'adoption' and piece_key is not null then level end as adopted_level
      from ${scoreCredits}
      where at >= ${range.start.toISOString()}::timestamptz and at < ${range.end.toISOString()}::timestamptz
      group by officer, piece_key, adopted_level
    ) as per_piece
    group by officer`;
}
