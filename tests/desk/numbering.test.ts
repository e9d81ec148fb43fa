import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { asc, eq } from 'drizzle-orm';
import type { Deps } from '../../bot/handlers.js';
import { unitOfWork } from '../../bot/unit-of-work.js';
import { loadConfig } from '../../bot/config.js';
import type { DbHandle } from '../../db/client.js';
import { bulletinIssues, bulletinItems, drafts } from '../../db/schema/index.js';
import { adoptDrafts } from '../../domain/desk/adopt.js';
import { moveItem, publishIssue } from '../../domain/desk/issues.js';
import { createTestDb } from '../helpers/test-db.js';
import { TestClock } from '../helpers/clock.js';
import { World } from '../scoring/world.js';

let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

function depsFor(db: DbHandle['db'], clock: TestClock): Deps {
  return {
    db,
    clock,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    log: pino({ level: 'silent' }),
    lark: undefined as never,
    botOpenId: async () => 'ou_bot',
  };
}

/** Each adoption in its own transaction, all started at once, as concurrent card taps would be. */
function adoptConcurrently(db: DbHandle['db'], deps: Deps, groups: number[][]) {
  return Promise.allSettled(
    groups.map((ids) =>
      db.transaction((tx) => adoptDrafts(unitOfWork(deps, tx), { draftIds: ids, title: ids.length > 1 ? '综合稿' : undefined, actor: 'ou_ed' })),
    ),
  );
}

