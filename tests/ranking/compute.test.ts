import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client.js';
import { computeRanking } from '../../domain/ranking/compute.js';
import { formatRankChange } from '../../domain/ranking/rank.js';
import type { Period } from '../../domain/ranking/period.js';
import { createTestDb } from '../helpers/test-db.js';
import { buildScenario } from './scenario.js';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-11-02T02:00:00Z');

let db: DbHandle;
beforeEach(async () => {
  db = await createTestDb();
  await buildScenario(db.db);
});
afterEach(async () => {
  await db.close();
});

const rank = (period: Period) => computeRanking(db.db, { period, timezone: TZ, configuredQuotas: undefined, now: NOW });

/** The rows as a compact table, so a mismatch shows the whole ranking. */
function table(r: Awaited<ReturnType<typeof rank>>) {
  return r.rows.map((x) => [x.rank, x.unitName, x.submitted, x.approved, x.adopted.county, x.adopted.city, x.adopted.province, x.points, x.ytdPoints, formatRankChange(x.change)]);
}

describe('computeRanking on a hand-built history', { timeout: 120_000 }, () => {
  it('ranks October: shared ranks for ties, changes against September, a new unit, zero submissions', async () => {
    const r = await rank({ kind: 'month', year: 2026, month: 10 });
    expect(table(r)).toEqual([
      [1, '南湖镇', 2, 1, 1, 1, 0, 15, 15, '↑2'],
      [2, '北山镇', 2, 2, 1, 0, 0, 1, 2.5, '—'],
      [2, '西岭乡', 1, 1, 1, 0, 0, 1, 1.5, '↑1'],
      [4, '东港镇', 0, 0, 0, 0, 0, 0, 10, '↓3'],
      [4, '新区街道', 1, 0, 0, 0, 0, 0, 0, '新'],
    ]);
    // 零报送 counts what reached the research office: 新区街道 sent one draft, none approved.
    expect(r.zeroSubmission.map((u) => u.unitName)).toEqual(['东港镇', '新区街道']);
    expect(r.totals).toEqual({ submitted: 6, approved: 4, adopted: { county: 3, city: 1, province: 0, central: 0 }, points: 17, ytdPoints: 29 });
    expect(r.label).toBe('2026年10月');
  });

  it('shows progress against the configured quotas', async () => {
    const r = await rank({ kind: 'month', year: 2026, month: 10 });
    const q = Object.fromEntries(r.quotas.map((x) => [x.rule.name, { window: x.windowLabel, count: x.count, target: x.target, total: x.units?.total }]));
    expect(q).toEqual({
      // c1 is the only research piece adopted in October.
      调研文稿: { window: '2026年10月', count: 1, target: 4, total: undefined },
      // B (city) and D (province) have one flagship piece each this year: nobody reached 3.
      精品稿件: { window: '2026年累计', count: 0, target: 3, total: 5 },
      // A and B sent two drafts in October.
      月度送审: { window: '2026年10月', count: 2, target: 2, total: 5 },
    });
  });

  it('leaves a unit out of the months before it was added', async () => {
    const r = await rank({ kind: 'month', year: 2026, month: 9 });
    expect(table(r)).toEqual([
      [1, '东港镇', 1, 1, 1, 0, 1, 10, 10, '—'],
      // August: nobody scored, all four shared rank 1.
      [2, '北山镇', 1, 1, 1, 0, 0, 1, 1.5, '↓1'],
      // Tied on points; C is listed first for its 0.5 points this year.
      [3, '西岭乡', 0, 0, 0, 0, 0, 0, 0.5, '↓2'],
      [3, '南湖镇', 0, 0, 0, 0, 0, 0, 0, '↓2'],
    ]);
    expect(r.zeroSubmission.map((u) => u.unitName)).toEqual(['南湖镇', '西岭乡']);
  });

  it('ranks a quarter and a year with the same rules', async () => {
    const q3 = await rank({ kind: 'quarter', year: 2026, quarter: 3 });
    expect(q3.rows.map((x) => [x.unitName, x.points, x.rank])).toEqual([
      ['东港镇', 10, 1],
      ['北山镇', 1, 2],
      // Tied on points; C is listed first for its 0.5 points in March.
      ['西岭乡', 0, 3],
      ['南湖镇', 0, 3],
    ]);
    const year = await rank({ kind: 'year', year: 2026 });
    // Nobody existed at the end of 2025 (units were added on 1 January): all new.
    expect(year.rows.map((x) => [x.unitName, x.points, x.rank, formatRankChange(x.change)])).toEqual([
      ['南湖镇', 15, 1, '新'],
      ['东港镇', 10, 2, '新'],
      // 0.5 (March) + 1 (September) + 1 (a1) + 1 (a2, adopted 1 November).
      ['北山镇', 3.5, 3, '新'],
      ['西岭乡', 1.5, 4, '新'],
      ['新区街道', 0, 5, '新'],
    ]);
    // Every 2026 draft but the withdrawn one, including b3 of 1 November.
    expect(year.totals.submitted).toBe(11);
  });
});
