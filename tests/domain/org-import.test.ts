import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client.js';
import { auditLog, roleAssignments, units } from '../../db/schema/index.js';
import { loadWho } from '../../db/queries/roster.js';
import { importOrg } from '../../domain/roster/import-org.js';
import { OrgFileError, parseOrgFile } from '../../domain/roster/org-file.js';
import { ensureBuilt } from '../../scripts/build.mjs';
import { runNpm } from '../local/helpers/bot-process.js';
import { createTestDb, migratedPgliteDir, postgresRun } from '../helpers/test-db.js';

const example = readFileSync(new URL('../../org.example.yaml', import.meta.url), 'utf8');
const now = new Date('2026-11-02T01:00:00Z');

describe('org import', () => {
  let h: DbHandle;
  beforeEach(async () => {
    h = await createTestDb();
  });
  afterEach(async () => h.close());

  it('imports the example roster with roles and the designated officer', async () => {
    const s = await importOrg(h.db, parseOrgFile(example), { actor: 'test', now });
    expect(s).toMatchObject({ unitsAdded: 2, rolesAdded: 8, changed: true });
    const officer = await loadWho(h.db, 'ou_officer1');
    expect(officer.officerUnits.map((u) => u.name)).toEqual(['城关镇']);
    expect(officer.designatedUnits.map((u) => u.name)).toEqual(['城关镇']);
    expect(officer.name).toBe('赵信息');
    const reviewer = await loadWho(h.db, 'ou_reviewer3');
    expect(reviewer.reviewerUnits.map((u) => u.name)).toEqual(['东街街道']);
    expect((await loadWho(h.db, 'ou_editor1')).editor).toBe(true);
    expect((await loadWho(h.db, 'ou_nobody')).known).toBe(false);
    // A unit exists from the import's date on (rankings count units that existed in the period).
    expect((await h.db.select().from(units)).every((u) => u.createdAt.getTime() === now.getTime())).toBe(true);
  });

  it('is idempotent: the second run changes nothing', async () => {
    await importOrg(h.db, parseOrgFile(example), { actor: 'test', now });
    const before = { roles: await h.db.select().from(roleAssignments), units: await h.db.select().from(units), audit: await h.db.select().from(auditLog) };
    const s = await importOrg(h.db, parseOrgFile(example), { actor: 'test', now: new Date(now.getTime() + 1000) });
    expect(s.changed).toBe(false);
    expect(await h.db.select().from(roleAssignments)).toEqual(before.roles);
    expect(await h.db.select().from(units)).toEqual(before.units);
    expect(await h.db.select().from(auditLog)).toEqual(before.audit);
  });

  it('deactivates instead of deleting when someone leaves the roster', async () => {
    await importOrg(h.db, parseOrgFile(example), { actor: 'test', now });
    const without = example.replace('      - {id: ou_officer2, name: 钱信息}\n', '');
    const s = await importOrg(h.db, parseOrgFile(without), { actor: 'test', now });
    expect(s.rolesDeactivated).toBe(1);
    expect((await loadWho(h.db, 'ou_officer2')).known).toBe(false);
    expect((await h.db.select().from(roleAssignments)).length).toBe(8);
  });

  it.each([
    ['a designated officer who is not an officer', example.replace('designated_officer: ou_officer1', 'designated_officer: ou_officer9'), 17, '专职信息员'],
    ['a unit without reviewers', example.replace(/    reviewers:\s+# 组织委员\n      - \{id: ou_reviewer1, name: 张委员\}\n/, '    reviewers: []\n'), 12, '组织委员'],
    ['a bad open_id', example.replace('ou_editor1', 'editor1'), 7, 'open_id'],
    ['a duplicate unit', example.replace('name: 东街街道', 'name: 城关镇'), 18, '重复'],
    ['broken YAML', example.replace('units:', 'units: [\n'), undefined, 'YAML'],
  ])('rejects %s with its line and changes nothing', async (_label, text, line, message) => {
    let error: unknown;
    try {
      parseOrgFile(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OrgFileError);
    const p = (error as OrgFileError).problems[0]!;
    if (line !== undefined) expect(p.line).toBe(line);
    else expect(p.line).toBeGreaterThan(0);
    expect((error as Error).message).toContain(message);
  });

  // The CLI on an embedded database of its own, whatever DATABASE_URL says (postgresRun).
  it.skipIf(postgresRun)('the CLI refuses a bad file without touching the database, and imports a good one twice', async () => {
    await ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'gj-org-'));
    // Migrated, as after the bot's first start.
    await migratedPgliteDir(join(dir, 'db'));
    const run = async (file: string) => {
      const r = await runNpm(['run', '--silent', 'org:import', '--', file], { PGLITE_DIR: join(dir, 'db'), LOG_LEVEL: 'silent' }, 120_000);
      return { code: r.code, out: r.output };
    };
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, example.replace('designated_officer: ou_officer1', 'designated_officer: ou_officer9'));
    const r1 = await run(bad);
    expect(r1.code).toBe(1);
    expect(r1.out).toContain('第 17 行');
    expect(r1.out).toContain('未做任何修改');
    const good = join(dir, 'org.yaml');
    writeFileSync(good, example);
    const r2 = await run(good);
    expect(r2.code).toBe(0);
    expect(r2.out).toContain('名册已更新');
    const r3 = await run(good);
    expect(r3.out).toContain('名册无变化');
  }, 300_000);
});
