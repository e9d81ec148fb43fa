import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp, type App } from '../../../bot/app.js';
import { loadConfig, type Config } from '../../../bot/config.js';
import { createLarkApi } from '../../../bot/lark-api.js';
import { systemClock, type Clock } from '../../../bot/clock.js';
import { allFeatures } from '../../../commands/index.js';
import type { DbHandle } from '../../../db/client.js';
import { allJobs } from '../../../jobs/index.js';
import { startLocalMode, type LocalMode } from '../../../emulator/local-mode.js';
import { createTestDb } from '../../helpers/test-db.js';

export type LocalStack = {
  local: LocalMode;
  app: App;
  url: string;
  db: DbHandle;
  config: Config;
  /** A request to the console as its own page makes it: this start's token, and for a POST the page's Origin. */
  consoleFetch(path: string, init?: RequestInit): Promise<Response>;
  /** The bot's warnings and errors so far (JSON lines). */
  warnings(): string;
  stop(o?: { keepDb?: boolean }): Promise<void>;
};

/**
 * What bot/main.ts wires in local mode, in this process: the emulator, the console and the bot on
 * one server, with the real SDK client talking to the emulator over HTTP.
 */
export async function startLocalStack(
  o: { db?: DbHandle; env?: Record<string, string>; demo?: 'full' | 'roster' | 'none'; demoEnd?: Date; clock?: Clock } = {},
): Promise<LocalStack> {
  const config = loadConfig({ LOG_LEVEL: 'silent', PGLITE_DIR: 'memory://', ...o.env });
  const db = o.db ?? (await createTestDb());
  // Kept for a failed test to show: a card that never came says why in them.
  const lines: string[] = [];
  const log = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  const clock = o.clock ?? systemClock;
  const local = await startLocalMode({ config, db: db.db, log, clock, demo: o.demo ?? 'roster', ...(o.demoEnd ? { demoEnd: o.demoEnd } : {}) });
  const api = createLarkApi({ appId: local.lark.appId, appSecret: local.lark.appSecret, baseUrl: local.lark.baseUrl, timeoutMs: 5000 });
  const app = createApp({ config, lark: local.lark, db, api, clock, log, features: allFeatures(), jobs: allJobs(), extraRouters: local.routers });
  local.attach?.(app);
  const { port } = await app.start(0);
  const url = `http://127.0.0.1:${port}`;
  return {
    local,
    app,
    db,
    config,
    url,
    warnings: () => lines.join(''),
    consoleFetch(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('X-Console-Token', local.consoleToken);
      if (init.method && init.method !== 'GET') headers.set('Origin', url);
      return fetch(url + path, { ...init, headers });
    },
    async stop(s = {}) {
      await app.stop();
      await local.stop();
      if (!s.keepDb) await db.close();
    },
  };
}

/** Polls until `check` returns a value (the bot answers asynchronously, through its outbox). */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
