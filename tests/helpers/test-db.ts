import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { createDb, wrapPglite, type DbHandle } from '../../db/client.js';
import { buildPgliteTemplate, createPostgresDatabase, createPostgresTemplate, dropPostgresDatabase, withDatabase } from './db-template.js';
import { resetPglite, takeSnapshot, type Snapshot } from './pglite-reset.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** File holding the migrated PGlite data directory (tests/helpers/global-setup.ts). */
    pgliteTemplate?: string;
    /** Migrated PostgreSQL database to copy test databases from (tests/helpers/global-setup.ts). */
    postgresTemplate?: string;
  }
}

/**
 * True in the suite's run on PostgreSQL (DATABASE_URL set). Tests of what always runs on an embedded
 * database of its own, whatever DATABASE_URL says (commands and the local bot as child processes
 * given PGLITE_DIR, the directory lock), would repeat the embedded run (`npm test`) exactly in that
 * run, so they skip it: `describe.skipIf(postgresRun)`.
 */
export const postgresRun = Boolean(process.env.DATABASE_URL);

/**
 * A fresh, migrated database for one test; close() gives it up. Either way no test sees another's
 * rows:
 * - PGlite (default): an in-memory instance in the post-migration state. Instances are loaded from
 *   the migrated data directory the global setup dumped, and reused by the worker's later tests: close()
 *   ends the session state (`discard all`), checks that the schema is still the migrated one, empties
 *   every table, puts back the rows the migrations left and resets every sequence, then keeps the
 *   instance for the next createTestDb(). An instance that cannot be reset so is closed instead.
 * - PostgreSQL (DATABASE_URL set): a new database copied from the migrated template database,
 *   dropped on close(). Copying is cheaper there than emptying the tables.
 */
export async function createTestDb(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  return url ? createPostgresTestDb(url) : createPgliteTestDb();
}

function provided<K extends 'pgliteTemplate' | 'postgresTemplate'>(key: K): string | undefined {
  try {
    return inject(key);
  } catch {
    return undefined; // outside a vitest worker
  }
}

// ---------------------------------------------------------------------------------------------
// PGlite

let pgliteTemplate: Promise<Blob> | undefined;
let snapshot: Promise<Snapshot> | undefined;
/** Instances in the post-migration state, waiting for the worker's next test. */
const idle: PGlite[] = [];

function migratedTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const file = provided('pgliteTemplate');
    return file ? new Blob([await readFile(file)]) : buildPgliteTemplate();
  })();
  return pgliteTemplate;
}

/**
 * Makes `dir` an embedded data directory that is already migrated, as a command finds it after its
 * first run. Tests of the commands start from it unless the first run itself is under test: initdb
 * and the migrations cost seconds per directory.
 */
export async function migratedPgliteDir(dir: string): Promise<void> {
  const pg = new PGlite(dir, { loadDataDir: await migratedTemplate() });
  await pg.waitReady;
  await pg.close();
}

async function createPgliteTestDb(): Promise<DbHandle> {
  let pg = idle.pop();
  if (!pg) {
    pg = new PGlite({ loadDataDir: await migratedTemplate() });
    await pg.waitReady;
    // The first instance loaded is still pristine: read what a reset has to restore from it.
    snapshot ??= takeSnapshot(pg);
  }
  const snap = await snapshot!;
  const instance = pg;
  let closed = false;
  // After close() the instance belongs to the pool (and soon to another test): any further use of
  // this handle, such as a worker loop left running, fails instead of reaching the next test's rows.
  const guarded = new Proxy(instance, {
    get(target, prop) {
      if (closed) throw new Error('test database used after close()');
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return wrapPglite(guarded, async () => {
    if (closed) return;
    closed = true;
    try {
      await resetPglite(instance, snap);
      idle.push(instance);
    } catch (err) {
      console.warn(`test database not reused: ${err instanceof Error ? err.message : String(err)}`);
      await instance.close().catch(() => {});
    }
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

let pgTemplate: Promise<string> | undefined;

async function createPostgresTestDb(url: string): Promise<DbHandle> {
  pgTemplate ??= (async () => provided('postgresTemplate') ?? createPostgresTemplate(url))();
  const template = await pgTemplate;
  const name = `gj_t_${randomBytes(6).toString('hex')}`;
  await createPostgresDatabase(url, name, template);
  const handle = await createDb({ kind: 'postgres', url: withDatabase(url, name) }, { maxConnections: 5 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await dropPostgresDatabase(url, name);
    },
  };
}
