import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb, rowsOf } from '../../db/client.js';
import { MIGRATIONS_DIR, runMigrations } from '../../db/migrate.js';
import { createPostgresDatabase, dropPostgresDatabase, withDatabase } from '../helpers/db-template.js';

const url = process.env.DATABASE_URL;

/** An upgrade starting two processes at once: they take turns under the advisory lock. */
describe('fault: two processes migrate one PostgreSQL database at once', () => {
  it.runIf(Boolean(url))('both succeed, every migration applied exactly once', async () => {
    const name = `gj_mig_${randomBytes(5).toString('hex')}`;
    await createPostgresDatabase(url!, name);
    const a = await createDb({ kind: 'postgres', url: withDatabase(url!, name) }, { maxConnections: 1 });
    const b = await createDb({ kind: 'postgres', url: withDatabase(url!, name) }, { maxConnections: 1 });
    try {
      const results = await Promise.allSettled([runMigrations(a), runMigrations(b)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const applied = rowsOf<{ n: number; distinct_hashes: number }>(
        await a.db.execute(sql`select count(*)::int as n, count(distinct hash)::int as distinct_hashes from drizzle.__drizzle_migrations`),
      )[0]!;
      const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
      console.log(`concurrent migrations: ${files} migrations, ${applied.n} rows recorded`);
      expect(applied).toEqual({ n: files, distinct_hashes: files });
    } finally {
      await a.close();
      await b.close();
      await dropPostgresDatabase(url!, name);
    }
  });
});
