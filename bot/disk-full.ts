import { EmbeddedDatabaseStoppedError, freeBytes, isDiskFull, PGLITE_MIN_FREE_BYTES, type DbHandle } from '../db/client.js';
import type { Logger } from './logger.js';

export type DiskFullWatchOptions = {
  db: Pick<DbHandle, 'kind' | 'dir'>;
  log: Logger;
  /** Free bytes on the embedded database's disk (default: statfs of its directory). */
  freeBytes?: (dir: string) => number;
  now?: () => number;
};

/**
 * What the bot does about a full disk under its database. Every part that meets a database error
 * (the webhook, the workers) reports it here; the first "no space left" of an episode is logged
 * once, in Chinese, with what to do, and the rest quietly. While the embedded database's disk has
 * less than PGLITE_MIN_FREE_BYTES free the bot takes no events (webhooks get 503, so Lark delivers
 * them again later) and /healthz is unhealthy: a write squeezed into the last bytes could be the
 * one that stops the database. When space is freed it goes on by itself, unless the database had to
 * stop: that one needs a restart.
 *
 * On PostgreSQL the bot cannot see the server's disk: writes that fail are answered 503 like any
 * other unavailability, and the line is repeated at most every 10 minutes.
 */
export class DiskFullWatch {
  private since: number | undefined;
  private stopped = false;
  private checkedAt = 0;
  private readonly free: (dir: string) => number;
  private readonly now: () => number;

  constructor(private readonly o: DiskFullWatchOptions) {
    this.free = o.freeBytes ?? freeBytes;
    this.now = o.now ?? Date.now;
  }

  /** Reports a database error; true when it means a full disk (then logged here, once per episode). */
  saw(err: unknown): boolean {
    if (!isDiskFull(err)) return false;
    const stoppedNow = !this.stopped && hasStopped(err);
    if (this.since !== undefined && this.o.db.kind === 'postgres' && this.now() - this.since > 10 * 60_000) this.since = undefined;
    const first = this.since === undefined;
    if (first) this.since = this.now();
    this.stopped ||= stoppedNow;
    if (first || stoppedNow) this.o.log.error({ reason: rootCause(err), freeBytes: this.freeNow() }, this.message(stoppedNow));
    return true;
  }

  /** True while the bot should take no events: the disk was found full and has not been freed. */
  isFull(): boolean {
    if (this.since === undefined) return false;
    if (this.stopped || !this.o.db.dir) return this.stopped;
    // statfs is cheap, but a burst of refused deliveries need not each pay for it.
    if (this.now() - this.checkedAt < 1000) return true;
    this.checkedAt = this.now();
    const free = this.freeNow();
    if (free === undefined || free < PGLITE_MIN_FREE_BYTES) return true;
    this.o.log.info({ freeBytes: free, fullForMs: this.now() - this.since }, '磁盘空间已恢复：机器人继续接收消息，期间未确认的消息飞书会重新推送');
    this.since = undefined;
    return false;
  }

  private freeNow(): number | undefined {
    if (!this.o.db.dir) return undefined;
    try {
      return this.free(this.o.db.dir);
    } catch {
      return undefined;
    }
  }

  private message(stopped: boolean): string {
    const kept = '已确认收到的消息都已保存，不会丢失；未确认的消息飞书会稍后重新推送';
    if (this.o.db.kind === 'postgres') {
      return `磁盘空间不足：PostgreSQL 数据库无法写入，机器人暂不接收新消息（回复 503）。${kept}。请清理数据库服务器的磁盘空间，空间恢复后机器人自动继续。`;
    }
    const where = `内置数据库目录 ${this.o.db.dir ?? ''} 所在磁盘`;
    if (stopped) {
      return `磁盘空间不足：内置数据库无法写入日志，已停止运行，机器人不再接收消息（回复 503）。${kept}。请清理${where}的空间（至少留出 ${PGLITE_MIN_FREE_BYTES / 1024 / 1024} MB），然后重启机器人，启动时数据库会自动恢复。`;
    }
    return `磁盘空间不足：内置数据库无法写入，机器人暂停接收消息（回复 503）。${kept}。请清理${where}的空间（至少留出 ${PGLITE_MIN_FREE_BYTES / 1024 / 1024} MB），空间恢复后机器人自动继续，无需重启。`;
  }
}

/** The embedded database is gone: refused by GuardedPGlite, or the PANIC itself (which stopped it). */
function hasStopped(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof EmbeddedDatabaseStoppedError || (e as { severity?: unknown }).severity === 'PANIC') return true;
  }
  return false;
}

/** The innermost message (the database's own words), without the query text drizzle wraps it in. */
function rootCause(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; (e as { cause?: unknown })?.cause && depth < 5; depth++) e = (e as { cause?: unknown }).cause;
  return String((e as { message?: unknown })?.message ?? e).slice(0, 300);
}
