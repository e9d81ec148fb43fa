import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { bulletinApprovals, jobRuns, outbox, units } from '../../db/schema/index.js';
import { validateCard } from '../../emulator/card-validator.js';
import { ensureBuilt } from '../../scripts/build.mjs';
import { REPO, runNpm } from '../local/helpers/bot-process.js';
import { migratedPgliteDir, postgresRun } from '../helpers/test-db.js';


let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * `npm run <script>` as an operator runs it, on its own embedded database in a scratch directory
 * (never the developer's .env or DATABASE_URL), migrated as after the bot's first start.
 */
async function npmRun(script: string, args: string[]) {
  const r = await runNpm(['run', '--silent', script, '--', ...args], { PGLITE_DIR: join(dir!, 'db'), LOG_LEVEL: 'silent' }, 120_000);
  if (r.code !== 0) throw new Error(`npm run ${script} failed (${r.code}):\n${r.output}`);
  return r;
}

/** A scratch directory with the example roster imported; returns its database directory. */
async function scratchRoster(): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'gj-bulletin-cli-'));
  await migratedPgliteDir(join(dir, 'db'));
  await npmRun('org:import', [join(REPO, 'org.example.yaml')]);
  return join(dir, 'db');
}

// Child processes on an embedded database of their own, whatever DATABASE_URL says (postgresRun).
describe.skipIf(postgresRun)('npm run job -- monthly-bulletin', () => {
  // The npm scripts run the compiled dist/: compile once (if stale) before the tests.
  beforeAll(() => ensureBuilt(), 300_000);

  it('--dry-run prints the card JSON and sends and records nothing', async () => {
    const db = await scratchRoster();
    const { stdout } = await npmRun('job', ['monthly-bulletin', '--period', '2026-10', '--dry-run']);
    const card = JSON.parse(stdout);
    expect(card.schema).toBe('2.0');
    expect(card.header.title.content).toBe('2026年10月信息工作通报');
    expect(validateCard(card)).toEqual({ ok: true });

    const handle = await createDb({ kind: 'pglite', dir: db });
    try {
      expect(await handle.db.select().from(outbox)).toHaveLength(0);
      expect(await handle.db.select().from(jobRuns)).toHaveLength(0);
    } finally {
      await handle.close();
    }
  }, 180_000);

  it('--period prepares the bulletin for 审定: the editors get it, the group does not, and a second run does nothing', async () => {
    const db = await scratchRoster();
    // The roster counts from January, whatever day the test runs.
    const setup = await createDb({ kind: 'pglite', dir: db });
    await setup.db.update(units).set({ createdAt: new Date('2026-01-01T00:00:00+08:00') });
    await setup.close();
    const first = await npmRun('job', ['monthly-bulletin', '--period', '2026-10']);
    expect(first.stdout).toContain('已生成2026年10月月通报');
    expect(first.stdout).toContain('已发研究室审定，审定后发送到工作群');
    const second = await npmRun('job', ['monthly-bulletin', '--period', '2026-10']);
    expect(second.stdout).toContain('monthly-bulletin 的 2026-10 已经执行过，未重复发送。');
    const handle = await createDb({ kind: 'pglite', dir: db });
    try {
      const rows = await handle.db.select().from(outbox);
      expect(rows.map((r) => [r.op, r.orderKey])).toEqual([['send', 'ou_editor1']]);
      const approvals = await handle.db.select().from(bulletinApprovals);
      expect(approvals.map((a) => [a.period, a.status])).toEqual([['2026-10', 'pending']]);
    } finally {
      await handle.close();
    }
  }, 240_000);
});
