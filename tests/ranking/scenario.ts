import type { Db } from '../../db/client.js';
import { History } from './history.js';

/**
 * The hand-built history most ranking tests share (default scoring rules: county 1, merged 0.5 to
 * every source unit, city 5, province 10, highest outlet only, city endorsement +10). Expected
 * numbers for October 2026, worked out by hand:
 *
 * | unit | 送审 | 报送 | 县/市 | Oct points | YTD | Sep points → Sep rank | Oct rank | change |
 * | 南湖镇 B | 2 (b1, b2; b3 is 1 Nov 00:05) | 1 | 1/1 | 1 + (5-1) + 10 = 15 | 15 | 0 → 3 | 1 | ↑2 |
 * | 北山镇 A | 2 (a1 at 1 Oct 00:30, a2; a3 withdrawn) | 2 | 1/0 | 1 (a2 adopted in Nov) | 0.5+1+1 = 2.5 | 1 → 2 | 2 | — |
 * | 西岭乡 C | 1 (c1, 调研文稿) | 1 | 1/0 | 1 | 0.5+1 = 1.5 | 0 → 3 | 2 | ↑1 |
 * | 东港镇 D | 0 | 0 | 0/0 | 0 | 1+(10-1) = 10 | 10 → 1 | 4 | ↓3 |
 * | 新区街道 E (added 10 Oct) | 1 | 0 (零报送 with D) | 0/0 | 0 | 0 | not ranked | 4 | 新 |
 * 旧区街道 F is deactivated with no activity: not ranked. Totals: 6 / 4 / 3,1,0,0 / 17 / 29.
 */
export async function buildScenario(db: Db) {
  const h = new History(db);
  const u = {
    A: await h.unit('北山镇', { sortOrder: 10 }),
    B: await h.unit('南湖镇', { sortOrder: 11 }),
    C: await h.unit('西岭乡', { sortOrder: 12 }),
    D: await h.unit('东港镇', { sortOrder: 13 }),
    E: await h.unit('新区街道', { sortOrder: 14, createdAt: '2026-10-10T10:00:00+08:00' }),
    F: await h.unit('旧区街道', { sortOrder: 15, active: false }),
  };
  for (const [id, name] of [['ou_a', '北山信息'], ['ou_b', '南湖信息'], ['ou_c', '西岭信息'], ['ou_d', '东港信息'], ['ou_e', '新区信息']] as const) {
    await h.person(id, name);
  }

  // March: a merged (综合) item from A and C, 0.5 to each.
  const m1 = await h.draft(u.A, 'ou_a', '2026-03-10T09:00:00+08:00', { state: 'adopted' });
  const m2 = await h.draft(u.C, 'ou_c', '2026-03-10T10:00:00+08:00', { state: 'adopted' });
  await h.adopt([{ draftId: m1, unitId: u.A }, { draftId: m2, unitId: u.C }], '2026-03-15T10:00:00+08:00');

  // September: A adopted once; D adopted, then taken up by the province (10, less the 1 already given).
  const a0 = await h.draft(u.A, 'ou_a', '2026-09-03T09:00:00+08:00', { state: 'adopted' });
  await h.adopt([{ draftId: a0, unitId: u.A }], '2026-09-08T10:00:00+08:00');
  const d1 = await h.draft(u.D, 'ou_d', '2026-09-05T09:00:00+08:00', { state: 'adopted', category: '调研文稿' });
  const itemD = await h.adopt([{ draftId: d1, unitId: u.D }], '2026-09-10T10:00:00+08:00', '调研文稿');
  await h.recognize(itemD, 'upper_adoption', 'province', '2026-09-20');

  // October.
  const a1 = await h.draft(u.A, 'ou_a', '2026-10-01T00:30:00+08:00', { state: 'adopted', title: '北山镇推行“村情日志”' });
  await h.adopt([{ draftId: a1, unitId: u.A }], '2026-10-12T10:00:00+08:00');
  const a2 = await h.draft(u.A, 'ou_a', '2026-10-20T09:00:00+08:00', { state: 'adopted' });
  await h.adopt([{ draftId: a2, unitId: u.A }], '2026-11-01T10:00:00+08:00'); // counts in November
  await h.draft(u.A, 'ou_a', '2026-10-21T09:00:00+08:00', { state: 'withdrawn' });
  const b1 = await h.draft(u.B, 'ou_b', '2026-10-08T09:00:00+08:00', { state: 'adopted' });
  const itemB = await h.adopt([{ draftId: b1, unitId: u.B }], '2026-10-15T10:00:00+08:00');
  await h.recognize(itemB, 'upper_adoption', 'city', '2026-10-20');
  await h.recognize(itemB, 'endorsement', 'city', '2026-10-25');
  await h.draft(u.B, 'ou_b', '2026-10-31T23:30:00+08:00', { state: 'returned' });
  await h.draft(u.B, 'ou_b', '2026-11-01T00:05:00+08:00');
  const c1 = await h.draft(u.C, 'ou_c', '2026-10-09T09:00:00+08:00', { state: 'adopted', category: '调研文稿' });
  await h.adopt([{ draftId: c1, unitId: u.C }], '2026-10-16T10:00:00+08:00', '调研文稿');
  await h.draft(u.E, 'ou_e', '2026-10-12T09:00:00+08:00');
  return { units: u, history: h };
}
