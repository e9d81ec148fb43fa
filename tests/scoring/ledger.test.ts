import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client.js';
import { bulletinItems, bulletinItemSources, drafts, recognitions, scoreCredits, scoreEvents, scoreLedger, scoreMonths, topicTargets, type Category, type RecognitionKind, type TopicOutcome } from '../../db/schema/index.js';
import { periodContaining, periodRange } from '../../domain/ranking/period.js';
import { priceFacts } from '../../domain/scoring/engine.js';
import { refreshScoreLedger } from '../../domain/scoring/ledger.js';
import { loadOutletFacts } from '../../domain/scoring/load-facts.js';
import { topicOutcomeFacts } from '../../domain/scoring/topic-source.js';
import { adjustmentFacts } from '../../domain/scoring/adjustment-source.js';
import { recordAdjustment, revokeAdjustment } from '../../domain/scoring/adjustments.js';
import { createRuleVersion, loadRuleVersions } from '../../domain/scoring/rule-versions.js';
import { readScoreEvents } from '../../domain/scoring/score-events.js';
import type { Level, ScoreEvent } from '../../domain/scoring/types.js';
import { seededRandom } from '../../bench/seeded-random.js';
import { createTestDb } from '../helpers/test-db.js';
import { World } from './world.js';

const TZ = 'Asia/Shanghai';
const t = (local: string) => new Date(`${local}:00+08:00`);

let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

async function world(): Promise<World> {
  handle = await createTestDb();
  return new World(handle.db).init();
}

/** Every ledger row in pricing order, without the row ids (a rebuild numbers them anew). */
async function ledgerRows(db: Db) {
  const rows = await db.select().from(scoreEvents).orderBy(scoreEvents.at, scoreEvents.id);
  return rows.map(({ id: _id, ...rest }) => rest);
}

/** The officer credits in pricing order, without row ids. */
async function creditRows(db: Db) {
  const rows = await db.select().from(scoreCredits).orderBy(scoreCredits.at, scoreCredits.id);
  return rows.map(({ id: _id, ...rest }) => rest);
}

/** What a rebuild from nothing gives for the same facts, rolled back so the ledger is left as it was. */
async function rebuiltRows(db: Db) {
  let rows: { events: Awaited<ReturnType<typeof ledgerRows>>; credits: Awaited<ReturnType<typeof creditRows>> } = { events: [], credits: [] };
  const rollback = new Error('rollback');
  await db
    .transaction(async (tx) => {
      await tx.update(scoreLedger).set({ staleFrom: new Date(0) });
      await refreshScoreLedger(tx, TZ);
      rows = { events: await ledgerRows(tx as unknown as Db), credits: await creditRows(tx as unknown as Db) };
      throw rollback;
    })
    .catch((err) => {
      if (err !== rollback) throw err;
    });
  return rows;
}

/**
 * The oracle: every fact ever recorded priced in one pass from nothing, by the same engine, with no
 * ledger involved. The ledger, priced a quarter at a time and resuming from its own sums, must agree.
 */
async function pricedInOnePass(db: Db) {
  const range = { from: new Date(0), to: new Date('2100-01-01T00:00:00Z') };
  const [versions, outlets, topicFacts, adjustments] = await Promise.all([
    loadRuleVersions(db),
    loadOutletFacts(db, { ...range, timezone: TZ }),
    topicOutcomeFacts(db, range),
    adjustmentFacts(db, { ...range, timezone: TZ }),
  ]);
  return priceFacts([...outlets, ...topicFacts, ...adjustments], versions, TZ).map(comparable);
}

function comparable(e: ScoreEvent) {
  return [e.unitId, e.at.toISOString(), e.kind, e.level ?? null, Math.round(e.points * 100), e.ruleVersion, e.description, e.pieceKey ?? null, e.category ?? null, e.itemId ?? null, e.draftId ?? null, e.topicId ?? null, e.section ?? null, e.adjustmentId ?? null];
}

