import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from './bot-process.js';

/** Debian's Chromium (apt-get install -y chromium); playwright-core downloads no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const NO_CHROMIUM = `跳过浏览器测试：未找到 ${CHROMIUM}。安装：apt-get update && apt-get install -y chromium fonts-noto-cjk`;

/** Screenshots land here (gitignored), for people to look at after a run. */
export const ARTIFACTS = join(REPO, 'test-artifacts', 'local-console');

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** A page as a laptop or a phone shows it, in the bot's timezone, failing on any script error. */
export async function openPage(browser: Browser, viewport: { width: number; height: number }, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport, timezoneId: 'Asia/Shanghai', locale: 'zh-CN', deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  // The console must work offline: any request leaving the machine is a failure.
  page.on('request', (r) => {
    const host = new URL(r.url()).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost') errors.push(`external request: ${r.url()}`);
  });
  page.setDefaultTimeout(15_000);
  return page;
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
