import { sql } from 'drizzle-orm';
import pino from 'pino';
import { ConfigError, loadConfig } from '../bot/config.js';
import { loadDotEnv } from '../bot/dotenv.js';
import { createDb } from '../db/client.js';
import { DirLockedError } from '../db/dir-lock.js';
import { runMigrations } from '../db/migrate.js';
import { startLocalMode } from '../emulator/local-mode.js';

/**
 * npm run demo:reset — empties the embedded database and writes the demo organization and its month
 * of history again. Only for local mode on the embedded database, and only with the bot stopped:
 * opening the database takes its directory lock, which a running bot holds.
 */
async function main() {
  const config = loadConfig(loadDotEnv(process.env));
  if (config.lark) {
    fail('已设置 LARK_APP_ID（飞书模式）。demo:reset 只用于本地体验模式，为免清空真实数据，未做任何修改。');
  }
  if (config.database.kind !== 'pglite' || config.database.dir === 'memory://') {
    fail('demo:reset 只重置内置数据库；当前设置了 DATABASE_URL（PostgreSQL），为免误删数据，未做任何修改。');
  }
  const dir = config.database.dir;
  const handle = await createDb(config.database, { owner: 'npm run demo:reset', maxConnections: 1 });
  try {
    console.log(`正在清空内置数据库 ${dir} …`);
    // Every table, sequence and migration record goes: the migrations then build the schema afresh.
    for (const statement of ['drop schema if exists drizzle cascade', 'drop schema if exists public cascade', 'create schema public']) {
      await handle.db.execute(sql.raw(statement));
    }
    await runMigrations(handle);
    console.log('正在导入演示单位并生成约一个月的演示数据 …');
    const local = await startLocalMode({ config, db: handle.db, log: pino({ level: 'warn' }), demo: 'full' });
    await local.stop();
    const s = local.seedSummary;
    console.log(`演示数据已重置：完成 ${s?.steps ?? 0} 个步骤。`);
    for (const x of s?.skipped ?? []) console.log(`  跳过：${x.step}（${x.reason}）`);
    for (const m of s?.botWarnings ?? []) console.log(`  机器人日志：${m}`);
    console.log(`现在运行 npm start，然后打开 http://localhost:${config.port}/ 体验。`);
  } finally {
    await handle.close();
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((err) => {
  if (err instanceof DirLockedError || err instanceof ConfigError) fail(err.message);
  console.error(err);
  process.exit(1);
});