/** The monthly sums as stored, and as the events give them (each event's local month computed here). */
async function monthSums(db: Db, timezone = TZ) {
  const stored = await db.select().from(scoreMonths).orderBy(scoreMonths.month, scoreMonths.unitId);
  const expected = new Map<string, typeof stored[number]>();
  for (const e of await db.select().from(scoreEvents)) {
    const month = periodRange(periodContaining('month', e.at, timezone), timezone).start;
    const key = `${month.toISOString()}|${e.unitId}`;
    const row = expected.get(key) ?? { month, unitId: e.unitId, cents: 0, events: 0, adoptedCounty: 0, adoptedCity: 0, adoptedProvince: 0, adoptedCentral: 0 };
    row.cents += e.cents;
    row.events += 1;
    if (e.kind === 'adoption') {
      const field = ({ county: 'adoptedCounty', city: 'adoptedCity', province: 'adoptedProvince', central: 'adoptedCentral' } as const)[e.level!];
      row[field] += 1;
    }
    expected.set(key, row);
  }
  const computed = [...expected.values()].sort((a, b) => a.month.getTime() - b.month.getTime() || a.unitId - b.unitId);
  return { stored, computed };
}

async function staleFrom(db: Db): Promise<Date | null> {
  const [row] = await db.select().from(scoreLedger);
  return row!.staleFrom;
}

/** A small seeded generator, so a failure names a history that can be replayed. */
function prng(seed: number) {
  const next = seededRandom(seed);
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T,>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    /** A local date-time between 2025-10-01 and 2026-12-31. */
    when: () => {
      const day = new Date(Date.UTC(2025, 9, 1) + Math.floor(next() * 456) * 86_400_000);
      return `${day.toISOString().slice(0, 10)}T${String(8 + Math.floor(next() * 12)).padStart(2, '0')}:00`;
    },
  };
}

const UNITS = ['甲镇', '乙镇', '丙镇'];
const LEVELS: Level[] = ['city', 'province', 'central'];
const RULES = [
  'cap_per_unit_per_quarter: 6',
  'outlets: cumulative',
  'outlets: highest',
  'points: {county: 2}',
  'merged: {credit: split}',
  'topic: {on_time: 2, late: -1, missing: -3}',
  'publications: {测试专报: 3}',
  'issue_adoption: {city: 3, province: 5}',
];

