import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { designatedOfficers } from '../../db/queries/roster.js';
import { designationPeriods } from '../../db/schema/index.js';
import { importOrg } from '../../domain/roster/import-org.js';
import { parseOrgFile } from '../../domain/roster/org-file.js';
import { describe, expect, it } from 'vitest';
import { createDb, rowsOf } from '../../db/client.js';
import { DirLockedError } from '../../db/dir-lock.js';
import { MIGRATIONS_DIR, runMigrations } from '../../db/migrate.js';
import { ensureBuilt } from '../../scripts/build.mjs';
import { runNpm } from '../local/helpers/bot-process.js';
import { createTestDb, postgresRun } from '../helpers/test-db.js';

const tables = ['org_settings', 'units', 'people', 'role_assignments', 'drafts', 'draft_revisions', 'audit_log', 'inbox_events', 'outbox', 'job_runs'];

async function tableNames(handle: Awaited<ReturnType<typeof createDb>>): Promise<string[]> {
  const res = await handle.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public'`);
  const rows = rowsOf<{ table_name: string }>(res);
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

describe.skipIf(postgresRun)('upgrading a deployment that has a roster', () => {
  it('0010 gives today’s 专职信息员 a stretch reaching back, so past rankings still name them', async () => {
    // The committed migrations up to 0009, as a deployment made before 0010 applied them.
    const before = mkdtempSync(join(tmpdir(), 'gj-mig-0009-'));
    cpSync(MIGRATIONS_DIR, before, { recursive: true });
    for (const f of readdirSync(before)) if (/^(\d{4})_.*\.sql$/.test(f) && Number(f.slice(0, 4)) >= 10) rmSync(join(before, f));
    const journalPath = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
    journal.entries = journal.entries.filter((e) => e.idx < 10);
    writeFileSync(journalPath, JSON.stringify(journal));

    const handle = await createDb({ kind: 'pglite', dir: 'memory://' });
    try {
      await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder: before });
      await importOrg(handle.db, parseOrgFile(readFileSync('org.example.yaml', 'utf8')), { actor: 'test', now: new Date('2026-06-01T00:00:00Z') });
      const today = await designatedOfficers(handle.db);
      expect(today.size).toBeGreaterThan(0);

      await runMigrations(handle);
      const stretches = await handle.db.select().from(designationPeriods);
      expect(stretches.map((r) => [r.unitId, r.openId, r.since.toISOString(), r.until]).sort()).toEqual(
        [...today].map(([unitId, o]) => [unitId, o.openId, '1970-01-01T00:00:00.000Z', null]).sort(),
      );
      expect(await designatedOfficers(handle.db, new Date('2025-03-31T15:59:59Z'))).toEqual(today);
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
