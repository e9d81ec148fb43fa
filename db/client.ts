import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { DatabaseConfig } from '../bot/config.js';
import * as schema from './schema/index.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';

export type Schema = typeof schema;
/** One drizzle type over either driver: queries never know which database they run on. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

export type DbHandle = {
  db: Db;
  kind: DatabaseConfig['kind'];
  close: () => Promise<void>;
};

export type CreateDbOptions = {
  /** Who opens the embedded database, named in the error another process gets. */
  owner?: string;
  /** postgres.js pool size; the bot wants a few, CLIs one. */
  maxConnections?: number;
};

export async function createDb(config: DatabaseConfig, opts: CreateDbOptions = {}): Promise<DbHandle> {
  if (config.kind === 'postgres') {
    const client = postgres(config.url, {
      max: opts.maxConnections ?? 10,
      onnotice: () => {},
      // Timestamps stay Date objects; bigint counts come back as strings and are converted where read.
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  return openPglite(config.dir, opts.owner ?? 'gaojian');
}

/**
 * PGlite is single-process: two processes on one data directory silently lose writes. The directory
 * lock turns that into a clear error for whoever comes second.
 */
async function openPglite(dir: string, owner: string): Promise<DbHandle> {
  let lock: DirLock | undefined;
  if (dir !== 'memory://') {
    mkdirSync(dir, { recursive: true });
    lock = acquireDirLock(dir, owner);
  }
  try {
    const client = new PGlite(dir);
    await client.waitReady;
    return wrapPglite(client, async () => {
      await client.close();
      lock?.release();
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
}

export function wrapPglite(client: PGlite, close?: () => Promise<void>): DbHandle {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', close: close ?? (() => client.close()) };
}
