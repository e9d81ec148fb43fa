import { mkdirSync, statfsSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { DatabaseConfig } from '../bot/config.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';

/**
 * One drizzle type over either driver: queries never know which database they run on. Without the
 * relational query API (`db.query.…`): given the schema, drizzle builds a query builder for every
 * table on each transaction and savepoint it opens, for an API the bot does not use.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
type NoRelations = Record<string, never>;
export type Tx = PgTransaction<PgQueryResultHKT, NoRelations, ExtractTablesWithRelations<NoRelations>>;
export type DbOrTx = Db | Tx;

export type DbHandle = {
  db: Db;
  kind: DatabaseConfig['kind'];
  /** Closes the pool; PostgreSQL queries still running get `timeoutSeconds` (default 5) before their connections are cut. */
  close: (o?: { timeoutSeconds?: number }) => Promise<void>;
  /** The connection URL (PostgreSQL only): for work that needs a session of its own (migrations). */
  url?: string;
  /** The embedded database's data directory (not for PostgreSQL or memory://): whose disk to watch. */
  dir?: string;
  /**
   * PostgreSQL only: queries go through new connections from now on (at most one renewal per 2 s;
   * a call within that gap renews at its end); the old ones finish what they run (5 s at most)
   * and close. For a pool one of whose connections may be broken: postgres.js 3.4 keeps a
   * connection's unsent bytes and write timer across a lost socket, so after a reconnect its short
   * queries are not sent until 1 KB has piled up, and the queries given it hang.
   */
  renewConnections?: () => void;
};

/**
 * Server-side limits on every PostgreSQL session: a server that stops answering must not hang
 * requests, /healthz or shutdown (a dropped connection is noticed by the timeouts, not by waiting).
 */
export type PgTimeouts = {
  /** Seconds to establish a connection (postgres.js `connect_timeout`). */
  connectSeconds: number;
  /** Longest statement, ms (0 = none: bulk loads in the benchmarks). */
  statementMs: number;
  /** A transaction left idle this long is ended by the server, releasing its locks. */
  idleInTransactionMs: number;
};

export const DEFAULT_PG_TIMEOUTS: PgTimeouts = { connectSeconds: 5, statementMs: 60_000, idleInTransactionMs: 60_000 };

/**
 * How long a healthy database call can take at most: connecting plus the longest statement, with a
 * margin. Past this the call will not answer any more: after a lost connection postgres.js can
 * leave a query unsettled for ever (porsager/postgres#1208), and the server's timeouts cannot reach
 * a query whose connection is gone. Workers give up on such a call instead of waiting with it.
 */
export function databaseDeadlineMs(t: PgTimeouts = DEFAULT_PG_TIMEOUTS): number {
  // statementMs 0 means no statement limit; the deadline still needs one, so the default stands in.
  return (t.statementMs || DEFAULT_PG_TIMEOUTS.statementMs) + t.connectSeconds * 1000 + 15_000;
}

