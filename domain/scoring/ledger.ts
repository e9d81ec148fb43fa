import { and, eq, gte, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { bulletinItems, recognitions, scoreAdjustments, scoreCredits, scoreEvents, scoreLedger, scoreMonths, topics, topicTargets } from '../../db/schema/index.js';
import { adjustmentFacts } from './adjustment-source.js';
import { creditsOf, insertCredits } from './credits.js';
import { formatLocalDate } from '../../bot/time.js';
import { periodContaining, periodRange } from '../ranking/period.js';
import { awardedKey, priceFacts, type Awarded } from './engine.js';
import { loadOutletFacts, startOfLocalDate } from './load-facts.js';
import { loadRuleVersions, type RuleVersion } from './rule-versions.js';
import { topicOutcomeFacts } from './topic-source.js';
import type { Level, ScoreEvent } from './types.js';

/** Where a full rebuild starts: before any fact can exist. */
const EPOCH = new Date(0);

export type LedgerRefresh = { refreshed: false } | { refreshed: true; from: Date; quarters: number; events: number };

/**
 * Brings the score ledger up to date: when a fact changed (the triggers on the fact tables lowered
 * `stale_from`) or the ledger was priced in another timezone, every event from the start of the
 * affected quarter is priced again, one quarter at a time. Quarterly caps start afresh at each
 * quarter; "highest outlet" resumes from the ledger's own sums for the pieces involved, so a quarter
 * priced now gives what a replay of all history would.
 *
 * Cheap when nothing changed (one row read). The row lock serializes refreshes across processes and
 * makes writers of facts wait for a refresh in progress, whose mark then survives it.
 */
export async function refreshScoreLedger(db: DbOrTx, timezone: string): Promise<LedgerRefresh> {
  const [state] = await db.select().from(scoreLedger);
  if (state && state.staleFrom === null && state.timezone === timezone) return { refreshed: false };
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(scoreLedger).for('update');
    if (!locked) throw new Error('score_ledger has no row: run the database migrations');
    const staleFrom = locked.timezone === timezone ? locked.staleFrom : EPOCH;
    if (staleFrom === null) return { refreshed: false } as const;

    const quarterOf = (at: Date) => periodRange(periodContaining('quarter', at, timezone), timezone);
    const from = quarterOf(staleFrom).start;
    await tx.delete(scoreEvents).where(gte(scoreEvents.at, from));
    await tx.delete(scoreCredits).where(gte(scoreCredits.at, from));
    await tx.delete(scoreMonths).where(gte(scoreMonths.month, from));
    const span = await factSpan(tx, from, timezone);
    const versions = await loadRuleVersions(tx);
    let quarters = 0;
    let events = 0;
    if (span) {
      for (let q = quarterOf(span.first); q.start <= span.last; q = quarterOf(q.end)) {
        events += await priceQuarter(tx, q.start, q.end, versions, timezone);
        quarters += 1;
      }
    }
    await tx.update(scoreLedger).set({ staleFrom: null, timezone, refreshedAt: sql`now()` }).where(eq(scoreLedger.id, 1));
    return { refreshed: true, from, quarters, events } as const;
  });
}

async function priceQuarter(tx: DbOrTx, from: Date, to: Date, versions: RuleVersion[], timezone: string): Promise<number> {
  const [outlets, topicFacts, adjustments] = await Promise.all([
    loadOutletFacts(tx, { from, to, timezone }),
    topicOutcomeFacts(tx, { from, to }),
    adjustmentFacts(tx, { from, to, timezone }),
  ]);
  if (!outlets.length && !topicFacts.length && !adjustments.length) return 0;
  const awarded = await awardedBefore(tx, from, [...new Set(outlets.map((f) => f.piece.key))]);
  const events = priceFacts([...outlets, ...topicFacts, ...adjustments], versions, timezone, awarded);
  await insertEvents(tx, events);
  await Promise.all([insertCredits(tx, await creditsOf(tx, events, adjustments)), sumMonths(tx, from, to, timezone)]);
  return events.length;
}

/**
 * The quarter's events summed per unit and local month into `score_months`, from the rows just
 * written: one range scan of the quarter, each event's month picked by comparing with the month
 * boundaries computed here (not by the database's timezone data, so PGlite and PostgreSQL cut months
 * at the same instants as the ledger's quarters). A join against a list of months made PostgreSQL
 * estimate millions of rows and spend more time compiling the query (JIT) than running it.
 */
async function sumMonths(tx: DbOrTx, from: Date, to: Date, timezone: string) {
  const starts: Date[] = [];
  for (let m = periodRange(periodContaining('month', from, timezone), timezone); m.start < to; m = periodRange(periodContaining('month', m.end, timezone), timezone)) {
    starts.push(m.start);
  }
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const month = sql`case ${sql.join(starts.slice(1).map((start, i) => sql`when e.at < ${at(start)} then ${at(starts[i]!)}`), sql` `)} else ${at(starts.at(-1)!)} end`;
  const adopted = (level: Level) => sql`count(*) filter (where e.kind = 'adoption' and e.level = ${level})::int`;
  await tx.execute(sql`
    insert into ${scoreMonths} (month, unit_id, cents, events, adopted_county, adopted_city, adopted_province, adopted_central)
    select ${month}, e.unit_id, sum(e.cents)::int, count(*)::int, ${adopted('county')}, ${adopted('city')}, ${adopted('province')}, ${adopted('central')}
    from ${scoreEvents} e
    where e.at >= ${at(from)} and e.at < ${at(to)}
    group by 1, e.unit_id`);
}

