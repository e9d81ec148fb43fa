import { loadConfig, type Config } from '../bot/config.js';
import { loadDotEnv } from '../bot/dotenv.js';
import { createDb, type DbHandle } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';

/**
 * What every CLI does first: read the configuration, open the database (taking the embedded
 * database's lock, so the CLI refuses to run beside a running bot) and bring the schema up to date.
 */
export async function openForCli(owner: string): Promise<{ config: Config; handle: DbHandle }> {
  const config = loadConfig(loadDotEnv(process.env));
  const handle = await createDb(config.database, { owner, maxConnections: 2 });
  await runMigrations(handle);
  return { config, handle };
}

/** Prints a failure the way a user can act on it and sets the exit code. */
export function fail(err: unknown): never {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
