import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { Config, LarkConfig } from '../bot/config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../bot/logger.js';
import { startFakeLark, type FakeLark } from './open-api/index.js';

export type LocalMode = {
  /** Credentials of the emulated app: the bot checks them exactly as it checks a real tenant's. */
  lark: LarkConfig;
  fake: FakeLark;
  /** Routes the bot's server mounts (the browser console). */
  routers: Router[];
  attach?(app: unknown): void;
  stop(): Promise<void>;
};

/**
 * Local mode: no Lark tenant. The emulated Open API runs in this process on a loopback port and
 * the bot's SDK client talks to it over HTTP, exactly as it talks to open.feishu.cn.
 */
export async function startLocalMode(o: { config: Config; db: Db; log: Logger }): Promise<LocalMode> {
  const appId = `cli_${randomBytes(8).toString('hex')}`;
  const appSecret = randomBytes(16).toString('hex');
  const fake = await startFakeLark({ appId, appSecret, botOpenId: 'ou_gaojian_bot', botName: '稿件助手' });
  const lark: LarkConfig = {
    appId,
    appSecret,
    encryptKey: randomBytes(16).toString('hex'),
    verificationToken: randomBytes(16).toString('hex'),
    baseUrl: fake.url,
    mode: 'webhook',
  };
  o.log.info({ emulator: fake.url }, '内置飞书模拟器已启动');
  return { lark, fake, routers: [], stop: () => fake.close() };
}
