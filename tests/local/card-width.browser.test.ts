import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ARTIFACTS, hasChromium, launchChromium, NO_CHROMIUM, openPage } from './helpers/chromium.js';
import { startLocalStack, waitFor, type LocalStack } from './helpers/local-stack.js';

if (!hasChromium) console.warn(NO_CHROMIUM);

/** A year of demo history ending here, with the bot's clock there too. */
const END = new Date('2026-12-20T10:00:00+08:00');
const WIDTH = 375;
const EDITOR = 'ou_demo_editor_lin';
const OFFICER = 'ou_demo_off_liu';
const REVIEWER = 'ou_demo_rev_zhang';
const LEADER = 'ou_demo_leader_huang';

/** Each chat to look at, and what its person asks for first so the chat holds every answer card. */
const CHATS: { as: string; chat: 'p2p' | 'group'; ask: string[] }[] = [
  { as: EDITOR, chat: 'p2p', ask: ['帮助', '排行', '待编稿件', '本期信息', '积分', '发送失败记录', '名册', '名册导出'] },
  { as: OFFICER, chat: 'p2p', ask: ['帮助', '我的稿件', '排行', '积分', '点题列表'] },
  { as: REVIEWER, chat: 'p2p', ask: ['帮助', '待审'] },
  { as: LEADER, chat: 'p2p', ask: ['帮助'] },
  { as: EDITOR, chat: 'group', ask: [] },
];

/** A card's kind: its title without serials, numbers and quoted titles. */
function kindOf(title: string): string {
  return title
    .replace(/[“《][^”》]*[”》]/g, '')
    .replace(/\d{4}-\d{4}/g, '')
    .replace(/[\dT]+/g, '#')
    .split(' · ')[0]!
    .trim();
}

/**
 * Every card kind the bot sends, as the console draws it in a 375 px phone window: no card wider
 * than the window, nothing in a card wider than the card. One screenshot per kind is kept in
 * test-artifacts/local-console/phone-375/.
 */
describe.skipIf(!hasChromium)('every card kind fits a 375 px phone', () => {
  let s: LocalStack;
  let browser: Browser;
  const errors: string[] = [];
  const dir = join(ARTIFACTS, 'phone-375');

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    const clock = new TestClock(END);
    s = await startLocalStack({ demo: 'full', demoEnd: END, clock });
    for (const c of CHATS) {
      for (const text of c.ask) {
        // The emulator's rate limits count in the bot's time: let a little of it pass between asks.
        clock.advance(5_000);
        const before = new Set(s.local.transcript.entries().map((e) => e.messageId));
        const res = await s.consoleFetch('/console/api/send', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ as: c.as, chat: 'p2p', text }) });
        expect(res.status).toBe(200);
        // The first 积分 or 排行 prices a year of history into the score ledger: slow on a busy machine.
        await waitFor(() => s.local.transcript.entries().find((e) => !before.has(e.messageId) && e.from === 'bot' && e.p2pUser === c.as), `the answer to ${text}`, 120_000);
      }
    }
    browser = await launchChromium();
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('draws every card within the width, and keeps a screenshot of each kind', async () => {
    const kinds = new Map<string, string>();
    const overflows: string[] = [];
    for (const c of CHATS) {
      const page: Page = await openPage(browser, { width: WIDTH, height: 800 }, errors);
      await page.goto(`${s.url}/#as=${c.as}&chat=${c.chat}`);
      await page.locator('body.ready').waitFor();
      await page.locator('#timeline .card').first().waitFor();
      if (c.as === EDITOR && c.chat === 'p2p') {
        // A file the bot sent shows its name, kind and size, as Feishu shows it.
        const file = page.locator('#timeline a.file').last();
        expect(await file.locator('.file-name').textContent()).toMatch(/\.yaml$/);
        expect(await file.locator('.file-meta').textContent()).toMatch(/^YAML 文件 · [\d.]+ (B|KB)$/);
      }
      const pageOverflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      if (pageOverflow > 0) overflows.push(`${c.as} ${c.chat}: the page is ${pageOverflow} px wider than the window`);
      const cards = page.locator('#timeline .card');
      const n = await cards.count();
      for (let i = 0; i < n; i++) {
        const card = cards.nth(i);
        const title = ((await card.locator('.card-title').first().textContent().catch(() => '')) ?? '').trim() || '（无标题）';
        const kind = kindOf(title);
        // Wider than the window, or content wider than the card (a table or chart scrolls inside
        // its own box, which is how Feishu shows them too, so only the card's own box counts).
        const m = await card.evaluate((el) => {
          const e = el as unknown as { scrollWidth: number; clientWidth: number; getBoundingClientRect(): { right: number } };
          return { inner: e.scrollWidth - e.clientWidth, right: e.getBoundingClientRect().right };
        });
        if (m.inner > 1) overflows.push(`${c.as} ${c.chat} “${title}”: content ${m.inner} px wider than the card`);
        if (m.right > WIDTH + 0.5) overflows.push(`${c.as} ${c.chat} “${title}”: right edge at ${Math.round(m.right)} px`);
        if (!kinds.has(kind)) {
          const file = `${String(kinds.size + 1).padStart(2, '0')}-${kind.replace(/[^\p{L}\p{N}]+/gu, '_').slice(0, 40)}.png`;
          await card.scrollIntoViewIfNeeded();
          await card.screenshot({ path: join(dir, file) });
          kinds.set(kind, file);
        }
      }
      await page.context().close();
    }
    console.log(`card kinds checked at ${WIDTH} px: ${[...kinds.keys()].join('、')}`);
    expect(overflows).toEqual([]);
    // The kinds people see most, each looked at.
    const seen = [...kinds.keys()].join('\n');
    for (const k of ['稿件回执', '信息工作排行', '待编稿件', '【点题', '稿件助手', '我的稿件', '待审稿件', '稿件审核', '各单位积分', '本期信息送审签发']) expect(seen, k).toContain(k);
    expect(kinds.size).toBeGreaterThanOrEqual(15);
    expect(errors).toEqual([]);
  }, 300_000);
});
