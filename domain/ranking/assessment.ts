import { and, gte, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { scoreEvents, units as unitsTable } from '../../db/schema/index.js';
import { zonedTime } from '../../bot/time.js';
import { round2 } from '../scoring/engine.js';
import { centsToPoints, refreshScoreLedger } from '../scoring/ledger.js';
import { loadRuleVersions, ruleInForce, type RuleVersion } from '../scoring/rule-versions.js';
import { judgingDateOf } from './quotas-in-force.js';
import { sectionEntries } from '../scoring/rules.js';
import { unitsInScope } from './compute.js';
import { competitionRanks } from './rank.js';

export type SectionScore = {
  /** Points the ledger gives the section in the year (adjustments included). */
  raw: number;
  /** Raw points stopped at the section's cap. */
  capped: number;
  /** capped ÷ cap × weight. */
  weighted: number;
};

export type AssessmentRow = {
  unitId: number;
  unitName: string;
  sections: Record<string, SectionScore>;
  /** Points in sections the table does not list (a section removed from the rules): shown, not weighted. */
  unlisted: number;
  total: number;
  rank: number;
};

export type AssessmentReport = {
  year: number;
  /** The rule version whose table applies: in force on 31 December, or today while the year runs. */
  version: RuleVersion;
  asOf: string;
  max: number;
  sections: { name: string; cap: number; weight: number }[];
  /** Highest total first; ties share a rank. */
  rows: AssessmentRow[];
};

/** Scores a section's raw points: stopped at the cap, converted to the section's share of the maximum. */
export function scoreSection(raw: number, s: { cap: number; weight: number }): SectionScore {
  const capped = round2(Math.min(raw, s.cap));
  return { raw: round2(raw), capped, weighted: round2((capped / s.cap) * s.weight) };
}

/**
 * The year's assessment table (千分制): every unit's ledger points per section for the calendar year
 * (one grouped range scan), each section capped and weighted by the table of the rule version in force
 * at the year's end (or today, for the running year).
 */
export async function computeAssessment(db: DbOrTx, o: { year: number; timezone: string; now: Date; unitIds?: number[] }): Promise<AssessmentReport> {
  const start = zonedTime(o.year, 1, 1, 0, 0, o.timezone);
  const end = zonedTime(o.year + 1, 1, 1, 0, 0, o.timezone);
  await refreshScoreLedger(db, o.timezone);
  const asOf = judgingDateOf({ kind: 'year', year: o.year }, o.timezone, o.now);
  const [versions, sums, unitRows] = await Promise.all([
    loadRuleVersions(db),
    db
      .select({ unitId: scoreEvents.unitId, section: scoreEvents.section, cents: sql<string>`sum(${scoreEvents.cents})` })
      .from(scoreEvents)
      .where(and(gte(scoreEvents.at, start), lt(scoreEvents.at, end)))
      .groupBy(scoreEvents.unitId, scoreEvents.section),
    db
      .select({ id: unitsTable.id, name: unitsTable.name, active: unitsTable.active, sortOrder: unitsTable.sortOrder, createdAt: unitsTable.createdAt })
      .from(unitsTable),
  ]);
  const version = ruleInForce(versions, asOf);
  const table = version.rules.assessment;
  const sections = sectionEntries(table.sections).map(([name, s]) => ({ name, cap: s.cap, weight: s.weight }));

  const raw = new Map<number, Map<string, number>>();
  for (const r of sums) {
    const m = raw.get(r.unitId) ?? new Map<string, number>();
    m.set(r.section ?? '', centsToPoints(r.cents));
    raw.set(r.unitId, m);
  }
  const scope = unitsInScope(unitRows, end, (id) => raw.has(id));

  const rows = scope.map((u) => {
    const mine = raw.get(u.id) ?? new Map<string, number>();
    const scored: Record<string, SectionScore> = {};
    for (const s of sections) scored[s.name] = scoreSection(mine.get(s.name) ?? 0, s);
    const unlisted = round2([...mine].filter(([name]) => !(name in table.sections)).reduce((sum, [, p]) => sum + p, 0));
    const total = round2(sections.reduce((sum, s) => sum + scored[s.name]!.weighted, 0));
    return { unitId: u.id, unitName: u.name, sections: scored, unlisted, total, rank: 0 };
  });
  const ranks = competitionRanks(new Map(rows.map((r) => [r.unitId, r.total])));
  for (const r of rows) r.rank = ranks.get(r.unitId)!;
  const order = new Map(scope.map((u, i) => [u.id, i]));
  rows.sort((a, b) => a.rank - b.rank || order.get(a.unitId)! - order.get(b.unitId)!);
  // A unit that sees only itself still sees its rank among all.
  const shown = o.unitIds ? rows.filter((r) => o.unitIds!.includes(r.unitId)) : rows;
  return { year: o.year, version, asOf, max: table.max, sections, rows: shown };
}
