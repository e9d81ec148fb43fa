import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { createDb, wrapPglite, type DbHandle } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';

/**
 * A fresh, migrated database for one test. PGlite by default (an in-memory clone of a migrated
 * template); with DATABASE_URL set, a new PostgreSQL database copied from a migrated template
 * database, dropped afterwards. Either way no test sees another's rows.
 */
export async function createTestDb(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  return url ? createPostgresTestDb(url) : createPgliteTestDb();
}

let pgliteTemplate: Promise<PGlite> | undefined;

async function createPgliteTestDb(): Promise<DbHandle> {
  pgliteTemplate ??= (async () => {
    const pg = new PGlite();
    await runMigrations(wrapPglite(pg));
    return pg;
  })();
  const clone = (await (await pgliteTemplate).clone()) as PGlite;
  return wrapPglite(clone);
}

let pgTemplate: Promise<string> | undefined;

async function createPostgresTestDb(url: string): Promise<DbHandle> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    pgTemplate ??= (async () => {
      const name = `gj_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
      await admin.unsafe(`create database ${name}`);
      const tpl = await createDb({ kind: 'postgres', url: withDatabase(url, name) }, { maxConnections: 1 });
      await runMigrations(tpl);
      await tpl.close();
      return name;
    })();
    const template = await pgTemplate;
    const name = `gj_t_${randomBytes(6).toString('hex')}`;
    await admin.unsafe(`create database ${name} template ${template}`);
    const handle = await createDb({ kind: 'postgres', url: withDatabase(url, name) }, { maxConnections: 5 });
    return {
      ...handle,
      close: async () => {
        await handle.close();
        const cleanup = postgres(url, { max: 1, onnotice: () => {} });
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
        await cleanup.end();
      },
    };
  } finally {
    await admin.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
