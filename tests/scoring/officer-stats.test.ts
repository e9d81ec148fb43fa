import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import { drafts, people } from '../../db/schema/index.js';
import { officerStats } from '../../domain/ranking/officer-stats.js';
import { recordAdjustment } from '../../domain/scoring/adjustments.js';
import { createRuleVersion } from '../../domain/scoring/rule-versions.js';
import { createTestDb } from '../helpers/test-db.js';
import { World } from './world.js';

const TZ = 'Asia/Shanghai';
const YEAR = { start: new Date('2026-01-01T00:00:00+08:00'), end: new Date('2027-01-01T00:00:00+08:00') };

let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe('per-officer statistics', { timeout: 60_000 }, () => {
  it('splits a merged item among units and then among each unit’s authors; adjustments go to the named officer; topics stay with the unit', async () => {
    handle = await createTestDb();
    const db = handle.db;
    const w = await new World(db).init();
    await db.transaction((tx) =>
      createRuleVersion(tx, { yaml: 'merged: {credit: split, points: {county: 1}}', effectiveFrom: '2026-01-01', actor: 'ou_ed', now: new Date('2025-12-01T00:00:00Z'), timezone: TZ }),
    );
    await db.insert(people).values({ openId: 'ou_oa2', name: '甲二' });
    // Item A: two drafts of 甲镇 (two authors) and one of 乙镇, merged. 1 point split by 2 units → 0.5
    // each; 甲镇's half split by its 2 authors → 0.25 each.
    const a = await w.item(['甲镇', '甲镇', '乙镇'], '2026-03-02T10:00+08:00', { title: '综合稿' });
    await db.update(drafts).set({ authorOpenId: 'ou_oa2' }).where(eq(drafts.id, a.drafts[1]!.id));
    // Item B: 甲信息 alone, 1 point, then adopted by the city: +4 more (highest outlet only).
    const b = await w.item(['甲镇'], '2026-04-01T10:00+08:00', { title: '单篇' });
    await w.recognize({ itemId: b.item.id }, 'upper_adoption', 'city', '2026-04-10');
    // 信息失实 on 甲信息's piece: −1 to them; a topic answered on time: the unit's, not an officer's.
    await db.transaction((tx) =>
      recordAdjustment(tx, {
        unitId: w.unit('甲镇'),
        points: -1,
        section: '组工信息',
        reason: '信息失实',
        date: '2026-05-01',
        draftId: b.drafts[0]!.id,
        officerOpenId: 'ou_oa',
        actor: 'ou_ed',
        now: new Date('2026-12-01T00:00:00Z'),
        timezone: TZ,
      }),
    );
    await w.topicOutcome('甲镇', 'on_time', new Date('2026-05-10T10:00:00+08:00'));
    // An approved draft of 丙镇 never adopted: counted as submitted and approved, no points.
    await w.draft('丙镇', { state: 'approved' });

    const rows = await officerStats(db, { range: YEAR, timezone: TZ });
    expect(rows.map((r) => [r.rank, r.name, r.unitNames.join('、'), r.submitted, r.approved, r.adopted.county, r.adopted.city, r.points])).toEqual([
      // 0.25 + 1 + 4 − 1
      [1, '甲信息', '甲镇', 2, 2, 2, 1, 4.25],
      [2, '乙信息', '乙镇', 1, 1, 1, 0, 0.5],
      [3, '甲二', '甲镇', 1, 1, 1, 0, 0.25],
      [4, '丙信息', '丙镇', 1, 1, 0, 0, 0],
    ]);
    const mine = await officerStats(db, { range: YEAR, timezone: TZ, officers: ['ou_ob'] });
    expect(mine.map((r) => [r.name, r.rank, r.points])).toEqual([['乙信息', 2, 0.5]]);
  });
});
