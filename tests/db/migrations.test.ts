import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { DirLockedError } from '../../db/dir-lock.js';
import { MIGRATIONS_DIR, runMigrations } from '../../db/migrate.js';
import { ensureBuilt } from '../../scripts/build.mjs';
import { runNpm } from '../local/helpers/bot-process.js';
import { createTestDb, postgresRun } from '../helpers/test-db.js';

const tables = ['org_settings', 'units', 'people', 'role_assignments', 'drafts', 'draft_revisions', 'audit_log', 'inbox_events', 'outbox', 'job_runs'];

async function tableNames(handle: Awaited<ReturnType<typeof createDb>>): Promise<string[]> {
  const res = await handle.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public'`);
  const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as { table_name: string }[];
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  // An embedded database of its own, whatever DATABASE_URL says (postgresRun).
  it.skipIf(postgresRun)('npm run db:migrate applies every committed migration to an empty embedded database, twice without harm', async () => {
    await ensureBuilt();
    const dir = join(mkdtempSync(join(tmpdir(), 'gj-mig-')), 'db');
    const first = await runNpm(['run', '--silent', 'db:migrate'], { PGLITE_DIR: dir }, 120_000);
    expect(first.stdout).toContain('数据库迁移完成');
    expect(first.code).toBe(0);
    expect((await runNpm(['run', '--silent', 'db:migrate'], { PGLITE_DIR: dir }, 120_000)).code).toBe(0);
    const handle = await createDb({ kind: 'pglite', dir });
    try {
      expect(await tableNames(handle)).toEqual(expect.arrayContaining(tables));
      const applied = await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      const n = ((Array.isArray(applied) ? applied : (applied as { rows: { n: number }[] }).rows)[0] as { n: number }).n;
      expect(n).toBe(readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length);
    } finally {
      await handle.close();
    }
  }, 120_000);

  it('the same migrations give the same tables on the test database (PostgreSQL when DATABASE_URL is set)', async () => {
    const handle = await createTestDb();
    try {
      await runMigrations(handle); // already applied: a no-op
      expect(await tableNames(handle)).toEqual(expect.arrayContaining(tables));
    } finally {
      await handle.close();
    }
  });
});

describe.skipIf(postgresRun)('embedded database lock', () => {
  it('a second opener of the same directory is refused with a clear message, and can open after release', async () => {
    await ensureBuilt();
    const dir = join(mkdtempSync(join(tmpdir(), 'gj-lock-')), 'db');
    const first = await createDb({ kind: 'pglite', dir }, { owner: 'npm start' });
    try {
      await expect(createDb({ kind: 'pglite', dir }, { owner: 'npm run job' })).rejects.toThrow(DirLockedError);
      const other = await runNpm(['run', '--silent', 'org:import', '--', 'org.example.yaml'], { PGLITE_DIR: dir }, 120_000);
      expect(other.code).toBe(1);
      expect(other.output).toContain('正被另一个进程使用');
      expect(other.output).toContain('npm start');
    } finally {
      await first.close();
    }
    const again = await createDb({ kind: 'pglite', dir });
    await again.close();
  }, 120_000);
});
