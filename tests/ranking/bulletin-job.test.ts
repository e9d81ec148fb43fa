import { afterEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { jobRuns, outbox, units } from '../../db/schema/index.js';
import { allJobs } from '../../jobs/index.js';
import { runJobSlot } from '../../jobs/run-once.js';
import type { Job } from '../../jobs/types.js';
import { validateCard } from '../../emulator/card-validator.js';
import { cardText, GROUP, Harness } from '../helpers/harness.js';
import { buildScenario } from './scenario.js';

let open: Harness[] = [];
afterEach(async () => {
  // The last one closes the shared database.
  for (const [i, h] of open.entries()) await h.close({ keepDb: i < open.length - 1 });
  open = [];
});

/**
 * These tests are about scheduling and exactly-once posting, so approval is off
 * (BULLETIN_APPROVAL=off posts directly); the 审定 flow has its own tests in bulletin-approval.test.ts.
 */
async function start(o: Parameters<typeof Harness.start>[0] = {}) {
  const h = await Harness.start({ ...o, env: { BULLETIN_APPROVAL: 'off', ...o.env } });
  open.push(h);
  return h;
}

/** A deployment with the hand-built history (roster units count as existing since January). */
async function withHistory(startAt: string, env?: Record<string, string>) {
  const h = await start({ start: startAt, env });
  await h.db.db.update(units).set({ createdAt: new Date('2026-01-01T00:00:00+08:00') });
  await buildScenario(h.db.db);
  return h;
}

const job = (name: string): Job => allJobs().find((j) => j.name === name)!;

function groupTitles(h: Harness): string[] {
  return h.cardsTo(GROUP).map((m) => String(((m.content as { header?: { title?: { content?: string } } }).header?.title?.content) ?? ''));
}

describe('scheduled ranking bulletins', { timeout: 120_000 }, () => {
  it('posts the October bulletin to the group once, at 09:00 local time on 1 November', async () => {
    const h = await withHistory('2026-11-01T00:00:00Z');
    await h.app.scheduler.tick(new Date('2026-11-01T00:59:00Z')); // 08:59 in Shanghai
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(0);

    h.clock.set('2026-11-01T01:00:00Z');
    await h.app.scheduler.tick(new Date('2026-11-01T01:00:00Z')); // 09:00
    await h.app.scheduler.tick(new Date('2026-11-01T01:00:30Z')); // the same minute again
    await h.settle();
    await h.app.scheduler.tick(new Date('2026-11-01T09:00:00Z')); // 09:00 UTC is 17:00 here
    await h.settle();

    expect(groupTitles(h)).toEqual(['2026年10月信息工作通报']);
    const text = cardText(h.lastCardTo(GROUP).content);
    expect(text).toContain('**零报送（4 个单位）**：城关镇、东街街道、东港镇、新区街道');
    expect(text).toContain('送审 **6** 篇 · 报送 **4** 篇');
    expect(text).toContain('“报送”为组织委员审核通过、报到研究室的篇数');
    const table = (h.lastCardTo(GROUP).content as { body: { elements: { tag: string; rows?: { u: string; r: number; d: string }[] }[] } }).body.elements.find((e) => e.tag === 'table')!;
    expect(table.rows!.slice(0, 3).map((r) => [r.u, r.r, r.d])).toEqual([
      ['南湖镇', 1, '↑2'],
      ['北山镇', 2, '—'],
      ['西岭乡', 2, '↑1'],
    ]);
    const runs = await h.db.db.select().from(jobRuns).where(eq(jobRuns.job, 'monthly-bulletin'));
    expect(runs.map((r) => r.slot)).toEqual(['2026-10']);
  });

  it('follows BOT_TIMEZONE and the configured schedule', async () => {
    const h = await withHistory('2026-11-01T00:00:00Z', { BOT_TIMEZONE: 'UTC', BULLETIN_MONTHLY_CRON: '30 8 2 * *' });
    await h.app.scheduler.tick(new Date('2026-11-01T09:00:00Z'));
    await h.app.scheduler.tick(new Date('2026-11-02T01:00:00Z'));
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(0);
    await h.app.scheduler.tick(new Date('2026-11-02T08:30:00Z'));
    await h.settle();
    expect(groupTitles(h)).toEqual(['2026年10月信息工作通报']);
  });

  it('sends the monthly and quarterly bulletins on 1 October, and all three on 1 January', async () => {
    const h = await withHistory('2026-10-01T00:00:00Z');
    await h.app.scheduler.tick(new Date('2026-10-01T01:00:00Z'));
    await h.settle();
    expect(groupTitles(h).sort()).toEqual(['2026年9月信息工作通报', '2026年第三季度信息工作通报'].sort());
    h.clock.set('2027-01-01T01:00:00Z');
    await h.app.scheduler.tick(new Date('2027-01-01T01:00:00Z'));
    await h.settle();
    expect(groupTitles(h).slice(2).sort()).toEqual(['2026年12月信息工作通报', '2026年第四季度信息工作通报', '2026年信息工作通报'].sort());
  });

  it('sends one bulletin when two bot processes on one database fire together', async () => {
    const a = await withHistory('2026-11-01T01:00:00Z');
    const b = await start({ db: a.db, org: null, start: '2026-11-01T01:00:00Z' });
    const at = new Date('2026-11-01T01:00:00Z');
    await Promise.all([a.app.scheduler.tick(at), b.app.scheduler.tick(at), a.app.scheduler.catchUp(at), b.app.scheduler.catchUp(at)]);
    // One after the other: each harness moves its own clock, and a clock jumping past the other's
    // outbox lease would let both deliver one row to their two separate fake Larks.
    await a.settle();
    await b.settle();
    // The October bulletin once; catch-up also found the Q3 slot of 1 October never ran, once too.
    expect([...groupTitles(a), ...groupTitles(b)].sort()).toEqual(['2026年10月信息工作通报', '2026年第三季度信息工作通报'].sort());
    const sends = await a.db.db.select().from(outbox).where(and(eq(outbox.op, 'send'), eq(outbox.orderKey, GROUP)));
    expect(sends).toHaveLength(2);
  });

  it('catches up a bulletin missed while the bot was down, once', async () => {
    // Running on 1 October: September and Q3 went out.
    const first = await withHistory('2026-10-01T01:00:00Z');
    await first.app.scheduler.tick(new Date('2026-10-01T01:00:00Z'));
    await first.settle();
    expect(first.cardsTo(GROUP)).toHaveLength(2);
    await first.close({ keepDb: true });
    open = [];

    // Down over 1 November; back on the 3rd.
    const back = await start({ db: first.db, org: null, sameAppAs: first, start: '2026-11-03T02:00:00Z' });
    await back.app.scheduler.catchUp(back.clock.now());
    await back.app.scheduler.catchUp(back.clock.now());
    await back.settle();
    expect(groupTitles(back)).toEqual(['2026年10月信息工作通报']);
    // The bulletin is about the period that ended, not the day it was sent.
    expect(cardText(back.lastCardTo(GROUP).content)).toContain('统计 2026年10月1日 至 2026年10月31日');

    await back.close({ keepDb: true });
    open = [];
    const again = await start({ db: first.db, org: null, sameAppAs: first, start: '2026-11-03T03:00:00Z' });
    await again.app.scheduler.catchUp(again.clock.now());
    await again.settle();
    expect(again.cardsTo(GROUP)).toHaveLength(0);
  });

  it('tries a slot again on later ticks when the database refused it at its minute, and posts once', async () => {
    const h = await withHistory('2026-11-01T00:00:00Z');
    // At 09:00 the database answers "starting up" (57P03), as PostgreSQL does right after a restart.
    await h.db.db.execute(sql`create function refuse_job_runs() returns trigger language plpgsql as $$
      begin raise exception 'the database system is starting up' using errcode = '57P03'; end $$`);
    await h.db.db.execute(sql`create trigger refuse_job_runs before insert on job_runs for each row execute function refuse_job_runs()`);
    const at = (t: string) => h.app.scheduler.tick(new Date(`2026-11-01T${t}:00Z`));
    h.clock.set('2026-11-01T01:00:00Z');
    await at('01:00');
    await at('01:01');
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(0);
    const failed = h.logs.filter((l) => l.job === 'monthly-bulletin' && l.msg === 'job failed: database unavailable');
    // Two tries, one line each, with the reason and the next try, without a stack.
    expect(failed.map((l) => [l.level, l.failures, l.next])).toEqual([
      [40, 1, '2026-11-01T01:01:00.000Z'],
      [40, 2, '2026-11-01T01:03:00.000Z'],
    ]);
    expect(JSON.stringify(failed)).not.toContain('stack');

    await h.db.db.execute(sql`drop trigger refuse_job_runs on job_runs`);
    await at('01:02'); // backing off
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(0);
    await at('01:03');
    await at('01:04');
    await h.settle();
    await at('02:00');
    await h.settle();
    expect(groupTitles(h)).toEqual(['2026年10月信息工作通报']);
    const runs = await h.db.db.select().from(jobRuns).where(eq(jobRuns.job, 'monthly-bulletin'));
    expect(runs.map((r) => r.slot)).toEqual(['2026-10']);
  });

  it('stops trying a slot that keeps failing after about a day, saying so', async () => {
    const h = await withHistory('2026-11-01T00:00:00Z');
    await h.db.db.execute(sql`create function refuse_job_runs() returns trigger language plpgsql as $$
      begin raise exception 'a bug of the job'; end $$`);
    await h.db.db.execute(sql`create trigger refuse_job_runs before insert on job_runs for each row execute function refuse_job_runs()`);
    // Ticks every half hour for 30 hours from 09:00 on 1 November.
    for (let i = 0; i <= 60; i++) {
      const t = new Date(Date.parse('2026-11-01T01:00:00Z') + i * 30 * 60_000);
      h.clock.set(t.toISOString());
      await h.app.scheduler.tick(t);
    }
    const failed = h.logs.filter((l) => l.job === 'monthly-bulletin' && l.msg === 'job failed');
    expect(failed).toHaveLength(30);
    expect(failed.every((l) => Number(l.level) === 50)).toBe(true);
    expect(failed.at(-2)!.next).toBe('2026-11-02T03:30:00.000Z');
    expect(failed.at(-1)).toMatchObject({ failures: 30, next: null });
    expect(h.cardsTo(GROUP)).toHaveLength(0);
  });

  it('without a roster, says why in one error line without a stack, and keeps the slot for after the import', async () => {
    const h = await start({ start: '2026-11-01T01:00:00Z', org: null });
    await h.app.scheduler.tick(new Date('2026-11-01T01:00:00Z'));
    const failed = h.logs.filter((l) => l.job === 'monthly-bulletin' && l.msg === 'job failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 50, reason: '名册尚未导入，不知道工作群，通报未发送（npm run org:import）', failures: 1 });
    expect(failed[0]!.err).toBeUndefined();
    expect(await h.db.db.select().from(jobRuns).where(eq(jobRuns.job, 'monthly-bulletin'))).toHaveLength(0);
  });

  it('does not post an empty bulletin when a new deployment catches up a month before its roster', async () => {
    // Units imported "now" (the real import time), after October ended.
    const h = await start({ start: '2026-11-03T02:00:00Z' });
    await h.db.db.update(units).set({ createdAt: new Date('2026-11-02T00:00:00Z') });
    await h.app.scheduler.catchUp(h.clock.now());
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(0);
    const runs = await h.db.db.select().from(jobRuns).where(eq(jobRuns.job, 'monthly-bulletin'));
    expect(runs.map((r) => [r.slot, r.outcome])).toEqual([['2026-10', '2026年10月没有参加排行的单位，月通报未发送']]);
  });

  it('a dry run returns the card and sends and records nothing', async () => {
    const h = await withHistory('2026-11-02T02:00:00Z');
    const outcome = await runJobSlot(h.app.deps, job('monthly-bulletin'), '2026-10', { firedAt: h.clock.now(), dryRun: true });
    expect(outcome.ran).toBe(true);
    if (!outcome.ran) return;
    expect(outcome.result.summary).toContain('（试运行，未发送）2026年10月月通报');
    expect(validateCard(outcome.result.preview)).toEqual({ ok: true });
    expect(JSON.stringify(outcome.result.preview)).toContain('"u":"南湖镇"');
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(0);
    expect(await h.db.db.select().from(outbox)).toHaveLength(0);
    expect(await h.db.db.select().from(jobRuns)).toHaveLength(0);
  });

  it('reads the period of a run by hand and refuses one of the wrong kind', () => {
    const now = new Date('2026-11-02T02:00:00Z');
    const monthly = job('monthly-bulletin');
    expect(monthly.manualSlot!({}, now, 'Asia/Shanghai')).toBe('2026-10');
    expect(monthly.manualSlot!({ period: '2026-9' }, now, 'Asia/Shanghai')).toBe('2026-09');
    expect(() => monthly.manualSlot!({ period: '2026Q3' }, now, 'Asia/Shanghai')).toThrow('月通报的期间应写成 2026-10 这样，而“2026Q3”是2026年第三季度。');
    expect(() => monthly.manualSlot!({ period: '2026-13' }, now, 'Asia/Shanghai')).toThrow('“2026-13”的月份应为 1-12');
    expect(job('quarterly-bulletin').manualSlot!({}, now, 'Asia/Shanghai')).toBe('2026Q3');
    expect(job('annual-bulletin').manualSlot!({}, now, 'Asia/Shanghai')).toBe('2025');
  });

  it('delivers a 200-unit bulletin that the fake Lark accepts (size and Card 2.0 checks)', async () => {
    const h = await withHistory('2026-11-01T01:00:00Z');
    await h.db.db.insert(units).values(
      Array.from({ length: 195 }, (_, i) => ({ name: `第${i + 1}社区党委`, sortOrder: 100 + i, createdAt: new Date('2026-01-01T00:00:00Z') })),
    );
    await h.app.scheduler.tick(new Date('2026-11-01T01:00:00Z'));
    await h.settle();
    const [card] = h.cardsTo(GROUP);
    expect(card).toBeDefined();
    expect(Buffer.byteLength(card!.raw)).toBeLessThan(30 * 1024);
    expect(cardText(card!.content)).toContain('零报送（199 个单位）');
    expect(await h.db.db.select().from(outbox).where(eq(outbox.status, 'failed'))).toHaveLength(0);
  });
});
