import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type Router from '@koa/router';
import { count } from 'drizzle-orm';
import { systemClock, type Clock } from '../bot/clock.js';
import type { Config, LarkConfig } from '../bot/config.js';
import type { Db } from '../db/client.js';
import { roleAssignments } from '../db/schema/index.js';
import type { Logger } from '../bot/logger.js';
import type { HistorySummary } from '../demo/history.js';
import { seedDemo } from '../demo/seed.js';
import { interpretAnswer } from './console/callback-answer.js';
import { createConsole } from './console/router.js';
import { readDirectory, registerDirectory } from './console/directory.js';
import { Transcript } from './console/transcript.js';
import { startFakeLark, type FakeLark } from './open-api/index.js';

export type LocalMode = {
  /** Credentials of the emulated app: the bot checks them exactly as it checks a real tenant's. */
  lark: LarkConfig;
  fake: FakeLark;
  transcript: Transcript;
  /** What the first start's demo history did (undefined when the database already had a roster). */
  seedSummary?: HistorySummary;
  /** Routes the bot's server mounts (the browser console). */
  routers: Router[];
  /** The console API's token for this start (the console page is given it). */
  consoleToken: string;
  attach?(app: unknown): void;
  stop(): Promise<void>;
};

/**
 * A fixed app id: the fake derives p2p chat ids from it, and the database and the saved chats refer
 * to those ids, so they must stay the same from one start to the next.
 */
export const LOCAL_APP_ID = 'cli_gaojianlocal0001';
export const LOCAL_BOT = { openId: 'ou_gaojian_bot', name: '稿件助手' } as const;

/** Where the console's chats are kept between starts: beside the embedded database's files. */
export function chatsFileFor(config: Config): string | undefined {
  if (config.database.kind === 'pglite') {
    return config.database.dir === 'memory://' ? undefined : join(config.database.dir, 'local-chats.json');
  }
  return join('data', 'local-chats.json');
}

/** The fake's clock: the bot's clock, except while the demo history is being written. */
export class SwitchableNow {
  private override: (() => number) | undefined;
  constructor(private readonly base: Clock = systemClock) {}
  now = (): number => this.override?.() ?? this.base.now().getTime();
  set(fn: (() => number) | undefined) {
    this.override = fn;
  }
}

/**
 * Local mode: no Lark tenant. The emulated Open API runs in this process on a loopback port and
 * the bot's SDK client talks to it over HTTP, exactly as it talks to open.feishu.cn. On the first
 * start (no roster yet) the demo organization and its history are written.
 */
export async function startLocalMode(o: {
  config: Config;
  db: Db;
  log: Logger;
  /** What an empty database gets: the demo roster and its history (default), the roster only, or nothing. */
  demo?: 'full' | 'roster' | 'none';
  /** Where the demo history ends (default now; tests fix it to make the history's dates known). */
  demoEnd?: Date;
  /**
   * The bot's clock. The emulator stamps events and callbacks with it, and the bot refuses requests
   * whose timestamp is far from its own time, so the two must agree.
   */
  clock?: Clock;
}): Promise<LocalMode> {
  const clock = new SwitchableNow(o.clock);
  const appSecret = randomBytes(16).toString('hex');
  const fake = await startFakeLark({
    appId: LOCAL_APP_ID,
    appSecret,
    botOpenId: LOCAL_BOT.openId,
    botName: LOCAL_BOT.name,
    now: clock.now,
  });
  const lark: LarkConfig = {
    appId: LOCAL_APP_ID,
    appSecret,
    encryptKey: randomBytes(16).toString('hex'),
    verificationToken: randomBytes(16).toString('hex'),
    baseUrl: fake.url,
    mode: 'webhook',
  };
  o.log.info({ emulator: fake.url }, '内置飞书模拟器已启动');

  const chatsFile = chatsFileFor(o.config);
  const empty = !(await hasRoster(o.db));
  // Chats saved for a database that has since been emptied would point at drafts that are gone.
  if (empty && chatsFile) rmSync(chatsFile, { force: true });
  const transcript = new Transcript(fake, chatsFile).start();

  const demo = o.demo ?? 'full';
  let seedSummary: HistorySummary | undefined;
  if (empty && demo !== 'none') {
    o.log.info('数据库中还没有名册：正在导入演示单位' + (demo === 'full' ? '并生成约一个月的演示数据（只在首次启动时进行，约需一分钟）' : ''));
    const summary = await seedDemo({
      config: o.config,
      db: o.db,
      fake,
      lark,
      log: o.log,
      clock,
      history: demo === 'full',
      now: o.demoEnd ?? (o.clock ?? systemClock).now(),
      onAnswer: (messageId, answer) => {
        const shown = interpretAnswer(answer);
        if (shown.card) transcript.applyCard(messageId, shown.card);
      },
    });
    transcript.flush();
    seedSummary = summary;
    o.log.info(
      {
        steps: summary.steps,
        ...(summary.skipped.length ? { skipped: summary.skipped.map((x) => `${x.step}（${x.feature}）：${x.reason}`) } : {}),
        ...(summary.botWarnings.length ? { botWarnings: summary.botWarnings } : {}),
      },
      summary.skipped.length ? '演示数据已生成（部分步骤未能完成，已跳过）' : '演示数据已生成',
    );
  }
  registerDirectory(fake, await readDirectory(o.db));

  const web = createConsole({ fake, lark, transcript, directory: () => readDirectory(o.db) });
  return {
    lark,
    fake,
    transcript,
    ...(seedSummary ? { seedSummary } : {}),
    routers: [web.router],
    consoleToken: web.token,
    attach(app) {
      // Open event streams would keep the HTTP server from closing: end them before it stops.
      const a = app as { stop: () => Promise<void> };
      const stop = a.stop.bind(a);
      a.stop = async () => {
        web.stop();
        await stop();
      };
    },
    async stop() {
      web.stop();
      await transcript.stop();
      await fake.close();
    },
  };
}

async function hasRoster(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(roleAssignments);
  return Number(row?.n ?? 0) > 0;
}
