import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type DirLock = { release: () => void };

export class DirLockedError extends Error {
  constructor(dir: string, holder: string) {
    super(
      `内置数据库 ${dir} 正被另一个进程使用（${holder}）。内置数据库同一时间只能由一个进程打开，` +
        '否则会丢失数据。请先停止正在运行的机器人再执行此命令，或设置 DATABASE_URL 改用 PostgreSQL。',
    );
    this.name = 'DirLockedError';
  }
}

type Holder = { pid: number; start?: string; owner: string; since: string; token?: string };

/** Directories this process holds: a lock naming our own pid is stale unless it is in here. */
const heldHere = new Set<string>();

/**
 * Exclusive lock on a data directory: a lock file naming its holder (pid and the process's start
 * time), created atomically with its content (hard link of a complete temporary file), so nobody
 * ever reads a half-written lock.
 *
 * The holder is stale when its process is gone, when its pid now belongs to another process (a
 * different start time), or when it names our own pid without this process holding the lock: a
 * container's bot is PID 1 (or the same small pid) again after a SIGKILL and restart.
 *
 * Taking over a stale lock is atomic too: the stale file is renamed away (only one of several
 * racing processes can move a given file) and the new lock linked in its place; a process that
 * moved a lock other than the stale one it inspected puts it back.
 */
export function acquireDirLock(dir: string, owner: string): DirLock {
  const key = realpathSync(dir);
  const path = join(dir, 'gaojian.lock');
  const token = `${process.pid}.${randomBytes(6).toString('hex')}`;
  const mine: Holder = { pid: process.pid, start: processStart(process.pid), owner, since: new Date().toISOString(), token };
  if (heldHere.has(key)) throw new DirLockedError(dir, `${owner}，本进程已打开`);
  const tmp = `${path}.${token}.tmp`;
  writeFileSync(tmp, JSON.stringify(mine));
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(tmp, path);
        heldHere.add(key);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          heldHere.delete(key);
          // Only our own lock: never remove one another process took after a stale takeover of ours.
          if (readHolder(path)?.holder?.token === token) rmSync(path, { force: true });
          process.off('exit', release);
        };
        process.on('exit', release);
        return { release };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const found = readHolder(path);
      if (!found) continue; // removed meanwhile: try again
      if (found.holder && isLive(found.holder)) {
        const h = found.holder;
        throw new DirLockedError(dir, `${h.owner}，进程号 ${h.pid}，自 ${h.since}`);
      }
      takeOver(path, found.ino, token);
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  throw new DirLockedError(dir, '多个进程同时争用，请稍后重试');
}

/** Moves the stale lock file (inode `ino`) out of the way, unless another process already did. */
function takeOver(path: string, ino: number, token: string) {
  const grave = `${path}.${token}.stale`;
  try {
    renameSync(path, grave);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another process moved it first
    throw err;
  }
  if (statSync(grave).ino !== ino) {
    // Between our look and our rename another process took the stale lock over: this is its fresh
    // lock, give it back.
    try {
      linkSync(grave, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  rmSync(grave, { force: true });
}

/** The lock file's holder (undefined holder: unreadable, hence stale) and inode; undefined if there is none. */
function readHolder(path: string): { holder: Holder | undefined; ino: number } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const ino = fstatSync(fd).ino;
    try {
      const h = JSON.parse(readFileSync(fd, 'utf8')) as Holder;
      return { holder: Number.isInteger(h.pid) ? h : undefined, ino };
    } catch {
      return { holder: undefined, ino };
    }
  } finally {
    closeSync(fd);
  }
}

function isLive(h: Holder): boolean {
  if (h.pid === process.pid) return false; // not held here (checked before): a previous life of this pid
  if (!isAlive(h.pid)) return false;
  // The pid is in use; by the holder only if it is the same process (pids are reused).
  const start = processStart(h.pid);
  return !(h.start && start && h.start !== start);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's start time (Linux: clock ticks since boot, from /proc); undefined elsewhere. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name, which is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
