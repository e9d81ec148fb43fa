import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { drafts, units } from '../../db/schema/index.js';
import { runNpm } from './helpers/bot-process.js';
import { ensureBuilt } from '../../scripts/build.mjs';
import { migratedPgliteDir, postgresRun } from '../helpers/test-db.js';

// Child processes on an embedded database of their own, whatever DATABASE_URL says (postgresRun).
describe.skipIf(postgresRun)('npm run demo:reset', () => {
  let root: string;
  let dir: string;
  // npm start and the npm scripts run the compiled dist/: compile once (if stale). The directory starts
  // as a bot's first start leaves it (migrated, empty).
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gaojian-reset-'));
    dir = join(root, 'pglite');
    await ensureBuilt();
    await migratedPgliteDir(dir);
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses while another process holds the embedded database, naming it', async () => {
    const held = await createDb({ kind: 'pglite', dir }, { owner: 'npm start' });
    try {
      const { code, output } = await runNpm(['run', 'demo:reset'], { PGLITE_DIR: dir });
      expect(code).toBe(1);
      expect(output).toContain(`内置数据库 ${dir} 正被另一个进程使用（npm start，进程号 ${process.pid}`);
      expect(output).toContain('请先停止正在运行的机器人');
      expect(output).not.toContain('正在清空');
    } finally {
      await held.close();
    }
  }, 60_000);

  it('starts over: the demo roster and a month of history, whatever was there before', async () => {
    // A database with something that is not part of the demo, to see it go.
    let db = await createDb({ kind: 'pglite', dir });
    await db.db.insert(units).values({ name: '临时单位' });
    await db.close();
    const stale = { messageId: 'om_stale', chatId: 'oc_x', chatType: 'p2p', from: 'bot', msgType: 'text', content: { text: '旧消息' }, createTime: 0, updateTime: 0, receiveIdType: 'chat_id', receiveId: 'oc_x', version: 0 };
    writeFileSync(join(dir, 'local-chats.json'), JSON.stringify({ version: 1, entries: [stale] }));

    const reset = await runNpm(['run', 'demo:reset'], { PGLITE_DIR: dir }, 240_000);
    expect(reset.output).toContain('演示数据已重置');
    expect(reset.code).toBe(0);
    db = await createDb({ kind: 'pglite', dir });
    try {
      const names = (await db.db.select({ name: units.name }).from(units)).map((u) => u.name);
      expect(names.sort()).toEqual(['东湖街道', '县教育局', '城关镇', '柳溪乡', '青石镇'].sort());
      const [pending] = await db.db.select({ n: count() }).from(drafts).where(eq(drafts.state, 'pending_review'));
      expect(pending!.n).toBe(3);
    } finally {
      await db.close();
    }
    const chats = JSON.parse(readFileSync(join(dir, 'local-chats.json'), 'utf8')) as { entries: { messageId: string; createTime: number }[] };
    expect(chats.entries.map((e) => e.messageId)).not.toContain('om_stale');
    const days = (Math.max(...chats.entries.map((e) => e.createTime)) - Math.min(...chats.entries.map((e) => e.createTime))) / 86_400_000;
    expect(days).toBeGreaterThan(25);
  }, 300_000);

  it('refuses PostgreSQL and a configured Lark app, changing nothing', async () => {
    const pg = await runNpm(['run', 'demo:reset'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(pg.code).toBe(1);
    expect(pg.output).toContain('demo:reset 只重置内置数据库');
    const real = await runNpm(['run', 'demo:reset'], {
      LARK_APP_ID: 'cli_a1b2c3d4e5f6a7b8',
      LARK_APP_SECRET: 's',
      LARK_ENCRYPT_KEY: 'e',
      LARK_VERIFICATION_TOKEN: 't',
      PGLITE_DIR: dir,
    });
    expect(real.code).toBe(1);
    expect(real.output).toContain('demo:reset 只用于本地体验模式');
    expect(existsSync(join(dir, 'local-chats.json'))).toBe(true);
  }, 60_000);
});
