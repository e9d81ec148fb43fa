import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { assertStartable, ConfigError, loadConfig, type Config, type LarkConfig } from './config.js';
import { loadDotEnv } from './dotenv.js';
import { createLarkApi } from './lark-api.js';
import { createLogger } from './logger.js';
import { createDb } from '../db/client.js';
import { DirLockedError } from '../db/dir-lock.js';
import { runMigrations } from '../db/migrate.js';
import { allFeatures } from '../commands/index.js';
import { allJobs } from '../jobs/index.js';

/** Composition root: configuration, database, Lark (real or emulated), the app, signals. */
async function main() {
  let config: Config;
  try {
    config = loadConfig(loadDotEnv(process.env));
    assertStartable(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const local = config.localMode;
  log.info(
    local
      ? `本地体验模式：未设置 LARK_APP_ID，使用${config.database.kind === 'postgres' ? ' PostgreSQL 数据库（LOCAL_MODE=1）' : '内置数据库'}和内置飞书模拟器，打开 http://localhost:${config.port}/ 体验`
      : `飞书模式（${config.lark!.mode === 'ws' ? '长连接' : 'webhook 回调'}），连接 ${config.lark!.baseUrl}`,
  );

  const handle = await createDb(config.database, { owner: 'npm start' });
  await runMigrations(handle);

  let lark: LarkConfig;
  let localMode: { stop(): Promise<void>; routers: import('@koa/router').default[]; attach?(app: unknown): void } | undefined;
  if (config.lark) {
    lark = config.lark;
  } else {
    // Only local mode loads the emulator: a production start never imports it.
    const { startLocalMode } = await import('../emulator/local-mode.js');
    const started = await startLocalMode({ config, db: handle.db, log, clock: systemClock });
    lark = started.lark;
    localMode = started;
  }
  const api = createLarkApi({ appId: lark.appId, appSecret: lark.appSecret, baseUrl: lark.baseUrl, downloadIdleMs: config.downloadIdleMs, log });
  const app = createApp({
    config,
    lark,
    db: handle,
    api,
    clock: systemClock,
    log,
    features: allFeatures(),
    jobs: allJobs(),
    extraRouters: localMode?.routers,
    heartbeat: true,
  });
  localMode?.attach?.(app);
  // The local console lets anyone act as anyone: keep it on this machine.
  const { port } = await app.start(config.port, { host: localMode ? '127.0.0.1' : '0.0.0.0' });
  log.info({ port, database: handle.kind }, '机器人已启动');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, '正在停止');
    await app.stop();
    await localMode?.stop();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof DirLockedError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
