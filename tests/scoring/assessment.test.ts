import { afterEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client.js';
import { UserError } from '../../bot/errors.js';
import { computeAssessment } from '../../domain/ranking/assessment.js';
import { recordAdjustment, revokeAdjustment } from '../../domain/scoring/adjustments.js';
import { createRuleVersion } from '../../domain/scoring/rule-versions.js';
import { createTestDb } from '../helpers/test-db.js';
import { World } from './world.js';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-12-20T04:00:00Z');

let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

/**
 * A small table so that every number below can be checked by hand: out of 100, 组工信息 is capped
 * at 4 points for 60, 调研文稿 at 10 for 20, 时效 at 4 for 20; the other two weigh nothing.
 */
const TABLE = `assessment: {max: 100, sections: {组工信息: {cap: 4, weight: 60}, 调研文稿: {cap: 10, weight: 20}, 网评文章: {cap: 10, weight: 0}, 上级媒体稿件: {cap: 10, weight: 0}, 时效: {cap: 4, weight: 20}}}`;

type Step = (w: World) => Promise<unknown>;
type Expected = Record<string, { sections: Record<string, [raw: number, capped: number, weighted: number]>; total: number; rank: number }>;

const rules = (yaml: string, effectiveFrom: string): Step => (w) =>
  w.db.transaction((tx) => createRuleVersion(tx, { yaml, effectiveFrom, actor: 'ou_ed', now: new Date('2025-12-01T00:00:00Z'), timezone: TZ }));
const items = (unit: string, n: number, at: string, category?: '调研文稿'): Step => async (w) => {
  for (let i = 0; i < n; i++) await w.item([unit], `${at}T10:00+08:00`, category ? { category } : {});
};
const adjust = (unit: string, points: number, section: string, date: string, reason = '核实'): Step => (w) =>
  w.db.transaction((tx) => recordAdjustment(tx, { unitId: w.unit(unit), points, section, reason, date, actor: 'ou_ed', now: NOW, timezone: TZ }));

const CASES: { name: string; steps: Step[]; expected: Expected }[] = [
  {
    name: 'a section cap is crossed: 6 pieces count as 4, which is the whole weight of 60',
    steps: [rules(TABLE, '2026-01-01'), items('甲镇', 6, '2026-03-02'), items('乙镇', 2, '2026-03-03')],
    expected: {
      甲镇: { sections: { 组工信息: [6, 4, 60], 时效: [0, 0, 0] }, total: 60, rank: 1 },
      // 2 of 4 → half of 60.
      乙镇: { sections: { 组工信息: [2, 2, 30] }, total: 30, rank: 2 },
    },
  },
  {
    name: 'weights: each section converts to its own share (1/10 of 20 plus 2/4 of 20)',
    steps: [rules(TABLE, '2026-01-01'), items('甲镇', 1, '2026-04-01', '调研文稿'), (w) => w.topicOutcome('甲镇', 'on_time', new Date('2026-05-01T10:00:00+08:00'))],
    expected: { 甲镇: { sections: { 组工信息: [0, 0, 0], 调研文稿: [1, 1, 2], 时效: [2, 2, 10] }, total: 12, rank: 1 } },
  },
  {
    name: 'a revoked 加分 no longer counts; a 扣分 lowers the section',
    steps: [
      rules(TABLE, '2026-01-01'),
      items('甲镇', 2, '2026-02-10'),
      adjust('甲镇', -1, '组工信息', '2026-06-01', '信息失实'),
      async (w) => {
        const { adjustment } = (await adjust('甲镇', 3, '组工信息', '2026-06-02', '专项工作')(w)) as Awaited<ReturnType<typeof recordAdjustment>>;
        await w.db.transaction((tx) => revokeAdjustment(tx, { id: adjustment.id, reason: '重复记录', actor: 'ou_ed', now: NOW, timezone: TZ }));
      },
    ],
    // 2 − 1 = 1 of 4 → 15.
    expected: { 甲镇: { sections: { 组工信息: [1, 1, 15] }, total: 15, rank: 1 } },
  },
  {
    name: 'a merged piece split between two units: half a point each',
    steps: [rules(`${TABLE}\nmerged: {credit: split, points: {county: 1}}`, '2026-01-01'), (w) => w.item(['甲镇', '乙镇'], '2026-03-05T10:00+08:00')],
    // 0.5 of 4 → 7.5 each; equal totals share rank 1.
    expected: { 甲镇: { sections: { 组工信息: [0.5, 0.5, 7.5] }, total: 7.5, rank: 1 }, 乙镇: { sections: { 组工信息: [0.5, 0.5, 7.5] }, total: 7.5, rank: 1 } },
  },
  {
    name: 'a rule change mid-year: points change from its date only, the year-end table applies',
    steps: [
      rules(TABLE, '2026-01-01'),
      rules('points: {county: 2}\nassessment: {sections: {组工信息: {cap: 6}}}', '2026-07-01'),
      items('甲镇', 1, '2026-03-02'),
      items('甲镇', 1, '2026-08-02'),
    ],
    // 1 (March, version 2) + 2 (August, version 3) = 3 of the new cap 6 → 30.
    expected: { 甲镇: { sections: { 组工信息: [3, 3, 30] }, total: 30, rank: 1 } },
  },
  {
    name: 'deductions can take a section below zero, and the total with it',
    steps: [rules(TABLE, '2026-01-01'), adjust('乙镇', -2, '时效', '2026-09-09', '被上级通报批评'), items('丙镇', 1, '2026-09-10')],
    expected: {
      丙镇: { sections: { 组工信息: [1, 1, 15] }, total: 15, rank: 1 },
      甲镇: { sections: { 组工信息: [0, 0, 0] }, total: 0, rank: 2 },
      乙镇: { sections: { 时效: [-2, -2, -10] }, total: -10, rank: 3 },
    },
  },
  {
    name: 'the default table (千分制): 1 of 100 in 组工信息 weighs 5 of 500',
    steps: [items('甲镇', 1, '2026-03-02'), items('乙镇', 1, '2025-12-30')],
    expected: { 甲镇: { sections: { 组工信息: [1, 1, 5], 时效: [0, 0, 0] }, total: 5, rank: 1 }, 乙镇: { sections: { 组工信息: [0, 0, 0] }, total: 0, rank: 2 } },
  },
];

describe('考核: the assessment table', { timeout: 60_000 }, () => {
  it.each(CASES)('$name', async ({ steps, expected }) => {
    handle = await createTestDb();
    const w = await new World(handle.db).init();
    for (const step of steps) await step(w);
    const report = await computeAssessment(handle.db, { year: 2026, timezone: TZ, now: NOW });
    const got: Expected = {};
    for (const row of report.rows) {
      const want = expected[row.unitName];
      if (!want) continue;
      got[row.unitName] = {
        sections: Object.fromEntries(Object.keys(want.sections).map((s) => [s, [row.sections[s]!.raw, row.sections[s]!.capped, row.sections[s]!.weighted]])),
        total: row.total,
        rank: row.rank,
      };
    }
    expect(got).toEqual(expected);
    expect(report.rows.map((r) => r.unitName).slice(0, Object.keys(expected).length)).toEqual(Object.keys(expected));
  });

  it('refuses a table whose weights do not add up to the maximum, showing the sums, and a negative cap', async () => {
    handle = await createTestDb();
    await new World(handle.db).init();
    const save = (yaml: string) =>
      handle!.db.transaction((tx) => createRuleVersion(tx, { yaml, effectiveFrom: '2027-01-01', actor: 'ou_ed', now: NOW, timezone: TZ }));
    const weights = await save('assessment: {sections: {组工信息: {weight: 550}}}').catch((e: unknown) => e);
    expect(weights).toBeInstanceOf(UserError);
    expect((weights as Error).message).toBe(
      '规则未保存，请修改后重新发送：\n1. “assessment.sections”（考核表）：各项权重合计 1050，应等于满分 1000（组工信息 550 + 调研文稿 150 + 网评文章 100 + 上级媒体稿件 150 + 时效 100 = 1050）。',
    );
    const cap = await save('assessment: {sections: {时效: {cap: -5}}}').catch((e: unknown) => e);
    expect((cap as Error).message).toBe('规则未保存，请修改后重新发送：\n1. “assessment.sections.时效.cap”（考核表）：上限应大于 0。');
    // A section added with its weight taken from another: accepted.
    const ok = await save('assessment: {sections: {组工信息: {weight: 450}, 专项工作: {cap: 10, weight: 50}}}');
    expect(Object.keys(ok.version.rules.assessment.sections)).toEqual(['组工信息', '调研文稿', '网评文章', '上级媒体稿件', '时效', '专项工作']);
  });
});
