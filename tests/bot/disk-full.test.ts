import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DiskFullWatch } from '../../bot/disk-full.js';
import { createLogger } from '../../bot/logger.js';
import { EmbeddedDatabaseStoppedError, isDatabaseUnavailable, isDiskFull, PGLITE_MIN_FREE_BYTES } from '../../db/client.js';

/** What PGlite and PostgreSQL raise when a table cannot grow (drizzle wraps it with the query). */
function diskFullError(severity = 'ERROR'): Error {
  const pg = Object.assign(new Error('could not extend file "base/5/16385": No space left on device'), { code: '53100', severity });
  return new Error('Failed query: insert into "inbox_events" …', { cause: pg });
}

function world(kind: 'pglite' | 'postgres' = 'pglite') {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const t = { now: 0, free: 0 };
  const watch = new DiskFullWatch({
    db: { kind, dir: kind === 'pglite' ? '/data/pglite' : undefined },
    log: createLogger('info', sink),
    freeBytes: () => t.free,
    now: () => t.now,
  });
  return { watch, lines, t };
}

describe('a full disk under the database', () => {
  it('is recognised through the wrapping error, and counts as the database being unavailable', () => {
    expect(isDiskFull(diskFullError())).toBe(true);
    expect(isDiskFull(Object.assign(new Error('write failed'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(new EmbeddedDatabaseStoppedError(diskFullError('PANIC').cause))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(diskFullError())).toBe(true);
    expect(isDatabaseUnavailable(new EmbeddedDatabaseStoppedError(new Error('PANIC: something else')))).toBe(true);
  });

  it('embedded: logged once, events refused until there is room again, then taken by themselves', () => {
    const { watch, lines, t } = world();
    expect(watch.saw(new Error('syntax error'))).toBe(false);
    expect(watch.isFull()).toBe(false);

    for (let i = 0; i < 5; i++) expect(watch.saw(diskFullError())).toBe(true);
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/^磁盘空间不足：内置数据库无法写入.*\/data\/pglite.*无需重启。$/)]);
    expect(lines[0]!.level).toBe(50);
    expect(watch.isFull()).toBe(true);

    // Some room, but less than a write-ahead log segment needs: still refused.
    t.free = PGLITE_MIN_FREE_BYTES - 1;
    t.now += 1000;
    expect(watch.isFull()).toBe(true);
    t.free = PGLITE_MIN_FREE_BYTES;
    t.now += 500;
    expect(watch.isFull()).toBe(true); // looked at most once a second
    t.now += 500;
    expect(watch.isFull()).toBe(false);
    expect(lines.at(-1)!.msg).toMatch(/^磁盘空间已恢复/);
    expect(lines).toHaveLength(2);

    // A new episode is told again.
    t.free = 0;
    watch.saw(diskFullError());
    expect(lines).toHaveLength(3);
    expect(watch.isFull()).toBe(true);
  });

  it('embedded database stopped: told once more, with a restart, and refused even with room', () => {
    const { watch, lines, t } = world();
    watch.saw(diskFullError());
    const stopped = new EmbeddedDatabaseStoppedError(diskFullError('PANIC').cause);
    watch.saw(stopped);
    watch.saw(stopped);
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/无需重启。$/), expect.stringMatching(/已停止运行.*然后重启机器人/)]);
    t.free = 10 * PGLITE_MIN_FREE_BYTES;
    t.now += 60_000;
    expect(watch.isFull()).toBe(true);
  });

  it('a PANIC as the first sign: one line, the one asking for a restart', () => {
    const { watch, lines } = world();
    watch.saw(new Error('Failed query: commit', { cause: diskFullError('PANIC').cause }));
    watch.saw(new EmbeddedDatabaseStoppedError(diskFullError('PANIC').cause));
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/已停止运行/)]);
    expect(watch.isFull()).toBe(true);
  });

  it('PostgreSQL: the server disk is not ours to watch; events are not held back, the line is repeated at most every 10 minutes', () => {
    const { watch, lines, t } = world('postgres');
    watch.saw(diskFullError());
    expect(watch.isFull()).toBe(false);
    t.now += 9 * 60_000;
    watch.saw(diskFullError());
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toMatch(/^磁盘空间不足：PostgreSQL/);
    t.now += 2 * 60_000;
    watch.saw(diskFullError());
    expect(lines).toHaveLength(2);
  });
});
