import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { createDb, wrapPglite, type DbHandle } from '../../db/client.js';
import { buildPgliteTemplate, createPostgresDatabase, createPostgresTemplate, dropPostgresDatabase, withDatabase } from './db-template.js';
import postgres from 'postgres';
import { pgliteConnection, postgresConnection, resetDatabase, takeSnapshot, type Snapshot } from './db-reset.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** File holding the migrated PGlite data directory (tests/helpers/global-setup.ts). */
    pgliteTemplate?: string;
    /**
     * Migrated PostgreSQL database to copy test databases from (tests/helpers/global-setup.ts); the
     * copies' names start with it, so that the run's end drops whatever a worker left.
     */
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
 * rows: databases are reused by the worker's later tests, and close() ends the session state,
 * checks that the schema is still the migrated one, empties every table, puts back the rows the
 * migrations left and resets every sequence (tests/helpers/db-reset.ts) before keeping the database
 * for the next createTestDb(). One that cannot be reset so is thrown away instead.
 * - PGlite (default): in-memory instances, loaded from the migrated data directory the global setup
 *   dumped.
 * - PostgreSQL (DATABASE_URL set): databases copied from the migrated template database.
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
    snapshot ??= takeSnapshot(pgliteConnection(pg));
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
      if (instance.closed) throw new Error('closed by the test');
      await resetDatabase(pgliteConnection(instance), snap);
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
let pgSnapshot: Promise<Snapshot> | undefined;
/** Databases in the post-migration state, waiting for the worker's next test. */
const idleDatabases: string[] = [];

async function createPostgresTestDb(url: string): Promise<DbHandle> {
  pgTemplate ??= (async () => provided('postgresTemplate') ?? createPostgresTemplate(url))();
  const database = idleDatabases.pop() ?? (await newCopy(url, await pgTemplate));
  const snap = await pgSnapshot!;
  const handle = await createDb({ kind: 'postgres', url: withDatabase(url, database) }, { maxConnections: 5 });
  let closed = false;
  return {
    ...handle,
    close: async () => {
      if (closed) return;
      closed = true;
      // Ends the test's sessions (and with them its locks and session settings) before the reset.
      await handle.close();
      try {
        await onDatabase(url, database, (c) => resetDatabase(c, snap));
        idleDatabases.push(database);
      } catch (err) {
        console.warn(`test database not reused: ${err instanceof Error ? err.message : String(err)}`);
        await dropPostgresDatabase(url, database);
      }
    },
  };
}

/** A new copy of the migrated template; the worker's first one is read for the snapshot while pristine. */
async function newCopy(url: string, template: string): Promise<string> {
  const name = `${template}_t${randomBytes(4).toString('hex')}`;
  await createPostgresDatabase(url, name, template);
  pgSnapshot ??= onDatabase(url, name, (c) => takeSnapshot(c));
  return name;
}

async function onDatabase<T>(url: string, database: string, f: (c: ReturnType<typeof postgresConnection>) => Promise<T>): Promise<T> {
  const sql = postgres(withDatabase(url, database), { max: 1, onnotice: () => {} });
  try {
    return await f(postgresConnection(sql));
  } finally {
    await sql.end();
  }
}
