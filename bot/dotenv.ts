import { existsSync } from 'node:fs';
import { parse } from 'dotenv';
import { readFileSync } from 'node:fs';

/**
 * Merges ./.env under the real environment (real variables win), without mutating process.env,
 * so loadConfig stays the only reader of configuration.
 */
export function loadDotEnv(env: NodeJS.ProcessEnv, path = '.env'): Record<string, string | undefined> {
  if (!existsSync(path)) return { ...env };
  return { ...parse(readFileSync(path)), ...env };
}
