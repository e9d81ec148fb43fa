import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDirLock, DirLockedError } from '../../db/dir-lock.js';
import { postgresRun } from '../helpers/test-db.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const HOLDER = fileURLToPath(new URL('../helpers/lock-holder.ts', import.meta.url));

function freshDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'gj-dirlock-')), 'db');
  mkdirSync(dir);
  return dir;
}

/** A lock file as an earlier life of the bot left it (killed with SIGKILL: no release). */
function leaveLock(dir: string, pid: number) {
  writeFileSync(join(dir, 'gaojian.lock'), JSON.stringify({ pid, owner: 'npm start', since: '2026-10-12T01:00:00.000Z' }));
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

type Holder = { child: ChildProcessWithoutNullStreams; lines: string[]; waitFor: (n: number) => Promise<void> };
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.stdin.end();
});

function startHolder(dir: string): Holder {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  let buffered = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d) => {
    buffered += d;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const waitFor = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (lines.length >= n) resolve();
        else if (child.exitCode !== null) reject(new Error(`lock holder exited: ${stderr}`));
        else waiters.push(check);
      };
      child.once('exit', () => check());
      check();
    });
  return { child, lines, waitFor };
}

function holderOf(dir: string): { pid: number; owner: string } {
  return JSON.parse(readFileSync(join(dir, 'gaojian.lock'), 'utf8'));
}

describe.skipIf(postgresRun)('embedded database directory lock', () => {
  it('takes over a lock naming its own pid: a container restarted after SIGKILL is PID 1 again', () => {
    const dir = freshDir();
    leaveLock(dir, process.pid);
    const lock = acquireDirLock(dir, 'npm start');
    try {
      expect(holderOf(dir)).toMatchObject({ pid: process.pid, owner: 'npm start' });
      // Held by this process now: a second opener in the same process is still refused.
      expect(() => acquireDirLock(dir, 'npm run job')).toThrow(DirLockedError);
    } finally {
      lock.release();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock naming a process that no longer exists', () => {
    const dir = freshDir();
    const pid = deadPid();
    leaveLock(dir, pid);
    const lock = acquireDirLock(dir, 'npm start');
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, owner: 'npm start' });
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a live holder in another process is refused with the clear message, and the lock is free once it exits', async () => {
    const dir = freshDir();
    const holder = startHolder(dir);
    await holder.waitFor(1);
    holder.child.stdin.write('go\n');
    await holder.waitFor(2);
    expect(holder.lines[1]).toBe('got');
    let error: unknown;
    try {
      acquireDirLock(dir, 'npm run job');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DirLockedError);
    expect((error as Error).message).toContain('正被另一个进程使用');
    expect((error as Error).message).toContain(`holder ${holder.child.pid}，进程号 ${holder.child.pid}`);
    const exited = new Promise((r) => holder.child.once('exit', r));
    holder.child.stdin.end(); // the holder exits (its exit hook removes the lock)
    await exited;
    acquireDirLock(dir, 'npm run job').release();
  }, 60_000);

  it('processes racing for a stale lock: exactly one gets it, the others are refused', async () => {
    for (let round = 0; round < 2; round++) {
      const dir = freshDir();
      leaveLock(dir, deadPid());
      const racers = Array.from({ length: 6 }, () => startHolder(dir));
      await Promise.all(racers.map((r) => r.waitFor(1)));
      for (const r of racers) r.child.stdin.write('go\n');
      await Promise.all(racers.map((r) => r.waitFor(2)));
      const results = racers.map((r) => r.lines[1]!);
      expect(results.filter((r) => r === 'got')).toHaveLength(1);
      expect(results.filter((r) => r.startsWith('refused: ') && r.includes('正被另一个进程使用'))).toHaveLength(5);
      const winner = racers[results.indexOf('got')]!;
      expect(holderOf(dir).pid).toBe(winner.child.pid);
      for (const r of racers) r.child.stdin.end();
    }
  }, 120_000);
});
