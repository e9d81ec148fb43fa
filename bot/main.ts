import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { assertStartable, ConfigError, loadConfig, type Config, type LarkConfig } from './config.js';
import { loadDotEnv } from './dotenv.js';
import { createLarkApi, CREDENTIALS_REFUSED, LarkCredentialsError } from './lark-api.js';
import { describeError } from './errors.js';
import { createLogger } from './logger.js';
import { createDb, DiskFullError, isDriverClosedSocketCrash, onDatabaseDeadline } from '../db/client.js';
import { DirLockedError } from '../db/dir-lock.js';
import { MigrationAbortedError, NewerSchemaError, runMigrations } from '../db/migrate.js';
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
  const local = config.localMode;
  // A first-time user in local mode reads the console, not a log pipeline: readable lines there.
  const log = createLogger(config.logLevel, undefined, { pretty: (config.logFormat ?? (local ? 'pretty' : 'json')) === 'pretty' });
  log.info(
    local
      ? `本地体验模式：未设置 LARK_APP_ID，使用${config.database.kind === 'postgres' ? ' PostgreSQL 数据库（LOCAL_MODE=1）' : '内置数据库'}和内置飞书模拟器，打开 http://localhost:${config.port}/ 体验`
      : `飞书模式（${config.lark!.mode === 'ws' ? '长连接' : 'webhook 回调'}），连接 ${config.lark!.baseUrl}`,
  );

  // A stop may come while starting (an upgrade's migration waiting for its lock, or running): the
  // migration is cut short and rolled back, the process exits 0, and the next start migrates.
  let stopSignal: string | undefined;
  const starting = new AbortController();
  const stopWhileStarting = (signal: string) => {
    stopSignal = signal;
    log.info({ signal }, '启动过程中收到停止信号：中止启动（未完成的数据库迁移回滚，下次启动重新执行）');
    starting.abort();
  };
  process.on('SIGTERM', stopWhileStarting);
  process.on('SIGINT', stopWhileStarting);
  let renewConnections: (() => void) | undefined;
  process.on('uncaughtException', (err) => {
    if (isDriverClosedSocketCrash(err)) {
      // The throw leaves that connection unable to send a short query (its pending write is never
      // flushed): queries given it hang until a deadline. Its pool is replaced.
      log.warn({ err }, 'database driver error after a lost connection (porsager/postgres#1208); connections renewed');
      renewConnections?.();
      return;
    }
    log.fatal({ err }, '未处理的异常，进程退出');
    process.exit(1);
  });
  const handle = await createDb(config.database, { owner: 'npm start' });
  renewConnections = handle.renewConnections;
  // A call past its deadline most likely went to such a connection (or the server is away, when
  // new connections cost nothing either).
  if (renewConnections) onDatabaseDeadline(renewConnections);
  try {
    await runMigrations(handle, { signal: starting.signal });
  } catch (err) {
    if (!(err instanceof MigrationAbortedError)) throw err;
  }
  if (stopSignal) {
    // Also after an embedded database's migration, which is let finish rather than cut.
    await handle.close();
    log.info('已停止');
    process.exit(0);
  }

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
  if (!localMode) {
    // Wrong credentials fail every call to Lark: say so now, not at the first message. Through the
    // app's cached lookup, so the first event does not ask Lark again.
    void app.deps.botOpenId().catch((err: unknown) => {
      if (err instanceof LarkCredentialsError) log.error({ code: err.code }, CREDENTIALS_REFUSED);
      else log.warn({ reason: describeError(err) }, '启动时未能连接飞书，发送消息时会重试');
    });
  }

  let stopping = false;
  let now: () => void = () => {};
  const shutdown = async (signal: string) => {
    if (stopping) {
      // A second signal means "now": stop waiting, hand back what is held, exit 1.
      log.warn({ signal }, '再次收到停止信号，立即退出');
      now();
      return;
    }
    stopping = true;
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, '正在停止：不再接收新请求，处理完进行中的消息后退出');
    let hurried = false;
    const deadline = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, config.shutdownTimeoutMs);
      now = () => {
        hurried = true;
        clearTimeout(timer);
        resolve();
      };
    });
    // Handing back needs the database; if it does not answer either, leave the leases to expire.
    const last = setTimeout(() => {
      log.error('停止超时且无法交还进行中的工作：强制退出（这些消息将在租约到期后由其他进程或重启后继续处理）');
      process.exit(1);
    }, config.shutdownTimeoutMs + 3000);
    try {
      const outcome = await app.stop({ deadline });
      if (!outcome.drained) {
        log.warn(
          { timeoutMs: config.shutdownTimeoutMs, released: outcome.released },
          '停止超时：未完成的消息已交还，其他进程或重启后立即继续处理',
        );
      }
      await localMode?.stop();
      // Also releases the embedded database's directory lock. Past the deadline, queries still
      // running belong to work already handed back: cut them short.
      await handle.close(outcome.drained ? undefined : { timeoutSeconds: 1 });
      clearTimeout(last);
      log.info('已停止');
      // Nothing is lost past the deadline (what was in hand is handed back), so only a second signal
      // says something went wrong.
      process.exit(hurried ? 1 : 0);
    } catch (err) {
      log.error({ err }, '停止时出错');
      process.exit(1);
    }
  };
  process.off('SIGTERM', stopWhileStarting);
  process.off('SIGINT', stopWhileStarting);
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // A stop asked for after the migration but before the server was up.
  if (stopSignal) void shutdown(stopSignal);
}

main().catch((err) => {
  if (err instanceof DirLockedError || err instanceof NewerSchemaError || err instanceof DiskFullError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
