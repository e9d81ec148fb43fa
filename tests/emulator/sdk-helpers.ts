/**
 * Shared setup for emulator tests: a FakeLark on a movable clock and a real SDK
 * Client pointed at it.
 */
import { randomBytes } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import { startFakeLark, type FakeLark } from '../../emulator/open-api/index.js';

/** The SDK caches tenant tokens process-wide per appId, so every test needs its own. */
export function uniqueAppId(): string {
  return `cli_${randomBytes(8).toString('hex')}`;
}

/** Silences the SDK's own error logging of the failures tests provoke on purpose. */
const silentLogger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/** A cache that never holds a token: every call fetches one at the fake's current time. */
export const noTokenCache = { get: async () => undefined, set: async () => true };

export interface Setup {
  fake: FakeLark;
  client: lark.Client;
  clock: { now: () => number; advance(ms: number): void };
  appId: string;
}

export async function setup(options: { cache?: typeof noTokenCache; autoCreateChats?: boolean } = {}): Promise<Setup> {
  let t = Date.UTC(2026, 10, 2, 2, 0, 0);
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const appId = uniqueAppId();
  const fake = await startFakeLark({
    appId,
    appSecret: 'secret',
    botOpenId: 'ou_bot',
    botName: 'Gaojian',
    now: clock.now,
    ...(options.autoCreateChats === undefined ? {} : { autoCreateChats: options.autoCreateChats }),
  });
  const client = new lark.Client({
    appId,
    appSecret: 'secret',
    domain: fake.url,
    loggerLevel: lark.LoggerLevel.error,
    logger: silentLogger,
    ...(options.cache ? { cache: options.cache } : {}),
  });
  return { fake, client, clock, appId };
}

/** The Lark error body of a rejected SDK call (non-2xx makes the SDK throw an AxiosError). */
export async function rejection(call: Promise<unknown>): Promise<{ status: number; body: { code: number; msg: string }; headers: Record<string, string> }> {
  try {
    await call;
  } catch (err) {
    const res = (err as { response?: { status: number; data: { code: number; msg: string }; headers: Record<string, string> } }).response;
    if (!res) throw err;
    return { status: res.status, body: res.data, headers: res.headers };
  }
  throw new Error('expected the call to fail');
}

/** A small valid Card JSON 2.0 card. */
export function simpleCard(text = 'hello', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: '稿件' }, template: 'blue' },
    body: { elements: [{ tag: 'markdown', content: text }] },
    ...extra,
  };
}
