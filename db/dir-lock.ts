import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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

/**
 * Exclusive lock on a data directory: a lock file created with O_EXCL holding the owner's pid.
 * A lock left by a process that no longer exists (a crash, kill -9) is taken over.
 */
export function acquireDirLock(dir: string, owner: string): DirLock {
  const path = join(dir, 'gaojian.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, owner, since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (holder && isAlive(holder.pid)) {
        throw new DirLockedError(dir, `${holder.owner}，进程号 ${holder.pid}，自 ${holder.since}`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new DirLockedError(dir, '未知进程');
}

function readHolder(path: string): { pid: number; owner: string; since: string } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
