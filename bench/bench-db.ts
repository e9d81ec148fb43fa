import postgres from 'postgres';
import { createDb, type DbHandle } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';

/** The benchmark database: its own database on the local server, never the bot's or the tests'. */
export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/gj_bench';

/** Creates the database if it is missing (or anew with `fresh`) and brings the schema up to date. */
export async function openBenchDb(url: string, o: { fresh?: boolean } = {}): Promise<DbHandle> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bench database name must be a plain identifier: ${name}`);
  u.pathname = '/postgres';
  const admin = postgres(u.toString(), { max: 1, onnotice: () => {} });
  try {
    if (o.fresh) await admin.unsafe(`drop database if exists ${name} with (force)`);
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const handle = await createDb({ kind: 'postgres', url }, { maxConnections: 4, timeouts: { statementMs: 0 } });
  await runMigrations(handle);
  return handle;
}

export function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
