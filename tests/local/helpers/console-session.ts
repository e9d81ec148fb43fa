import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { ensureBuilt } from '../../../scripts/build.mjs';
import { startBot, type BotProcess } from './bot-process.js';
import { launchChromium, openPage } from './chromium.js';

export type ConsoleSession = {
  bot: BotProcess;
  browser: Browser;
  /** A laptop-sized page; `as` switches who it shows. */
  page: Page;
  /** Script errors and requests leaving the machine, on every page the session opens. */
  errors: string[];
  as(openId: string, chat?: 'p2p' | 'group'): Promise<void>;
};

/**
 * `npm start` in local mode on an embedded database of its own (first start: demo roster and
 * history at `now`) and Chromium on it, for one describe block: started in beforeAll, stopped in
 * afterAll, where a stop that is not clean (SIGTERM answered with exit 0) fails the block.
 */
export function consoleSession(dirPrefix: string, now: Date): ConsoleSession {
  let dir = '';
  const s = { errors: [] as string[] } as ConsoleSession;
  s.as = async (openId, chat = 'p2p') => {
    await s.page.goto(`${s.bot.url}/#as=${openId}&chat=${chat}`);
    await s.page.reload();
    await s.page.locator('body.ready').waitFor();
  };
  beforeAll(async () => {
    // npm start runs the compiled dist/: compile once (if stale).
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), dirPrefix));
    s.bot = await startBot({ PGLITE_DIR: join(dir, 'pglite'), LOG_LEVEL: 'info' }, { now });
    s.browser = await launchChromium();
    s.page = await openPage(s.browser, { width: 1280, height: 900 }, s.errors);
  }, 240_000);
  afterAll(async () => {
    await s.browser?.close();
    const stopped = await s.bot?.stop();
    rmSync(dir, { recursive: true, force: true });
    // SIGTERM is a clean stop, even with pages still listening to the event stream.
    expect(stopped?.clean, s.bot?.output().slice(-2000)).toBe(true);
  }, 60_000);
  return s;
}
