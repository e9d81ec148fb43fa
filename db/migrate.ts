import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { DbHandle } from './client.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Applies the committed drizzle-kit migrations with the migrator matching the driver. */
export async function runMigrations(handle: DbHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    await migratePostgres(handle.db as unknown as PostgresJsDatabase, { migrationsFolder: MIGRATIONS_DIR });
  }
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