/**
 * One statement for a quarter's events, passed as one JSON parameter: tens of thousands of rows go
 * in without building a statement with a placeholder per value (and without the 65,535 limit).
 */
async function insertEvents(tx: DbOrTx, events: ScoreEvent[]) {
  if (!events.length) return;
  const rows = JSON.stringify(events.map(toRow));
  await tx.execute(sql`
    insert into ${scoreEvents} (unit_id, at, kind, level, cents, rule_version, description, piece_key, category, item_id, draft_id, topic_id, section, adjustment_id)
    select unit_id, at, kind, level, cents, rule_version, description, piece_key, category, item_id, draft_id, topic_id, section, adjustment_id
    from jsonb_to_recordset(${rows}::jsonb) as r(unit_id integer, at timestamptz, kind text, level text, cents integer, rule_version integer,
      description text, piece_key text, category text, item_id integer, draft_id integer, topic_id integer, section text, adjustment_id integer, n integer)
    order by n`);
}

/** What each piece earned per pool and unit before `from`: the ledger's own sums. */
async function awardedBefore(tx: DbOrTx, from: Date, pieceKeys: string[]): Promise<Awarded> {
  const awarded: Awarded = new Map();
  if (!pieceKeys.length) return awarded;
  const rows = await tx
    .select({
      pieceKey: scoreEvents.pieceKey,
      endorsement: sql<boolean>`${scoreEvents.kind} = 'endorsement'`,
      unitId: scoreEvents.unitId,
      cents: sql<string>`sum(${scoreEvents.cents})`,
    })
    .from(scoreEvents)
    .where(
      and(
        // One JSON parameter however many pieces the quarter touches.
        sql`${scoreEvents.pieceKey} in (select jsonb_array_elements_text(${JSON.stringify(pieceKeys)}::jsonb))`,
        lt(scoreEvents.at, from),
        ne(scoreEvents.kind, 'cap'),
      ),
    )
    .groupBy(scoreEvents.pieceKey, sql`2`, scoreEvents.unitId);
  for (const r of rows) awarded.set(awardedKey(r.pieceKey!, r.endorsement ? 'endorsement' : 'outlet', r.unitId), centsToPoints(r.cents));
  return awarded;
}

/** A row for jsonb_to_recordset; `n` keeps the pricing order in the row ids. */
function toRow(e: ScoreEvent, n: number) {
  return {
    n,
    unit_id: e.unitId,
    at: e.at.toISOString(),
    kind: e.kind,
    level: e.level ?? null,
    cents: Math.round(e.points * 100),
    rule_version: e.ruleVersion,
    description: e.description,
    piece_key: e.pieceKey ?? null,
    category: e.category ?? null,
    item_id: e.itemId ?? null,
    draft_id: e.draftId ?? null,
    topic_id: e.topicId ?? null,
    section: e.section ?? null,
    adjustment_id: e.adjustmentId ?? null,
  };
}

/** The first and last instants with a fact from `from` on, or undefined when there is none. */
async function factSpan(tx: DbOrTx, from: Date, timezone: string): Promise<{ first: Date; last: Date } | undefined> {
  const [items] = await tx
    .select({ first: sql<Date | null>`min(${bulletinItems.adoptedAt})`.mapWith(toDate), last: sql<Date | null>`max(${bulletinItems.adoptedAt})`.mapWith(toDate) })
    .from(bulletinItems)
    .where(gte(bulletinItems.adoptedAt, from));
  const [recs] = await tx
    .select({ first: sql<string | null>`min(${recognitions.occurredOn})::text`, last: sql<string | null>`max(${recognitions.occurredOn})::text` })
    .from(recognitions)
    .where(and(eq(recognitions.status, 'confirmed'), gte(recognitions.occurredOn, formatLocalDate(from, timezone))));
  const [outcomes] = await tx
    .select({ first: sql<Date | null>`min(${topics.deadline})`.mapWith(toDate), last: sql<Date | null>`max(${topics.deadline})`.mapWith(toDate) })
    .from(topicTargets)
    .innerJoin(topics, eq(topics.id, topicTargets.topicId))
    .where(and(isNotNull(topicTargets.outcome), gte(topics.deadline, from)));
  const [adjs] = await tx
    .select({ first: sql<string | null>`min(${scoreAdjustments.occurredOn})::text`, last: sql<string | null>`max(${scoreAdjustments.occurredOn})::text` })
    .from(scoreAdjustments)
    .where(and(eq(scoreAdjustments.status, 'active'), gte(scoreAdjustments.occurredOn, formatLocalDate(from, timezone))));
  const instants = [
    adjs?.first ? startOfLocalDate(adjs.first, timezone) : null,
    adjs?.last ? startOfLocalDate(adjs.last, timezone) : null,
    items?.first,
    items?.last,
    recs?.first ? startOfLocalDate(recs.first, timezone) : null,
    recs?.last ? startOfLocalDate(recs.last, timezone) : null,
    outcomes?.first,
    outcomes?.last,
  ].filter((d): d is Date => d instanceof Date);
  if (!instants.length) return undefined;
  const times = instants.map((d) => d.getTime());
  return { first: new Date(Math.min(...times)), last: new Date(Math.max(...times)) };
}

/** Aggregates over timestamps come back as strings from postgres.js and as Dates from PGlite. */
function toDate(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(v as string | Date);
}

/** The ledger keeps points as whole cents (exact sums); people and the engine see points. */
export const centsToPoints = (cents: number | string | null) => Number(cents ?? 0) / 100;
