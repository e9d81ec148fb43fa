import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb, rowsOf, type DbHandle } from '../../db/client.js';
import { runNpm } from '../local/helpers/bot-process.js';
import { deliver, larkEnv, startBuiltBot, textEvent, waitFor, builtWorld } from './helpers/built-bot.js';

const w = builtWorld('gj-built-');

/** The compiled commands, as `npm run …` runs them (scripts/run.mjs, no tsx). */
function npmScript(args: string[], env: Record<string, string>) {
  return runNpm(['run', '--silent', ...args], env, 120_000);
}

async function openChildDb(): Promise<DbHandle> {
  return createDb(w.database.env.DATABASE_URL ? { kind: 'postgres', url: w.database.env.DATABASE_URL } : { kind: 'pglite', dir: w.database.env.PGLITE_DIR! }, {
    maxConnections: 1,
  });
}

async function count(handle: DbHandle, query: ReturnType<typeof sql>): Promise<number> {
  return Number(rowsOf<{ n: number }>(await handle.db.execute(query))[0]?.n ?? 0);
}

describe('the compiled bot (node dist/bot/main.js)', () => {
  it('starts without tsx, answers /healthz and /metrics, handles a message, and stops cleanly on SIGTERM', async () => {
    const env = { ...larkEnv(w.lark), ...w.database.env };
    w.fake.addUser({ openId: 'ou_visitor1', name: '访客' });
    const bot = await startBuiltBot(env);
    try {
      const health = await fetch(bot.url + '/healthz');
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, database: 'up' });
      expect(await deliver(bot.url, w.lark, textEvent(w.lark, w.fake, 'ou_visitor1', 'om_built_1', '你好'))).toBe(200);
      await waitFor('the answer', () => w.fake.messages.some((m) => m.sender.senderType === 'app' && m.p2pUserOpenId === 'ou_visitor1'));
      const metrics = await (await fetch(bot.url + '/metrics')).text();
      expect(metrics).toMatch(/gaojian_events_received_total\{type="message",result="accepted"\} 1/);
      expect(metrics).toMatch(/gaojian_handler_duration_seconds_count\{type="message"\} 1/);
      expect(metrics).toContain('gaojian_inbox_backlog');
      // Production logs are JSON lines, and a handled event's lines carry its id.
      const lines = bot.output().split('\n').filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.some((l) => (JSON.parse(l) as { eventKey?: string }).eventKey === 'msg:om_built_1')).toBe(true);

    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('已停止');
    // The embedded database's lock is released: another process may open it at once.
    if (w.database.env.PGLITE_DIR) expect(readdirSync(w.database.env.PGLITE_DIR)).not.toContain('gaojian.lock');
  }, 180_000);

  it('says at start, in the log, that Lark refuses the app’s credentials, and keeps serving', async () => {
    const env = { ...larkEnv(w.lark), ...w.database.env, LARK_APP_SECRET: 'not-the-secret' };
    const bot = await startBuiltBot(env);
    try {
      await waitFor('the credentials error', () => bot.output().includes('飞书拒绝了应用凭证'));
      const line = bot.output().split('\n').find((l) => l.includes('飞书拒绝了应用凭证'))!;
      expect(JSON.parse(line)).toMatchObject({ level: 50, code: 10014, msg: expect.stringContaining('LARK_APP_SECRET') });
      // Events are still taken (and kept until the secret is fixed).
      expect((await fetch(bot.url + '/healthz')).status).toBe(200);
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
  }, 180_000);

  it('npm run db:backup and db:restore bring back the database as it was at the backup', async () => {
    const env = { ...larkEnv(w.lark), ...w.database.env };
    const file = join(w.dir, w.database.env.DATABASE_URL ? 'backup.dump' : 'backup.tar.gz');
    const backup = await npmScript(['db:backup', '--', file], env);
    expect(backup.output).toContain('备份完成');
    expect(backup.code).toBe(0);
    expect(existsSync(file)).toBe(true);

    const handle = await openChildDb();
    const before = await count(handle, sql`select count(*)::int as n from inbox_events`);
    expect(before).toBe(1);
    await handle.db.execute(sql`delete from inbox_events`);
    expect(await count(handle, sql`select count(*)::int as n from inbox_events`)).toBe(0);
    await handle.close();

    const restore = await npmScript(['db:restore', '--', file], env);
    expect(restore.output).toContain('恢复完成');
    expect(restore.code).toBe(0);
    const again = await openChildDb();
    try {
      expect(await count(again, sql`select count(*)::int as n from inbox_events where key = 'msg:om_built_1'`)).toBe(1);
    } finally {
      await again.close();
    }
  }, 180_000);

  it('refuses to start on a database migrated by a newer version, and says why', async () => {
    const handle = await openChildDb();
    try {
      await handle.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', 4102444800000)`);
    } finally {
      await handle.close();
    }
    const { code, output } = await npmScript(['start'], { ...larkEnv(w.lark), ...w.database.env });
    expect(code).toBe(1);
    expect(output).toContain('数据库的结构比本程序新');
    expect(output).toContain('2100-01-01');
    expect(output).not.toContain('机器人已启动');
  }, 180_000);
});
