import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { bulletinApprovals, jobRuns, outbox, units } from '../../db/schema/index.js';
import { validateCard } from '../../emulator/card-validator.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * The CLI as an operator runs it, on its own embedded database in a scratch directory (never the
 * developer's .env or DATABASE_URL).
 */
async function cli(args: string[]) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PGLITE_DIR: join(dir!, 'db'), LOG_LEVEL: 'silent' };
  return run(TSX, args, { cwd: dir, env, timeout: 120_000 });
}

describe('npm run job -- monthly-bulletin', () => {
  it('--dry-run prints the card JSON and sends and records nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gj-bulletin-cli-'));
    await cli([join(ROOT, 'cli/org-import.ts'), join(ROOT, 'org.example.yaml')]);
    const { stdout } = await cli([join(ROOT, 'cli/job.ts'), 'monthly-bulletin', '--period', '2026-10', '--dry-run']);
    const card = JSON.parse(stdout);
    expect(card.schema).toBe('2.0');
    expect(card.header.title.content).toBe('2026年10月信息工作通报');
    expect(validateCard(card)).toEqual({ ok: true });

    const handle = await createDb({ kind: 'pglite', dir: join(dir, 'db') });
    try {
      expect(await handle.db.select().from(outbox)).toHaveLength(0);
      expect(await handle.db.select().from(jobRuns)).toHaveLength(0);
    } finally {
      await handle.close();
    }
  }, 180_000);

  it('--period prepares the bulletin for 审定: the editors get it, the group does not, and a second run does nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gj-bulletin-cli-'));
    await cli([join(ROOT, 'cli/org-import.ts'), join(ROOT, 'org.example.yaml')]);
    // The roster counts from January, whatever day the test runs.
    const setup = await createDb({ kind: 'pglite', dir: join(dir, 'db') });
    await setup.db.update(units).set({ createdAt: new Date('2026-01-01T00:00:00+08:00') });
    await setup.close();
    const first = await cli([join(ROOT, 'cli/job.ts'), 'monthly-bulletin', '--period', '2026-10']);
    expect(first.stdout).toContain('已生成2026年10月月通报');
    expect(first.stdout).toContain('已发研究室审定，审定后发送到工作群');
    const second = await cli([join(ROOT, 'cli/job.ts'), 'monthly-bulletin', '--period', '2026-10']);
    expect(second.stdout).toContain('monthly-bulletin 的 2026-10 已经执行过，未重复发送。');
    const handle = await createDb({ kind: 'pglite', dir: join(dir, 'db') });
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