describe('issue numbering and item positions under concurrent adoption', { timeout: 90_000 }, () => {
  it('gives no duplicate and no gap: one new issue shared by all, positions 1..n', async () => {
    handle = await createTestDb();
    const clock = new TestClock('2026-11-02T02:00:00Z');
    const deps = depsFor(handle.db, clock);
    const w = await new World(handle.db).init({ issue: false });
    const units = ['甲镇', '乙镇', '丙镇'];
    const ds = [];
    for (let i = 0; i < 12; i++) ds.push(await w.draft(units[i % 3]!, { state: 'approved' }));

    // Ten single adoptions and one merge of two, all at once.
    const results = await adoptConcurrently(handle.db, deps, [...ds.slice(0, 10).map((d) => [d.id]), [ds[10]!.id, ds[11]!.id]]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    const issues = await handle.db.select().from(bulletinIssues);
    expect(issues.map((i) => [i.year, i.number])).toEqual([[2026, 1]]);
    const items = await handle.db.select().from(bulletinItems).orderBy(asc(bulletinItems.position));
    expect(items.map((i) => i.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(items.filter((i) => i.kind === 'merged')).toHaveLength(1);
    const states = await handle.db.select({ state: drafts.state }).from(drafts);
    expect(states.every((s) => s.state === 'adopted')).toBe(true);
  });

  it('the same draft adopted twice at once: one wins, the other is refused, nothing is left half done', async () => {
    handle = await createTestDb();
    const clock = new TestClock('2026-11-02T02:00:00Z');
    const deps = depsFor(handle.db, clock);
    const w = await new World(handle.db).init({ issue: false });
    const d = await w.draft('甲镇', { state: 'approved' });
    const e = await w.draft('乙镇', { state: 'approved' });
    // A single adoption of d and a merge of d with e race.
    const results = await adoptConcurrently(handle.db, deps, [[d.id], [d.id, e.id], [d.id]]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const items = await handle.db.select().from(bulletinItems);
    expect(items.map((i) => i.position)).toEqual([1]);
    const [eRow] = await handle.db.select().from(drafts).where(eq(drafts.id, e.id));
    // If the merge lost, e stays approved; if it won, e is adopted with d in one item.
    expect(eRow!.state).toBe(items[0]!.kind === 'merged' ? 'adopted' : 'approved');
  });

  it('numbers continue across published issues, and a failed adoption gives its number back', async () => {
    handle = await createTestDb();
    const clock = new TestClock('2026-11-02T02:00:00Z');
    const deps = depsFor(handle.db, clock);
    const w = await new World(handle.db).init({ issue: false });
    const adopted = await w.draft('甲镇', { state: 'adopted' });
    const fresh = [];
    for (let i = 0; i < 9; i++) fresh.push(await w.draft('乙镇', { state: 'approved' }));

    for (let round = 0; round < 3; round++) {
      // A doomed adoption (already adopted) races the good ones; it opens nothing that survives.
      const batch = fresh.slice(round * 3, round * 3 + 3).map((d) => [d.id]);
      const results = await adoptConcurrently(handle.db, deps, [[adopted.id], ...batch]);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      const [open] = await handle.db.select().from(bulletinIssues).where(eq(bulletinIssues.status, 'open'));
      await handle.db.transaction((tx) => publishIssue(tx, { issueId: open!.id, actor: 'ou_ed', now: clock.now() }));
    }
    const issues = await handle.db.select().from(bulletinIssues).orderBy(asc(bulletinIssues.number));
    expect(issues.map((i) => [i.number, i.status])).toEqual([
      [1, 'published'],
      [2, 'published'],
      [3, 'published'],
    ]);
    for (const i of issues) {
      const items = await handle.db.select().from(bulletinItems).where(eq(bulletinItems.issueId, i.id)).orderBy(asc(bulletinItems.position));
      expect(items.map((x) => x.position)).toEqual([1, 2, 3]);
    }
  });

  it('a new year starts again at 1', async () => {
    handle = await createTestDb();
    const clock = new TestClock('2026-12-31T15:00:00Z'); // 2026-12-31 23:00 in Asia/Shanghai
    const deps = depsFor(handle.db, clock);
    const w = await new World(handle.db).init({ issue: false });
    const [a, b] = [await w.draft('甲镇', { state: 'approved' }), await w.draft('甲镇', { state: 'approved' })];
    await adoptConcurrently(handle.db, deps, [[a.id]]);
    const [first] = await handle.db.select().from(bulletinIssues);
    await handle.db.transaction((tx) => publishIssue(tx, { issueId: first!.id, actor: 'ou_ed', now: clock.now() }));
    clock.set('2026-12-31T16:30:00Z'); // 2027-01-01 00:30 local
    await adoptConcurrently(handle.db, deps, [[b.id]]);
    const issues = await handle.db.select().from(bulletinIssues).orderBy(asc(bulletinIssues.id));
    expect(issues.map((i) => [i.year, i.number])).toEqual([
      [2026, 1],
      [2027, 1],
    ]);
  });

  it('moving an item shifts the ones between, keeping positions 1..n', async () => {
    handle = await createTestDb();
    const clock = new TestClock('2026-11-02T02:00:00Z');
    const deps = depsFor(handle.db, clock);
    const w = await new World(handle.db).init({ issue: false });
    const ds = [];
    for (let i = 0; i < 5; i++) ds.push(await w.draft('甲镇', { state: 'approved', title: `稿${i + 1}` }));
    for (const d of ds) await adoptConcurrently(handle.db, deps, [[d.id]]);
    const order = async () => (await handle!.db.select().from(bulletinItems).orderBy(asc(bulletinItems.position))).map((i) => `${i.position}:${i.title}`);
    const idOf = async (title: string) => (await handle!.db.select().from(bulletinItems).where(eq(bulletinItems.title, title)))[0]!.id;
    const move = async (title: string, to: number) => {
      const itemId = await idOf(title);
      return handle!.db.transaction((tx) => moveItem(tx, { itemId, to, actor: 'ou_ed', now: clock.now() }));
    };
    await move('稿5', 2);
    expect(await order()).toEqual(['1:稿1', '2:稿5', '3:稿2', '4:稿3', '5:稿4']);
    await move('稿1', 4);
    expect(await order()).toEqual(['1:稿5', '2:稿2', '3:稿3', '4:稿1', '5:稿4']);
    await expect(move('稿5', 0)).rejects.toThrow('已经是第一条。');
  });
});
