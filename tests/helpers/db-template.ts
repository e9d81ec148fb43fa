import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { createDb, wrapPglite } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';

/**
 * The migrated databases every test database starts from. Built once per vitest run by
 * tests/helpers/global-setup.ts (or once per test file when a test runs without it); kept free of
 * vitest imports so the global setup can load it in vitest's main process.
 */

/** A freshly migrated PGlite data directory as a tar: loading it skips initdb and the migrations. */
export async function buildPgliteTemplate(): Promise<Blob> {
  const pg = new PGlite();
  try {
    await runMigrations(wrapPglite(pg));
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}

/** A new PostgreSQL database with the migrations applied, to copy test databases from. */
export async function createPostgresTemplate(url: string): Promise<string> {
  const name = `gj_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  await createPostgresDatabase(url, name);
  const tpl = await createDb({ kind: 'postgres', url: withDatabase(url, name) }, { maxConnections: 1 });
  try {
    await runMigrations(tpl);
  } finally {
    await tpl.close();
  }
  return name;
}

/** A new database, empty or copied from `template`. */
export function createPostgresDatabase(url: string, name: string, template?: string): Promise<void> {
  return asAdmin(url, `create database ${name}${template ? ` template ${template}` : ''}`);
}

export function dropPostgresDatabase(url: string, name: string): Promise<void> {
  return asAdmin(url, `drop database if exists ${name} with (force)`);
}

/** The databases whose names start with `prefix`. */
export async function postgresDatabasesNamed(url: string, prefix: string): Promise<string[]> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${prefix})`;
    return rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
}

/** CREATE/DROP DATABASE cannot run in a transaction or on the database itself: a connection of its own. */
async function asAdmin(url: string, statement: string): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
