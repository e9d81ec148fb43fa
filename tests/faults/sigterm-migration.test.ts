import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LarkConfig } from '../../bot/config.js';
import { MIGRATIONS_DIR } from '../../db/migrate.js';
import { DEFAULT_PG_TIMEOUTS } from '../../db/client.js';
import { larkEnv, privatePostgresWorld, startBuiltBot, waitFor } from '../deploy/helpers/built-bot.js';
import { postgresBinaries, type PrivatePostgres } from '../helpers/private-postgres.js';
import { postgresRun } from '../helpers/test-db.js';
import { childEnv, freePort, REPO } from '../local/helpers/bot-process.js';

if (!postgresBinaries) console.warn('sigterm-migration: skipped, no PostgreSQL server binaries on this machine (set PG_BIN)');

/** The first `n` committed migrations as a folder of their own (an older release's). */
function olderMigrations(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'gj-old-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(0, n);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

/**
 * An upgrade stopped while it migrates: SIGTERM arrives while the new release's migrations are
 * being applied (the first pending one is applied, and recording it waits for a lock another
 * session holds on the migrations table, whatever the migrations contain). The process
 * exits 0 at once, the schema stays as the old release left it (drizzle applies pending migrations
 * in one transaction, rolled back), and the next start applies them all. On a PostgreSQL server of
 * the test's own, so the PostgreSQL run of the suite skips it (it would repeat it exactly).
 */
describe.skipIf(!postgresBinaries || postgresRun)('fault: SIGTERM during the migration at start', () => {
  const world = privatePostgresWorld();
  let pg: PrivatePostgres;
  let lark: LarkConfig;
  beforeAll(() => void ({ pg, lark } = world));

  it('exits 0, leaves the schema as it was, and the next start completes the migration', async () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
    const OLD = files - 2;
    const sql = postgres(pg.url, { max: 2, onnotice: () => {} });
    const old = olderMigrations(OLD);
    try {
      await migrate(drizzle(sql), { migrationsFolder: old });
      const applied = async () => Number((await sql`select count(*)::int as n from drizzle.__drizzle_migrations`)[0]!.n);
      expect(await applied()).toBe(OLD);

      // Another session may read the migrations table but lets nobody write it: the first pending
      // migration runs, then recording it waits inside the migration's transaction.
      const holder = await sql.reserve();
      await holder`begin`;
      await holder`lock table drizzle.__drizzle_migrations in share mode`;
      const port = await freePort();
      const bot = spawn(process.execPath, [join(REPO, 'dist/bot/main.js')], {
        cwd: REPO,
        env: childEnv({ ...larkEnv(lark), DATABASE_URL: pg.url, PORT: String(port), LOG_LEVEL: 'info' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      bot.stdout!.on('data', (d) => (output += d));
      bot.stderr!.on('data', (d) => (output += d));
      const exited = new Promise<number | null>((resolve) => bot.on('exit', (code) => resolve(code)));
      try {
        await waitFor('the migration waiting for the lock', async () =>
          (await sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%insert into "drizzle"."__drizzle_migrations"%' and pid <> pg_backend_pid()`).length > 0,
        );
      } catch (err) {
        const activity = await sql`select state, wait_event_type, left(query, 120) as query from pg_stat_activity where pid <> pg_backend_pid() and datname is not null`;
        bot.kill('SIGKILL');
        throw new Error(`${(err as Error).message}\nsessions: ${JSON.stringify(activity)}\nbot output:\n${output}`);
      }
      const signalledAt = Date.now();
      bot.kill('SIGTERM');
      const code = await exited;
      const stopMs = Date.now() - signalledAt;
      await holder`rollback`;
      holder.release();
      const afterStop = await applied();
      console.log(`SIGTERM during migration: exit ${code} after ${stopMs} ms; ${afterStop} of ${files} migrations recorded afterwards (was ${OLD})`);
      expect(code, output).toBe(0);
      // The lock is still held: exiting at all means the migration was cut, not waited out (the
      // statement timeout would have ended it with an error); the bound is that timeout, not a speed target.
      expect(stopMs).toBeLessThan(DEFAULT_PG_TIMEOUTS.statementMs);
      expect(output).toContain('已停止');
      expect(output).not.toContain('机器人已启动');
      // The half-applied upgrade was rolled back whole: neither of the two new migrations is recorded.
      expect(afterStop).toBe(OLD);

      const next = await startBuiltBot({ ...larkEnv(lark), DATABASE_URL: pg.url });
      try {
        expect((await fetch(next.url + '/healthz')).status).toBe(200);
        console.log(`next start: ${await applied()} of ${files} migrations recorded`);
        expect(await applied()).toBe(files);
      } finally {
        next.child.kill('SIGTERM');
        expect(await next.exited).toBe(0);
      }
    } finally {
      await sql.end({ timeout: 5 });
      rmSync(old, { recursive: true, force: true });
    }
  }, 300_000);
});
