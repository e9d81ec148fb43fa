import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LarkConfig } from '../../bot/config.js';
import { createDb, EmbeddedDatabaseStoppedError, GuardedPGlite, isDiskFull, rowsOf } from '../../db/client.js';
import { PGlite } from '@electric-sql/pglite';
import type { FakeLark } from '../../emulator/open-api/index.js';
import { deliver, ensureBuilt, fakeLarkApp, larkEnv, startBuiltBot, textEvent, waitFor, type BuiltBot } from '../deploy/helpers/built-bot.js';
import { postgresRun } from '../helpers/test-db.js';

/** Whether this process may mount a tmpfs (root, or a container that allows it): the test needs a disk it can fill. */
function tmpfsRefusal(): string | undefined {
  const probe = mkdtempSync(join(tmpdir(), 'gj-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err).trim() || 'mount failed';
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const refusal = postgresRun ? 'embedded database only' : tmpfsRefusal();
if (refusal && !postgresRun) console.warn(`pglite-disk-full: skipped, cannot mount a tmpfs to fill (${refusal}); run as root to include it`);

const MB = 1024 * 1024;
const HEALTHZ = (bot: BuiltBot) => fetch(bot.url + '/healthz').then(async (r) => ({ status: r.status, body: (await r.json()) as { database?: string } }));

/** The bot's JSON log lines. */
function logLines(bot: BuiltBot): { level: number; msg: string }[] {
  return bot
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string });
}

/**
 * A full disk under the embedded database while events arrive. The data directory sits on a tmpfs
 * of its own; a filler file takes all but a little of it, and events are pushed until a write
 * fails. From then on the webhook answers 503 (Lark re-delivers) and /healthz is unhealthy, with
 * one clear line in the log. Once the filler is deleted (and, if the database had to stop, the bot
 * restarted), everything acknowledged before is still there and handled, the refused events are
 * taken when Lark pushes them again, and each person gets exactly one answer.
 */
describe.skipIf(Boolean(refusal))('fault: the disk under the embedded database fills up', () => {
  const root = mkdtempSync(join(tmpdir(), 'gj-diskfull-'));
  const mnt = join(root, 'mnt');
  const filler = join(mnt, 'filler');
  /** A second small disk for PGlite on its own. */
  const mnt2 = join(root, 'mnt2');
  const mounts: string[] = [];
  let fake: FakeLark;
  let lark: LarkConfig;
  const bots: BuiltBot[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    ({ fake, lark } = await fakeLarkApp());
    mkdirSync(mnt);
    // Room for the migrated database (about 60 MB) and the bot's margin, not much more.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200m', 'tmpfs', mnt]);
    mounts.push(mnt);
    mkdirSync(mnt2);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=100m', 'tmpfs', mnt2]);
    mounts.push(mnt2);
  }, 300_000);

  afterAll(async () => {
    for (const b of bots) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
    await Promise.all(bots.map((b) => b.exited));
    await fake?.close();
    for (const m of mounts) {
      try {
        execFileSync('umount', [m]);
      } catch {
        execFileSync('umount', ['-l', m]);
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  /**
   * Pushes events until one is refused with `leave` bytes left beside the filler, checks the refusal,
   * frees the space, and checks that every event is stored, handled and answered exactly once.
   */
  async function fillUntilRefused(tag: string, leave: number, expectStopped: boolean) {
    const N = 4000;
    const dataDir = join(mnt, tag);
    rmSync(filler, { force: true });
    const people = Array.from({ length: N }, (_, i) => `ou_${tag}${String(i).padStart(5, '0')}`);
    for (const openId of people) fake.addUser({ openId, name: `访客${openId.slice(-4)}` });
    // Texts of 12,000 varied characters (about 36 KB; repeated ones would compress away): the 14 MB
    // left for the write-ahead log fill after some 160 events, not hundreds, each delivered one at
    // a time and answered at the outbox's pace.
    const text = (i: number) => Array.from({ length: 12_000 }, (_, k) => String.fromCharCode(0x4e00 + ((i * 7919 + k * 104729) % 20000))).join('');
    const events = people.map((p, i) => textEvent(lark, fake, p, `om_${tag}_${i}`, `你好 ${i} ${text(i)}`));
    const env = { ...larkEnv(lark), PGLITE_DIR: dataDir };
    const answers = () => fake.messages.filter((m) => m.sender.senderType === 'app' && m.p2pUserOpenId?.startsWith(`ou_${tag}`));

    const bot = await startBuiltBot(env);
    bots.push(bot);
    const acked = new Set<number>();
    for (let i = 0; i < 10; i++) {
      expect(await deliver(bot.url, lark, events[i]!)).toBe(200);
      acked.add(i);
    }
    await waitFor('the first answers', () => answers().length >= 10);

    // All but `leave` bytes of the disk taken.
    const free = () => {
      const s = statfsSync(mnt);
      return s.bavail * s.bsize;
    };
    execFileSync('fallocate', ['-l', String(free() - leave), filler]);
    const freeAfterFill = free();
    const logBeforeFill = bot.output().length;

    // Events one at a time until one is refused.
    let next = 10;
    let refusedAt = -1;
    let refusedStatus = 0;
    while (next < N) {
      const i = next++;
      const status = await deliver(bot.url, lark, events[i]!);
      if (status === 200) {
        acked.add(i);
        continue;
      }
      refusedAt = i;
      refusedStatus = status;
      break;
    }
    expect(refusedAt, 'no write failed for lack of space').toBeGreaterThan(0);
    const ackedBefore = [...acked];
    const ackedBeforeFault = ackedBefore.length;

    // From now on nothing is acknowledged: Lark keeps these and pushes them again.
    const during: number[] = [];
    for (let k = 0; k < 20 && next < N; k++) during.push(await deliver(bot.url, lark, events[next++]!));
    const health = await HEALTHZ(bot);
    // The workers keep trying meanwhile; give them a few rounds of back-off to spam the log, if they would.
    await new Promise((r) => setTimeout(r, 5000));
    const lines = logLines(bot);
    const diskLines = lines.filter((l) => l.msg.includes('磁盘空间不足'));
    // A stack in a JSON line is one escaped string: "\n    at …".
    const stackLines = bot.output().slice(logBeforeFill).split('\n').filter((l) => l.includes('    at ')).length;
    const errorLines = logLines({ output: () => bot.output().slice(logBeforeFill) } as BuiltBot).filter((l) => l.level >= 50).length;
    const crashed = diskLines.some((l) => l.msg.includes('已停止运行'));
    console.log(
      `disk full (${tag}): ${freeAfterFill} bytes free after the filler; ${ackedBeforeFault} events acknowledged (${ackedBeforeFault - 10} after the filler), ` +
        `event ${refusedAt} refused with ${refusedStatus}; the next ${during.length} answered ${[...new Set(during)].join('/')}; ` +
        `/healthz ${health.status} ${JSON.stringify(health.body)}; ${diskLines.length} disk-full log line(s), ${errorLines} error lines, ${stackLines} stack lines; ` +
        `embedded database ${crashed ? 'stopped (write-ahead log could not grow: restart needed)' : 'still running'}`,
    );
    for (const l of bot.output().slice(logBeforeFill).split('\n')) if (l.includes('"level":50') || l.includes('"level":60') || l.includes('    at ')) console.log(`disk full (${tag}): error line: ${l.slice(0, 600)}`);
    expect([503, 500]).toContain(refusedStatus);
    expect(during.every((s) => s === 503)).toBe(true);
    expect(health.status).toBe(503);
    expect(health.body.database).toBe('disk full');
    expect(crashed).toBe(expectStopped);
    expect(diskLines.length).toBe(1);
    expect(errorLines).toBeLessThanOrEqual(3);
    expect(stackLines).toBe(0);

    // Space freed. The bot takes events again by itself unless the database had to stop; then a restart.
    rmSync(filler);
    let serving = bot;
    const freedAt = Date.now();
    if (crashed) {
      bot.child.kill('SIGTERM');
      const code = await bot.exited;
      // A stopped database is not waited for (GuardedPGlite.close): the shutdown still ends cleanly.
      expect(code).toBe(0);
      serving = await startBuiltBot(env);
      bots.push(serving);
      console.log(`disk full (${tag}): first bot exited ${code} on SIGTERM; restarted in ${((Date.now() - freedAt) / 1000).toFixed(1)} s`);
    } else {
      await waitFor('healthy again', async () => (await HEALTHZ(bot)).status === 200, 30_000);
      console.log(`disk full (${tag}): healthy again ${((Date.now() - freedAt) / 1000).toFixed(1)} s after the space was freed, without a restart`);
    }

    // Lark re-delivers everything it did not get 200 for.
    const all = Array.from({ length: next }, (_, i) => i);
    for (const i of all) {
      if (acked.has(i)) continue;
      expect(await deliver(serving.url, lark, events[i]!)).toBe(200);
      acked.add(i);
    }
    await waitFor(`${next} answers`, () => answers().length >= next, 120_000);
    serving.child.kill('SIGTERM');
    expect(await serving.exited).toBe(0);
    expect(logLines(serving).filter((l) => l.msg.includes('磁盘空间已恢复')).length).toBe(crashed ? 0 : 1);

    // What the embedded database holds, read after the bot has stopped (and released its lock).
    const handle = await createDb({ kind: 'pglite', dir: dataDir });
    let rows: { key: string; status: string }[];
    try {
      rows = rowsOf<{ key: string; status: string }>(await handle.db.execute(sql`select key, status from inbox_events where key like ${`msg:om_${tag}_%`}`));
    } finally {
      await handle.close();
    }
    const stored = new Map(rows.map((r) => [r.key, r.status]));
    const sent = answers();
    const perPerson = new Map<string, number>();
    for (const m of sent) perPerson.set(m.p2pUserOpenId!, (perPerson.get(m.p2pUserOpenId!) ?? 0) + 1);
    const lostBeforeFault = ackedBefore.filter((i) => stored.get(`msg:om_${tag}_${i}`) !== 'done');
    console.log(
      `disk full (${tag}): ${next} events delivered in all, ${stored.size} stored, ${[...stored.values()].filter((s) => s === 'done').length} handled, ` +
        `${sent.length} answers to ${perPerson.size} people; ${lostBeforeFault.length} of the ${ackedBeforeFault} acknowledged before the fault missing`,
    );
    expect(lostBeforeFault).toEqual([]);
    expect(stored.size).toBe(next);
    expect([...stored.values()].every((s) => s === 'done')).toBe(true);
    expect(sent.length).toBe(next);
    expect(perPerson.size).toBe(next);
    rmSync(dataDir, { recursive: true, force: true });
  }

  it('a table that cannot grow: 503 and unhealthy, one clear log line, back by itself once space is freed; nothing acknowledged lost', async () => {
    await fillUntilRefused('tbl', 256 * 1024, false);
  }, 600_000);

  // With 14 MB left the tables still grow, but the next 16 MB log segment cannot be created.
  it('a write-ahead log that cannot grow: the database stops, 503 and unhealthy, one line asking for a restart; nothing acknowledged lost', async () => {
    await fillUntilRefused('wal', 14 * 1024 * 1024, true);
  }, 600_000);

  /**
   * What PGlite (0.5) itself does when the write-ahead log cannot grow: the statement PANICs and the
   * backend is gone. Called again, a plain PGlite blocks the whole Node process (measured; not run
   * here, it would hang the test); GuardedPGlite refuses at once. The data directory is not damaged:
   * opened again with room, it recovers from its log and holds every committed row.
   */
  it('PGlite on its own: a log that cannot grow stops the database; later calls are refused at once; reopened with room, every commit is there', async () => {
    const dir = join(mnt2, 'db');
    const fill = join(mnt2, 'filler');
    const db = new GuardedPGlite(dir);
    await db.waitReady;
    await db.exec('create table t (id serial primary key, body text)');
    const s = statfsSync(mnt2);
    execFileSync('fallocate', ['-l', String(s.bavail * s.bsize - 200 * 1024), fill]);
    // Each switch starts a new 16 MB log segment; recycled ones run out within a few rounds.
    let committed = 0;
    let failure: unknown;
    for (let k = 0; k < 50 && !failure; k++) {
      try {
        await db.query('insert into t (body) values ($1)', [`row ${k}`]);
        committed++;
        await db.query('select pg_switch_wal()');
      } catch (err) {
        failure = err;
      }
    }
    expect(failure, 'the log never ran out of room').toBeDefined();
    const started = Date.now();
    const after = await db.query('select 1').then(() => undefined, (err: unknown) => err);
    const refusedInMs = Date.now() - started;
    await db.close();
    rmSync(fill);
    const reopened = new PGlite(dir);
    let rows: number;
    try {
      rows = Number((await reopened.query<{ n: number }>('select count(*)::int as n from t')).rows[0]!.n);
      await reopened.query('insert into t (body) values ($1)', ['after']);
    } finally {
      await reopened.close();
    }
    console.log(
      `PGlite disk full: ${committed} inserts committed, then ${(failure as Error).message} ` +
        `(${String((failure as { cause?: { severity?: string } }).cause?.severity ?? (failure as { severity?: string }).severity)}); ` +
        `the next call refused in ${refusedInMs} ms; reopened with room: ${rows} rows`,
    );
    expect(isDiskFull(failure)).toBe(true);
    expect(db.stopped).toBeDefined();
    expect(after).toBeInstanceOf(EmbeddedDatabaseStoppedError);
    expect(refusedInMs).toBeLessThan(1000);
    expect(rows).toBe(committed);
  }, 120_000);

  // PGlite started on a full disk aborts its whole process with "Aborted()" (measured): refused first.
  it('a start on a full disk is refused, saying why', async () => {
    const fill = join(mnt2, 'filler-start');
    const s = statfsSync(mnt2);
    execFileSync('fallocate', ['-l', String(s.bavail * s.bsize - 10 * MB), fill]);
    try {
      const refused = await startBuiltBot({ ...larkEnv(lark), PGLITE_DIR: join(mnt2, 'start') }).then(
        (b) => void bots.push(b),
        (err: Error) => err,
      );
      expect(refused?.message).toMatch(/exited with 1/);
      expect(refused?.message).toMatch(/磁盘空间不足：内置数据库目录 \S+ 所在磁盘只剩 \d+\.\d MB 可用，至少需要 64 MB/);
    } finally {
      rmSync(fill, { force: true });
    }
  }, 120_000);
});
