import { afterEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client.js';
import { readScoreEvents } from '../../domain/scoring/score-events.js';
import { topics, topicTargets } from '../../db/schema/index.js';
import { createRuleVersion } from '../../domain/scoring/rule-versions.js';
import type { TopicOutcome } from '../../db/schema/index.js';
import type { ScoreEvent, ScoreEventKind } from '../../domain/scoring/types.js';
import { createTestDb } from '../helpers/test-db.js';
import { World } from './world.js';

const TZ = 'Asia/Shanghai';
/** Local (Asia/Shanghai) instants, written the way people read them. */
const t = (local: string) => new Date(`${local.length === 10 ? `${local}T10:00` : local}:00+08:00`);

type Period = { from: string; to: string };
const NOV: Period = { from: '2026-11-01T00:00', to: '2026-12-01T00:00' };
const OCT: Period = { from: '2026-10-01T00:00', to: '2026-11-01T00:00' };
const Q4: Period = { from: '2026-10-01T00:00', to: '2027-01-01T00:00' };
const YEAR: Period = { from: '2026-01-01T00:00', to: '2027-01-01T00:00' };

type Case = {
  name: string;
  /** Editor rule versions (YAML over the version in force), saved on 2026-01-01 so any later date is allowed. */
  rules?: { from: string; yaml: string }[];
  build: (w: World) => Promise<void>;
  /** Settled topics, one unit each: [unit, outcome, local deadline, title]. */
  topics?: [string, TopicOutcome, string, string?][];
  period: Period;
  unitIds?: (w: World) => number[];
  /** Points per unit over the period, computed by hand (units absent: 0). */
  totals: Record<string, number>;
  /** The exact lines of one unit, in order: [kind, points, rule version]. */
  lines?: Record<string, [ScoreEventKind, number, number][]>;
};

const cases: Case[] = [
  {
    name: 'one county adoption under the default rules: 1 point',
    build: async (w) => void (await w.item(['甲镇'], '2026-11-03T10:00+08:00')),
    period: NOV,
    totals: { 甲镇: 1 },
    lines: { 甲镇: [['adoption', 1, 1]] },
  },
  {
    name: 'merged item, full credit (default: 综合 0.5 to every source unit)',
    // 3 units × 0.5 each, nobody splits.
    build: async (w) => void (await w.item(['甲镇', '乙镇', '丙镇'], '2026-11-05T10:00+08:00', { title: '综合稿' })),
    period: NOV,
    totals: { 甲镇: 0.5, 乙镇: 0.5, 丙镇: 0.5 },
  },
  {
    name: 'merged items, split credit, cumulative outlets',
    rules: [{ from: '2026-02-01', yaml: 'merged: {credit: split, points: {county: 3}}\noutlets: cumulative' }],
    build: async (w) => {
      const { item } = await w.item(['甲镇', '乙镇', '丙镇'], '2026-11-05T10:00+08:00');
      // county 3 / 3 units = 1 each; city adoption 5 / 3 = 1.67 each (no merged override for city).
      await w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-12');
      // county 3 / 2 units = 1.5 each.
      await w.item(['甲镇', '乙镇'], '2026-11-06T10:00+08:00');
    },
    period: NOV,
    // 甲, 乙: 1 + 1.5 + 1.67 = 4.17; 丙: 1 + 1.67 = 2.67
    totals: { 甲镇: 4.17, 乙镇: 4.17, 丙镇: 2.67 },
    lines: { 丙镇: [['adoption', 1, 2], ['adoption', 1.67, 2]] },
  },
  {
    name: 'merged item, full credit, a later city adoption counts as the highest outlet',
    build: async (w) => {
      const { item } = await w.item(['甲镇', '乙镇'], '2026-11-05T10:00+08:00');
      await w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-12');
    },
    period: NOV,
    // 0.5 each, then city 5 full to each: 5 - 0.5 = +4.5 → 5 each.
    totals: { 甲镇: 5, 乙镇: 5 },
    lines: { 乙镇: [['adoption', 0.5, 1], ['adoption', 4.5, 1]] },
  },
  {
    name: 'several outlets, highest only (default): later lower outlets add nothing',
    build: async (w) => {
      const { item } = await w.item(['甲镇'], '2026-11-03T10:00+08:00');
      await w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-10', { outlet: '市委组工信息' });
      await w.recognize({ itemId: item.id }, 'media', 'province', '2026-11-15', { outlet: '省报' });
      await w.recognize({ itemId: item.id }, 'media', 'city', '2026-11-20', { outlet: '市报' });
    },
    period: NOV,
    // county 1; city 5 → +4; province media 10 → +5; city media 5 → 0. Total = 10 = the highest.
    totals: { 甲镇: 10 },
    lines: { 甲镇: [['adoption', 1, 1], ['adoption', 4, 1], ['media', 5, 1], ['media', 0, 1]] },
  },
  {
    name: 'several outlets, cumulative: every outlet adds up',
    rules: [{ from: '2026-02-01', yaml: 'outlets: cumulative' }],
    build: async (w) => {
      const { item } = await w.item(['甲镇'], '2026-11-03T10:00+08:00');
      await w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-10');
      await w.recognize({ itemId: item.id }, 'media', 'province', '2026-11-15');
      await w.recognize({ itemId: item.id }, 'media', 'city', '2026-11-20');
    },
    period: NOV,
    // 1 + 5 + 10 + 5
    totals: { 甲镇: 21 },
  },
  {
    name: 'highest outlet across months: October keeps its point, November gets the difference',
    build: async (w) => {
      const { item } = await w.item(['甲镇'], '2026-10-20T10:00+08:00');
      await w.recognize({ itemId: item.id }, 'upper_adoption', 'province', '2026-11-10');
    },
    period: NOV,
    // October: 1 (not shown here). November: 10 - 1 = 9.
    totals: { 甲镇: 9 },
  },
  {
    name: 'rule change in the middle of a month: each event priced by the version of its own local date',
    rules: [{ from: '2026-11-16', yaml: 'points: {county: 2}\nendorsement: {points: {city: 15}}' }],
    build: async (w) => {
      const { item } = await w.item(['甲镇'], '2026-11-10T10:00+08:00'); // v1: 1
      await w.item(['甲镇'], '2026-11-15T23:30+08:00'); // still 11-15 locally (15:30 UTC): v1: 1
      await w.item(['甲镇'], '2026-11-16T00:30+08:00'); // 11-16 locally though 11-15 in UTC: v2: 2
      await w.recognize({ itemId: item.id }, 'endorsement', 'city', '2026-11-20'); // v2: 15
    },
    period: NOV,
    totals: { 甲镇: 19 },
    lines: { 甲镇: [['adoption', 1, 1], ['adoption', 1, 1], ['adoption', 2, 2], ['endorsement', 15, 2]] },
  },
  {
    name: 'topics: on time, late and missing, under two versions',
    rules: [{ from: '2026-02-01', yaml: 'topic: {on_time: 2, late: -1, missing: -3}' }],
    build: async () => {},
    topics: [
      ['乙镇', 'missing', '2026-01-20T18:00', '年初点题'], // v1: missing 0
      ['甲镇', 'on_time', '2026-11-10T18:00'], // v2: +2
      ['乙镇', 'late', '2026-11-10T18:00'], // v2: -1
      ['丙镇', 'missing', '2026-11-10T18:00'], // v2: -3
    ],
    period: YEAR,
    totals: { 甲镇: 2, 乙镇: -1, 丙镇: -3 },
    lines: { 乙镇: [['topic_missing', 0, 1], ['topic_late', -1, 2]] },
  },
  {
    name: 'quarterly cap crossed: the excess is taken back, penalties make no room, a new quarter starts afresh',
    rules: [{ from: '2026-02-01', yaml: 'cap_per_unit_per_quarter: 6\ntopic: {late: -1}' }],
    build: async (w) => {
      const a = await w.item(['甲镇'], '2026-10-08T10:00+08:00'); // +1 (gained 1)
      await w.recognize({ itemId: a.item.id }, 'upper_adoption', 'city', '2026-10-15'); // +4 highest (gained 5)
      await w.item(['甲镇'], '2026-11-03T10:00+08:00'); // +1 (gained 6 = cap)
      const b = await w.item(['甲镇'], '2026-11-04T10:00+08:00'); // +1, cap -1
      await w.recognize({ itemId: b.item.id }, 'endorsement', 'city', '2026-12-01'); // +10, cap -10
      await w.item(['甲镇'], '2026-12-10T10:00+08:00'); // +1, cap -1 (the late topic below made no room)
      await w.item(['甲镇'], '2027-01-05T10:00+08:00'); // next quarter: +1
    },
    topics: [['甲镇', 'late', '2026-12-05T18:00']], // -1, not capped
    period: Q4,
    // 1 + 4 + 1 + (1 - 1) + (10 - 10) - 1 + (1 - 1) = 5
    totals: { 甲镇: 5 },
    lines: {
      甲镇: [
        ['adoption', 1, 2],
        ['adoption', 4, 2],
        ['adoption', 1, 2],
        ['adoption', 1, 2],
        ['cap', -1, 2],
        ['endorsement', 10, 2],
        ['cap', -10, 2],
        ['topic_late', -1, 2],
        ['adoption', 1, 2],
        ['cap', -1, 2],
      ],
    },
  },
  {
    name: 'quarterly cap: November alone shows its share of the correction',
    rules: [{ from: '2026-02-01', yaml: 'cap_per_unit_per_quarter: 6' }],
    build: async (w) => {
      const a = await w.item(['甲镇'], '2026-10-08T10:00+08:00');
      await w.recognize({ itemId: a.item.id }, 'upper_adoption', 'city', '2026-10-15');
      await w.item(['甲镇'], '2026-11-03T10:00+08:00');
      await w.item(['甲镇'], '2026-11-04T10:00+08:00');
      await w.item(['甲镇'], '2027-01-05T10:00+08:00');
    },
    period: NOV,
    // October already gained 5; November: +1, +1 - 1 = 1.
    totals: { 甲镇: 1 },
  },
  {
    name: 'endorsement on a merged item, full credit: every source unit gets the whole bonus',
    build: async (w) => {
      const { item } = await w.item(['甲镇', '乙镇'], '2026-11-05T10:00+08:00');
      await w.recognize({ itemId: item.id }, 'endorsement', 'province', '2026-11-20', { outlet: '省委副书记' });
    },
    period: NOV,
    // 0.5 + 20 each
    totals: { 甲镇: 20.5, 乙镇: 20.5 },
    lines: { 甲镇: [['adoption', 0.5, 1], ['endorsement', 20, 1]] },
  },
  {
    name: 'endorsement on a merged item, split credit: the bonus is shared',
    rules: [{ from: '2026-02-01', yaml: 'merged: {credit: split}' }],
    build: async (w) => {
      const { item } = await w.item(['甲镇', '乙镇'], '2026-11-05T10:00+08:00');
      await w.recognize({ itemId: item.id }, 'endorsement', 'province', '2026-11-20');
    },
    period: NOV,
    // 0.5 / 2 = 0.25; 20 / 2 = 10
    totals: { 甲镇: 10.25, 乙镇: 10.25 },
  },
  {
    name: 'an approved draft adopted upstairs first, then into the bulletin: one piece, highest counts',
    build: async (w) => {
      const d = await w.draft('甲镇', { state: 'approved' });
      await w.recognize({ draftId: d.id }, 'upper_adoption', 'city', '2026-11-05'); // +5
      await w.adoptExisting(d.id, '2026-11-10T10:00+08:00'); // county 1 < 5: +0
    },
    period: NOV,
    totals: { 甲镇: 5 },
    lines: { 甲镇: [['adoption', 5, 1], ['adoption', 0, 1]] },
  },
  {
    name: 'reported and rejected recognitions do not score',
    build: async (w) => {
      const { item } = await w.item(['甲镇'], '2026-11-03T10:00+08:00');
      await w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-10', { status: 'reported' });
      await w.recognize({ itemId: item.id }, 'upper_adoption', 'province', '2026-11-11', { status: 'rejected' });
    },
    period: NOV,
    totals: { 甲镇: 1 },
  },
  {
    name: 'category multiplier applies to adoptions and media, not to endorsements',
    rules: [{ from: '2026-02-01', yaml: 'multipliers: {调研文稿: 2}' }],
    build: async (w) => {
      const { item } = await w.item(['甲镇'], '2026-11-03T10:00+08:00', { category: '调研文稿' }); // 1 × 2 = 2
      await w.recognize({ itemId: item.id }, 'media', 'province', '2026-11-10'); // 10 × 2 = 20 → +18
      await w.recognize({ itemId: item.id }, 'endorsement', 'city', '2026-11-12'); // +10
    },
    period: NOV,
    totals: { 甲镇: 30 },
  },
  {
    name: 'period and unit filters: only the asked unit and dates, history still counted',
    build: async (w) => {
      const { item } = await w.item(['甲镇', '乙镇'], '2026-10-05T10:00+08:00'); // October: 0.5 each
      await w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-05'); // November: +4.5 each
      await w.item(['乙镇'], '2026-11-06T10:00+08:00');
    },
    period: NOV,
    unitIds: (w) => [w.unit('甲镇')],
    totals: { 甲镇: 4.5 },
  },
  {
    name: 'October only',
    build: async (w) => {
      const { item } = await w.item(['甲镇'], '2026-10-31T23:59+08:00');
      await w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-01');
    },
    period: OCT,
    totals: { 甲镇: 1 },
  },
];

let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe('score events (readScoreEvents over the score ledger)', { timeout: 60_000 }, () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    handle = await createTestDb();
    const w = await new World(handle.db).init();
    for (const r of c.rules ?? []) {
      await handle.db.transaction((tx) =>
        createRuleVersion(tx, { yaml: r.yaml, effectiveFrom: r.from, actor: 'ou_ed', now: new Date('2026-01-01T02:00:00Z'), timezone: TZ }),
      );
    }
    await c.build(w);
    for (const [unit, outcome, deadline, title] of c.topics ?? []) await w.topicOutcome(unit, outcome, t(deadline), title);
    const events = await readScoreEvents(handle.db, { from: t(c.period.from), to: t(c.period.to), timezone: TZ, unitIds: c.unitIds?.(w) });
    const totals: Record<string, number> = {};
    for (const [name, id] of w.unitIds) {
      const sum = events.filter((e) => e.unitId === id).reduce((s, e) => s + e.points, 0);
      if (Math.abs(sum) > 1e-9 || events.some((e) => e.unitId === id)) totals[name] = Math.round(sum * 100) / 100;
    }
    expect(totals).toEqual(c.totals);
    for (const [unit, expected] of Object.entries(c.lines ?? {})) {
      const mine = events.filter((e) => e.unitId === w.unit(unit));
      expect(mine.map((e) => [e.kind, e.points, e.ruleVersion])).toEqual(expected);
    }
    for (const e of events) expectWellFormed(e, t(c.period.from), t(c.period.to));
  });

  it('reads topic timeliness from the topics feature (topicOutcomes)', async () => {
    handle = await createTestDb();
    const w = await new World(handle.db).init();
    const deadline = t('2026-11-10T18:00');
    const [topic] = await handle.db
      .insert(topics)
      .values({ title: '乡村振兴点题', category: '组工信息', deadline, deadlineSetAt: t('2026-11-01'), allUnits: true, createdBy: 'ou_ed', createdAt: t('2026-11-01'), settledAt: deadline })
      .returning();
    await handle.db.insert(topicTargets).values([
      { topicId: topic!.id, unitId: w.unit('甲镇'), outcome: 'on_time', outcomeAt: t('2026-11-08T09:00') },
      { topicId: topic!.id, unitId: w.unit('乙镇'), outcome: 'missing', outcomeAt: deadline },
      { topicId: topic!.id, unitId: w.unit('丙镇') },
    ]);
    const events = await readScoreEvents(handle.db, { from: t(NOV.from), to: t(NOV.to), timezone: TZ });
    expect(events.map((e) => [e.unitId, e.kind, e.points, e.description])).toEqual([
      [w.unit('甲镇'), 'topic_on_time', 2, '点题《乡村振兴点题》按时提交：第1版规则 按时提交 +2 分'],
      [w.unit('乙镇'), 'topic_missing', 0, '点题《乡村振兴点题》未提交：第1版规则 未提交 0 分'],
    ]);
  });

  it('explains each line in Chinese: what, which rule, how many points', async () => {
    handle = await createTestDb();
    const w = await new World(handle.db).init();
    const { item } = await w.item(['甲镇', '乙镇'], '2026-11-05T10:00+08:00', { title: '城关镇网格党建' });
    await w.recognize({ itemId: item.id }, 'upper_adoption', 'city', '2026-11-12', { outlet: '市委组工信息' });
    const events = await readScoreEvents(handle.db, { from: t(NOV.from), to: t(NOV.to), timezone: TZ, unitIds: [w.unit('甲镇')] });
    expect(events.map((e) => e.description)).toEqual([
      '《城关镇网格党建》编入《测试组工信息》2026年第1期（县级采用）：第1版规则 综合稿县级采用 0.5 分，综合稿每个来源单位全额计分',
      '《城关镇网格党建》被市级采用（市委组工信息）：第1版规则 市级采用 5 分，综合稿每个来源单位全额计分；按最高一处计分，此前已计 0.5 分，补 4.5 分',
    ]);
  });
});

function expectWellFormed(e: ScoreEvent, from: Date, to: Date) {
  expect(e.at >= from && e.at < to).toBe(true);
  expect(Number.isFinite(e.points)).toBe(true);
  expect(e.description.length).toBeGreaterThan(5);
}