describe('score ledger', { timeout: 120_000 }, () => {
  it.each([1, 2, 3])('refreshed after changes, the ledger equals all history priced in one pass, and a rebuild (random history %i)', async (seed) => {
    const w = await world();
    const db = handle!.db;
    const r = prng(seed);
    const items: number[] = [];
    const loose: number[] = [];
    const recs: number[] = [];
    const missing: number[] = [];
    const adjustments: number[] = [];
    let recorded = 0;
    let wholeIssues = 0;
    for (let step = 0; step < 40; step++) {
      const what = r.int(14);
      if (what <= 2 || items.length === 0) {
        const n = r.int(4) === 0 ? 2 + r.int(2) : 1;
        const first = r.int(UNITS.length);
        const units = Array.from({ length: n }, (_, i) => UNITS[(first + i) % UNITS.length]!);
        const category: Category = r.pick(['组工信息', '调研文稿'] as const);
        // A third of the pieces go into the second publication, which rules may price on its own.
        const issue = r.int(3) === 0 ? w.issueIds[1] : w.issueIds[0];
        items.push((await w.item(units, `${r.when()}+08:00`, { category, issue })).item.id);
      } else if (what === 13) {
        // A whole issue adopted upstairs: one recognition per item, naming the issue.
        const issueId = r.pick(w.issueIds);
        const inIssue = await db.select({ id: bulletinItems.id }).from(bulletinItems).where(eq(bulletinItems.issueId, issueId));
        const level = r.pick(LEVELS);
        const on = r.when().slice(0, 10);
        for (const { id } of inIssue) await w.recognize({ itemId: id }, 'upper_adoption', level, on, { wholeIssueId: issueId });
        wholeIssues += inIssue.length ? 1 : 0;
      } else if (what === 3) {
        // An approved draft recognized upstairs first, maybe put into the bulletin later.
        const d = await w.draft(r.pick(UNITS), { state: 'approved' });
        await w.recognize({ draftId: d.id }, 'upper_adoption', r.pick(LEVELS), r.when().slice(0, 10));
        loose.push(d.id);
      } else if (what === 4 && loose.length) {
        items.push((await w.adoptExisting(loose.splice(r.int(loose.length), 1)[0]!, `${r.when()}+08:00`)).id);
      } else if (what === 5) {
        // Back-dated on purpose: a recognition reported late re-prices whatever came after it.
        const kind: RecognitionKind = r.pick(['upper_adoption', 'media', 'endorsement'] as const);
        await w.recognize({ itemId: r.pick(items) }, kind, r.pick(LEVELS), r.when().slice(0, 10));
        const [last] = await db.select({ id: recognitions.id }).from(recognitions).orderBy(sql`${recognitions.id} desc`).limit(1);
        recs.push(last!.id);
      } else if (what === 6 && recs.length) {
        await db.update(recognitions).set({ status: 'rejected' }).where(eq(recognitions.id, recs.splice(r.int(recs.length), 1)[0]!));
      } else if (what === 7) {
        await db.update(bulletinItems).set({ category: r.pick(['组工信息', '调研文稿', '网评文章'] as const), title: `改题${step}` }).where(eq(bulletinItems.id, r.pick(items)));
      } else if (what === 8) {
        const outcome: TopicOutcome = r.pick(['on_time', 'late', 'missing'] as const);
        const topic = await w.topicOutcome(r.pick(UNITS), outcome, t(r.when()));
        if (outcome === 'missing') missing.push(topic.id);
      } else if (what === 9 && missing.length) {
        // A unit recorded missing answers after all: late, at the same deadline.
        await db.update(topicTargets).set({ outcome: 'late' }).where(eq(topicTargets.topicId, missing.splice(r.int(missing.length), 1)[0]!));
      } else if (what === 10) {
        // Manual 加分/扣分, back-dated like a late recognition; gains are not cut by the quarterly cap.
        const points = r.pick([-5, -1.5, 2, 3.33] as const);
        const section = r.pick(['组工信息', '调研文稿', '时效'] as const);
        const { adjustment } = await db.transaction((tx) =>
          recordAdjustment(tx, { unitId: w.unit(r.pick(UNITS)), points, section, reason: `调整${step}`, date: r.when().slice(0, 10), actor: 'ou_ed', now: new Date('2027-01-01T00:00:00Z'), timezone: TZ }),
        );
        adjustments.push(adjustment.id);
        recorded += 1;
      } else if (what === 12) {
        // A draft handed to another author: the officers' credits of its piece move with it.
        const [source] = await db.select().from(bulletinItemSources).where(eq(bulletinItemSources.itemId, r.pick(items))).limit(1);
        const [d] = await db.select().from(drafts).where(eq(drafts.id, source!.draftId));
        await db.update(drafts).set({ authorOpenId: d!.authorOpenId === 'ou_ed' ? 'ou_oa' : 'ou_ed' }).where(eq(drafts.id, d!.id));
      } else if (what === 11 && adjustments.length) {
        const id = adjustments.splice(r.int(adjustments.length), 1)[0]!;
        await db.transaction((tx) => revokeAdjustment(tx, { id, reason: '撤销', actor: 'ou_ed', now: new Date('2027-01-01T00:00:00Z'), timezone: TZ }));
      } else {
        const yaml = r.pick(RULES);
        const effectiveFrom = r.when().slice(0, 10);
        await db.transaction((tx) => createRuleVersion(tx, { yaml, effectiveFrom, actor: 'ou_ed', now: new Date('2025-01-01T00:00:00Z'), timezone: TZ }));
      }
      expect(await staleFrom(db), `step ${step} marked the ledger stale`).not.toBeNull();
      if (step % 3 === 2) {
        await readScoreEvents(db, { from: t('2026-11-01T00:00'), to: t('2026-12-01T00:00'), timezone: TZ });
        expect(await staleFrom(db)).toBeNull();
        const all = await readScoreEvents(db, { from: new Date(0), to: new Date('2100-01-01T00:00:00Z'), timezone: TZ });
        expect(all.map(comparable), `after step ${step}`).toEqual(await pricedInOnePass(db));
        const months = await monthSums(db);
        expect(months.stored, `monthly sums after step ${step}`).toEqual(months.computed);
      }
    }
    await refreshScoreLedger(db, TZ);
    const rows = await ledgerRows(db);
    expect(rows.length).toBeGreaterThan(20);
    expect(recorded, 'the history has manual adjustments').toBeGreaterThan(0);
    expect(wholeIssues, 'the history has whole-issue adoptions').toBeGreaterThan(0);
    const second = await db.select({ id: bulletinItems.id }).from(bulletinItems).where(eq(bulletinItems.issueId, w.issueIds[1]!));
    expect(second.length, 'the history has pieces in the second publication').toBeGreaterThan(0);
    const credits = await creditRows(db);
    expect(credits.length).toBeGreaterThan(10);
    expect({ events: rows, credits }).toEqual(await rebuiltRows(db));
  });

  it('a recognition typed into the database by hand is picked up: the trigger marks its date, the next read re-prices', async () => {
    const w = await world();
    const db = handle!.db;
    const { item } = await w.item(['甲镇'], '2026-10-20T10:00+08:00');
    const before = await readScoreEvents(db, { from: t('2026-10-01T00:00'), to: t('2027-01-01T00:00'), timezone: TZ });
    expect(before.map((e) => [e.kind, e.points])).toEqual([['adoption', 1]]);
    expect(await staleFrom(db)).toBeNull();

    await db.execute(
      sql`insert into recognitions (item_id, kind, level, outlet, occurred_on, status, reported_by, reported_at) values (${item.id}, 'upper_adoption', 'province', '省委组工信息', '2026-11-05', 'confirmed', 'psql', now())`,
    );
    const mark = await staleFrom(db);
    expect(mark).not.toBeNull();
    expect(mark!.getTime()).toBeLessThanOrEqual(t('2026-11-05T00:00').getTime());

    const after = await readScoreEvents(db, { from: t('2026-10-01T00:00'), to: t('2027-01-01T00:00'), timezone: TZ });
    expect(after.map((e) => [e.kind, e.level, e.points])).toEqual([
      ['adoption', 'county', 1],
      ['adoption', 'province', 9],
    ]);
  });

  it('a 扣分 typed into the database by hand is picked up, and revoking it by hand too', async () => {
    const w = await world();
    const db = handle!.db;
    await w.item(['甲镇'], '2026-10-20T10:00+08:00');
    await refreshScoreLedger(db, TZ);
    await db.execute(
      sql`insert into score_adjustments (unit_id, section, cents, reason, occurred_on, created_by, created_at) values (${w.unit('甲镇')}, '组工信息', -250, '信息失实', '2026-11-05', 'psql', now())`,
    );
    expect(await staleFrom(db)).toEqual(t('2026-11-05T00:00'));
    const after = await readScoreEvents(db, { from: t('2026-10-01T00:00'), to: t('2027-01-01T00:00'), timezone: TZ });
    expect(after.map((e) => [e.kind, e.section, e.points])).toEqual([
      ['adoption', '组工信息', 1],
      ['adjustment', '组工信息', -2.5],
    ]);
    expect(after[1]!.description).toMatch(/^扣分：信息失实（第\d+号调整，研究室记录）$/);
    await db.execute(sql`update score_adjustments set status = 'revoked'`);
    expect((await readScoreEvents(db, { from: t('2026-10-01T00:00'), to: t('2027-01-01T00:00'), timezone: TZ })).map((e) => e.points)).toEqual([1]);
  });

  it('emptying a fact table with TRUNCATE (which fires no delete trigger) re-prices from nothing', async () => {
    const w = await world();
    const db = handle!.db;
    const { item } = await w.item(['甲镇'], '2026-10-20T10:00+08:00');
    await w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-05');
    expect((await readScoreEvents(db, { from: t('2026-10-01T00:00'), to: t('2027-01-01T00:00'), timezone: TZ })).map((e) => e.points)).toEqual([1, 4]);
    // CASCADE: the upward register (upward_submissions) refers to recognitions.
    await db.execute(sql`truncate recognitions cascade`);
    expect(await staleFrom(db)).toEqual(new Date(0));
    expect((await readScoreEvents(db, { from: t('2026-10-01T00:00'), to: t('2027-01-01T00:00'), timezone: TZ })).map((e) => e.points)).toEqual([1]);
  });

  it("a draft scored as its own piece is re-priced when its title changes; its state changes mark nothing", async () => {
    const w = await world();
    const db = handle!.db;
    const d = await w.draft('甲镇', { state: 'approved', title: '旧标题' });
    await w.recognize({ draftId: d.id }, 'upper_adoption', 'city', '2026-11-05');
    await refreshScoreLedger(db, TZ);

    await db.update(drafts).set({ state: 'archived' }).where(eq(drafts.id, d.id));
    expect(await staleFrom(db)).toBeNull();

    await db.update(drafts).set({ title: '新标题' }).where(eq(drafts.id, d.id));
    expect(await staleFrom(db)).toEqual(t('2026-11-05T00:00'));
    const [event] = await readScoreEvents(db, { from: t('2026-11-01T00:00'), to: t('2026-12-01T00:00'), timezone: TZ });
    expect(event!.description).toContain('《新标题》被市级采用');
  });

  it('re-prices only from the quarter a change touches: earlier quarters keep their rows', async () => {
    const w = await world();
    const db = handle!.db;
    await w.item(['甲镇'], '2026-02-10T10:00+08:00');
    await w.item(['乙镇'], '2026-11-10T10:00+08:00');
    await refreshScoreLedger(db, TZ);
    const [q1] = await db.select().from(scoreEvents).where(eq(scoreEvents.unitId, w.unit('甲镇')));

    await w.item(['丙镇'], '2026-11-20T10:00+08:00');
    const refresh = await refreshScoreLedger(db, TZ);
    expect(refresh).toMatchObject({ refreshed: true, from: t('2026-10-01T00:00'), quarters: 1, events: 2 });
    const [q1After] = await db.select().from(scoreEvents).where(eq(scoreEvents.unitId, w.unit('甲镇')));
    expect(q1After!.id).toBe(q1!.id);
    expect(await refreshScoreLedger(db, TZ)).toEqual({ refreshed: false });

    // A rule version from 1 January prices from that local midnight on: the quarter before is left alone.
    await db.transaction((tx) =>
      createRuleVersion(tx, { yaml: 'points: {county: 2}', effectiveFrom: '2027-01-01', actor: 'ou_ed', now: new Date('2026-11-21T00:00:00Z'), timezone: TZ }),
    );
    expect(await staleFrom(db)).toEqual(t('2027-01-01T00:00'));
    expect(await refreshScoreLedger(db, TZ)).toMatchObject({ refreshed: true, from: t('2027-01-01T00:00'), quarters: 0, events: 0 });
  });

  it('a different timezone re-prices everything: dates, quarters and rule versions are local', async () => {
    const w = await world();
    const db = handle!.db;
    await db.transaction((tx) =>
      createRuleVersion(tx, { yaml: 'points: {county: 2}', effectiveFrom: '2026-12-01', actor: 'ou_ed', now: new Date('2026-01-01T00:00:00Z'), timezone: TZ }),
    );
    // 2026-12-01 06:00 in Beijing, still 30 November in UTC.
    await w.item(['甲镇'], '2026-11-30T22:00:00Z');
    const shanghai = await readScoreEvents(db, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), timezone: TZ });
    expect(shanghai.map((e) => [e.points, e.ruleVersion])).toEqual([[2, 2]]);
    const utc = await readScoreEvents(db, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), timezone: 'UTC' });
    expect(utc.map((e) => [e.points, e.ruleVersion])).toEqual([[1, 1]]);
    // The event falls in November in UTC, and its monthly sum with it.
    const months = await monthSums(db, 'UTC');
    expect(months.stored.map((m) => m.month)).toEqual([new Date('2026-11-01T00:00:00Z')]);
    expect(months.stored).toEqual(months.computed);
  });

  // Two connections at once: only PostgreSQL has them (PGlite is one connection in one process).
  it.runIf(Boolean(process.env.DATABASE_URL))('a fact written while a refresh holds the ledger is not lost: its mark waits and lands after', async () => {
    const w = await world();
    const db = handle!.db;
    const { item } = await w.item(['甲镇'], '2026-11-03T10:00+08:00');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let refreshed!: () => void;
    const inside = new Promise<void>((resolve) => (refreshed = resolve));
    const refresher = db.transaction(async (tx) => {
      await refreshScoreLedger(tx, TZ);
      refreshed();
      await gate;
    });
    await inside;
    let written = false;
    const writer = w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-10').then(() => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(written).toBe(false);
    release();
    await Promise.all([refresher, writer]);
    expect(await staleFrom(db)).not.toBeNull();
    const events = await readScoreEvents(db, { from: t('2026-11-01T00:00'), to: t('2026-12-01T00:00'), timezone: TZ });
    expect(events.map((e) => [e.level, e.points])).toEqual([
      ['county', 1],
      ['city', 4],
    ]);
  });
});