/** A database call (or work made of them) passed its deadline: treated like a lost connection. */
export class DatabaseDeadlineError extends Error {
  readonly code = 'DATABASE_DEADLINE';
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${Math.round(ms / 1000)} s; given up (the database connection was probably lost)`);
    this.name = 'DatabaseDeadlineError';
  }
}

const deadlineListeners = new Set<() => void>();

/** Calls `listener` whenever a database call passes its deadline; returns the unsubscribe. */
export function onDatabaseDeadline(listener: () => void): () => void {
  deadlineListeners.add(listener);
  return () => deadlineListeners.delete(listener);
}

/**
 * Rejects with DatabaseDeadlineError if `work` has not settled within `ms`. The work itself is not
 * stopped (a query cannot be), only no longer waited for: it may still settle later, or never.
 */
export function withDatabaseDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new DatabaseDeadlineError(what, ms));
      for (const listener of deadlineListeners) listener();
    }, ms);
    timer.unref();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * True for errors that mean "the database cannot be reached right now" (refused, reset, timed out,
 * shutting down) rather than a bad query: the caller answers 503 and tries again later.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'DATABASE_DEADLINE', 'DATABASE_STOPPED'].includes(code)) return true;
    // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
    if (/^08/.test(code) || /^57P0[123]$/.test(code)) return true;
  }
  // Writes cannot succeed until someone frees space: like a database that is away, not the event's fault.
  return isDiskFull(err);
}

/** The embedded database stopped itself (a PANIC) and will not answer again in this process. */
export class EmbeddedDatabaseStoppedError extends Error {
  readonly code = 'DATABASE_STOPPED';
  constructor(cause: unknown) {
    super(`the embedded database stopped after a fatal error and needs a restart of the process (${(cause as Error)?.message ?? String(cause)})`, { cause });
    this.name = 'EmbeddedDatabaseStoppedError';
  }
}

/**
 * True for "no space left on device": SQLSTATE 53100 (disk_full, what PostgreSQL and PGlite report
 * when a table or the write-ahead log cannot grow), or the system's ENOSPC.
 */
export function isDiskFull(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === '53100' || code === 'ENOSPC') return true;
    if (/No space left on device/i.test(String((e as { message?: unknown }).message ?? ''))) return true;
  }
  return false;
}

/**
 * Free space the embedded database needs to be sure its next write can go through: the
 * write-ahead log grows by whole 16 MB segments, and a segment that cannot be created stops the
 * database (PANIC) rather than failing one statement. Below this, it does not start and the bot
 * takes no events.
 */
export const PGLITE_MIN_FREE_BYTES = 64 * 1024 * 1024;

/** Bytes an unprivileged process may still write on the filesystem holding `dir`. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** The embedded database cannot start: its disk is (nearly) full. The message says what to do. */
export class DiskFullError extends Error {
  constructor(dir: string, free: number) {
    super(
      `磁盘空间不足：内置数据库目录 ${dir} 所在磁盘只剩 ${(free / 1024 / 1024).toFixed(1)} MB 可用，` +
        `至少需要 ${PGLITE_MIN_FREE_BYTES / 1024 / 1024} MB 才能安全启动。请清理该磁盘的空间后再启动机器人（已保存的数据不受影响）。`,
    );
    this.name = 'DiskFullError';
  }
}

/**
 * postgres.js (3.4.x) can throw from a timer after a connection was lost: a write queued while the
 * socket was being replaced runs `socket.write` on a null socket (porsager/postgres#1154, #1208).
 * The queries of that connection have already failed with CONNECTION_CLOSED and are retried by
 * their callers, so the process must not die of it: the entry point recognises exactly this error,
 * renews the pool (the connection it came from no longer sends short queries) and carries on.
 */
export function isDriverClosedSocketCrash(err: unknown): boolean {
  return (
    err instanceof TypeError &&
    err.message === "Cannot read properties of null (reading 'write')" &&
    /[\\/]postgres[\\/]src[\\/]connection\.js/.test(err.stack ?? '')
  );
}

export type CreateDbOptions = {
  /** Who opens the embedded database, named in the error another process gets. */
  owner?: string;
  /** postgres.js pool size; the bot wants a few, CLIs one. */
  maxConnections?: number;
  /** PostgreSQL session limits (default DEFAULT_PG_TIMEOUTS). */
  timeouts?: Partial<PgTimeouts>;
};

export async function createDb(config: DatabaseConfig, opts: CreateDbOptions = {}): Promise<DbHandle> {
  if (config.kind === 'postgres') {
    const t = { ...DEFAULT_PG_TIMEOUTS, ...opts.timeouts };
    const open = () =>
      postgres(config.url, {
        max: opts.maxConnections ?? 10,
        onnotice: () => {},
        connect_timeout: t.connectSeconds,
        connection: {
          statement_timeout: t.statementMs,
          idle_in_transaction_session_timeout: t.idleInTransactionMs,
        },
        // Timestamps stay Date objects; bigint counts come back as strings and are converted where read.
      });
    let client = open();
    const retired: Promise<void>[] = [];
    const renewal: { timer?: NodeJS.Timeout; last: number; closed: boolean } = { last: 0, closed: false };
    const db = drizzlePostgres(namedStatements(() => client)) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      url: config.url,
      renewConnections() {
        // Asked again within the gap (several queries of one broken pool time out together, or the
        // driver throws once per connection): one renewal at the end of the gap covers them all.
        if (renewal.timer || renewal.closed) return;
        const wait = Math.max(0, renewal.last + RENEW_GAP_MS - Date.now());
        renewal.timer = setTimeout(() => {
          renewal.timer = undefined;
          renewal.last = Date.now();
          const old = client;
          client = open();
          // drizzle set its type parsers on the first pool's options when it was created.
          Object.assign(client.options.parsers, old.options.parsers);
          Object.assign(client.options.serializers, old.options.serializers);
          retired.push(old.end({ timeout: 5 }).catch(() => {}));
        }, wait);
      },
      close: async (c) => {
        renewal.closed = true;
        clearTimeout(renewal.timer);
        await client.end({ timeout: c?.timeoutSeconds ?? 5 });
        await Promise.all(retired);
      },
    };
  }
  return openPglite(config.dir, opts.owner ?? 'gaojian');
}

/** Least time between two renewals of a PostgreSQL pool's connections. */
const RENEW_GAP_MS = 2000;

/**
 * drizzle sends every query as an unnamed statement. For those, postgres.js first sends the
 * statement alone to learn its parameter types and waits for the answer, then executes it: two
 * round trips, and PostgreSQL parses and plans the text each time. Named statements are described
 * once per connection and then executed in one round trip, from PostgreSQL's cached plan. The
 * cache lives and dies with its connection (postgres.js recycles connections after 30–60 min and
 * re-prepares after a reconnect or a schema change), and the bot's queries are a fixed set of texts,
 * so it stays small: the multi-row writes of a burst (a row per message) go through insertRows, whose
 * text does not depend on the number of rows. This wraps the client drizzle is given, and the
 * client of every transaction and savepoint opened through it.
 */
function namedStatements(current: () => postgres.Sql): postgres.Sql {
  type Callback = (inner: postgres.Sql) => unknown;
  const wrapScope = (open: (...args: unknown[]) => unknown) => (...args: unknown[]) => {
    const fn = args.pop() as Callback;
    return open(...args, (inner: postgres.Sql) => fn(namedStatements(() => inner)));
  };
  // The pool behind it can be replaced (renewConnections): every use asks for the current one.
  return new Proxy(current(), {
    apply(_target, thisArg, args) {
      return Reflect.apply(current() as unknown as (...a: unknown[]) => unknown, thisArg, args);
    },
    get(_target, prop) {
      const target = current();
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'unsafe') {
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (prop === 'begin' || prop === 'savepoint') return wrapScope((value as (...a: unknown[]) => unknown).bind(target));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

/**
 * PGlite is single-process: two processes on one data directory silently lose writes. The directory
 * lock turns that into a clear error for whoever comes second.
 */
async function openPglite(dir: string, owner: string): Promise<DbHandle> {
  let lock: DirLock | undefined;
  if (dir !== 'memory://') {
    mkdirSync(dir, { recursive: true });
    // On a full disk PGlite aborts its whole process while starting (an uncaught "Aborted()"):
    // refuse first, saying why.
    const free = freeBytes(dir);
    if (free < PGLITE_MIN_FREE_BYTES) throw new DiskFullError(dir, free);
    lock = acquireDirLock(dir, owner);
  }
  try {
    const client = new GuardedPGlite(dir);
    await client.waitReady;
    const handle = wrapPglite(client, async () => {
      await client.close();
      lock?.release();
    });
    return dir === 'memory://' ? handle : { ...handle, dir };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/**
 * PGlite that refuses every call once its backend has PANICked (e.g. the write-ahead log could not
 * grow on a full disk). Measured with PGlite 0.5: the statement that PANICs is rejected, and the
 * next call into the instance blocks the whole Node process (no timer, no request, no log runs
 * again). Refusing keeps the process alive to answer 503 and say why; the data directory itself is
 * intact and recovers from its write-ahead log on the next start.
 */
export class GuardedPGlite extends PGlite {
  private stoppedBy: unknown;

  /** The PANIC that stopped this instance, if one did. */
  get stopped(): unknown {
    return this.stoppedBy;
  }

  override async execProtocolStream(...args: Parameters<PGlite['execProtocolStream']>) {
    return this.guard(() => super.execProtocolStream(...args));
  }

  override async execProtocol(...args: Parameters<PGlite['execProtocol']>) {
    return this.guard(() => super.execProtocol(...args));
  }

  override async close() {
    // Closing talks to the backend too, which would block for ever; the process exits soon anyway.
    if (this.stoppedBy) return;
    await super.close();
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.stoppedBy) throw new EmbeddedDatabaseStoppedError(this.stoppedBy);
    try {
      return await call();
    } catch (err) {
      if ((err as { severity?: unknown }).severity === 'PANIC') this.stoppedBy = err;
      throw err;
    }
  }
}

export function wrapPglite(client: PGlite, close?: () => Promise<void>): DbHandle {
  const db = drizzlePglite(client) as unknown as Db;
  return { db, kind: 'pglite', close: close ?? (() => client.close()) };
}

/** postgres.js returns the rows array itself, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
