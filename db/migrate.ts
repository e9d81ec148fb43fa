import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { rowsOf, type DbHandle } from './client.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Any fixed number: every gaojian process on one PostgreSQL database migrates under this lock. */
const MIGRATION_LOCK_KEY = 7_316_802_119;

export class NewerSchemaError extends Error {
  constructor(dbMillis: number, ownMillis: number) {
    super(
      `数据库的结构比本程序新：数据库已应用 ${new Date(dbMillis).toISOString()} 的迁移，本程序只包含到 ` +
        `${new Date(ownMillis).toISOString()} 的迁移。机器人未启动，以免旧程序写坏新结构的数据。` +
        '请升级到与数据库一致（或更新）的版本，或改连与本版本匹配的数据库（例如从备份恢复）。',
    );
    this.name = 'NewerSchemaError';
  }
}

/** A stop asked for while migrating: what ran was rolled back, the next start migrates again. */
export class MigrationAbortedError extends Error {
  constructor() {
    super('migration aborted by a stop signal; its transaction was rolled back');
    this.name = 'MigrationAbortedError';
  }
}

/** The newest migration this build carries (drizzle-kit's journal, `when` in ms). */
function newestOwnMigration(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}

/** The newest migration applied to the database, or 0 for a database never migrated. */
async function newestApplied(db: DbHandle['db']): Promise<number> {
  const exists = rowsOf<{ t: string | null }>(await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`));
  if (!exists[0]?.t) return 0;
  const rows = rowsOf<{ m: string | number | null }>(await db.execute(sql`select max(created_at) as m from drizzle.__drizzle_migrations`));
  return Number(rows[0]?.m ?? 0);
}

/**
 * Applies the committed drizzle-kit migrations with the migrator matching the driver. On PostgreSQL
 * several processes may start at once (an upgrade with two replicas): they take turns under a
 * session advisory lock, and the second finds nothing left to do. A database migrated by a newer
 * version of the bot is refused instead of being written by code that does not know its schema.
 */
export async function runMigrations(handle: DbHandle, opts: { signal?: AbortSignal } = {}): Promise<void> {
  if (opts.signal?.aborted) throw new MigrationAbortedError();
  if (handle.kind === 'pglite') {
    // The embedded database cannot be interrupted safely mid-write: a stop waits for the end.
    await refuseNewer(handle.db);
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  if (!handle.url) throw new Error('runMigrations: PostgreSQL handle without its URL');
  // A session-level lock is taken and released on one connection: a client of its own with a single
  // connection holds the lock and runs the migrations, without the bot's statement timeout (a
  // migration may take longer on a big database).
  const session = postgres(handle.url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  // drizzle applies the pending migrations in one transaction: cutting the session makes the server
  // roll it back whole, so a stop (SIGTERM while waiting for the lock or a long migration) leaves the
  // schema as it was and the next start applies everything again. The stop does not wait for the
  // driver to settle the cut transaction: postgres.js queues the ROLLBACK that follows the failed
  // statement on the connection it has just destroyed, and that promise never settles.
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(new MigrationAbortedError());
      void session.end({ timeout: 0 });
    };
  });
  aborted.catch(() => {}); // settled only by a stop; observed by the race below
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const migrateUnderLock = async () => {
    await session`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    const db = drizzlePostgres(session);
    await refuseNewer(db as unknown as DbHandle['db']);
    await migratePostgres(db, { migrationsFolder: MIGRATIONS_DIR });
    await session`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  };
  try {
    await Promise.race([migrateUnderLock(), aborted]);
  } catch (err) {
    if (opts.signal?.aborted) throw new MigrationAbortedError();
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await session.end({ timeout: 5 }); // ending the session releases the lock in any case
  }
}

async function refuseNewer(db: DbHandle['db']) {
  const applied = await newestApplied(db);
  const own = newestOwnMigration();
  if (applied > own) throw new NewerSchemaError(applied, own);
}

async function main() {
  const { loadConfig } = await import('../bot/config.js');
  const { createDb } = await import('./client.js');
  const { loadDotEnv } = await import('../bot/dotenv.js');
  const config = loadConfig(loadDotEnv(process.env));
  const handle = await createDb(config.database, { owner: 'npm run db:migrate', maxConnections: 1 });
  try {
    await runMigrations(handle);
    console.log(`数据库迁移完成（${handle.kind === 'pglite' ? '内置数据库 ' + (config.database as { dir: string }).dir : 'PostgreSQL'}）`);
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
