import * as lark from '@larksuiteoapi/node-sdk';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, NO_CHROMIUM, openPage, shot } from './helpers/chromium.js';
import { startLocalStack, type LocalStack } from './helpers/local-stack.js';

/** A computed style property, read in the page (this project compiles without the DOM library). */
const style = (l: Locator, prop: string) => l.evaluate((e, p) => (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(e)[p], prop);
import { showcaseCard } from './helpers/showcase-card.js';

if (!hasChromium) console.warn(NO_CHROMIUM);

const OFFICER = 'ou_demo_off_liu';

/**
 * The console's Card JSON 2.0 renderer, on one card holding every component: sent through the
 * emulator's API with the real SDK (so the card passes Lark's validation), then looked at and used
 * in Chromium. A form submit must reach the bot as one signed callback carrying form_value.
 */
describe.skipIf(!hasChromium)('the console renders Card JSON 2.0', () => {
  let s: LocalStack;
  let browser: Browser;
  let page: Page;
  let card: Locator;
  const errors: string[] = [];
  const callbacks: Record<string, unknown>[] = [];

  beforeAll(async () => {
    s = await startLocalStack();
    const fake = s.local.fake;
    const register = fake.registerEvent.bind(fake);
    fake.registerEvent = (payload: object) => {
      const p = payload as { header?: { event_type?: string }; event?: { action?: Record<string, unknown> } };
      if (p.header?.event_type === 'card.action.trigger') callbacks.push(p.event!.action!);
      return register(payload);
    };
    const client = new lark.Client({
      appId: s.local.lark.appId,
      appSecret: s.local.lark.appSecret,
      domain: s.local.lark.baseUrl,
      cache: new Map() as unknown as lark.Cache,
      loggerLevel: lark.LoggerLevel.error,
    });
    const res = await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: OFFICER, msg_type: 'interactive', content: JSON.stringify(showcaseCard()) },
    });
    expect(res.code).toBe(0);
    browser = await launchChromium();
    page = await openPage(browser, { width: 1280, height: 900 }, errors);
    await page.goto(`${s.url}/#as=${OFFICER}&chat=p2p`);
    await page.locator('body.ready').waitFor();
    card = page.locator('.card', { hasText: '组件展示卡片' }).last();
    await card.waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('draws the header, markdown, columns and buttons', async () => {
    const header = card.locator('.card-header');
    expect(await header.locator('.card-title').textContent()).toBe('组件展示卡片');
    expect(await header.locator('.tag').allTextContents()).toEqual(['待审核', '第2稿']);
    expect(await header.locator('.card-subtitle').textContent()).toBe('副标题：本地控制台渲染检查');
    const md = card.locator('.el-markdown').first();
    expect(await md.locator('strong').textContent()).toBe('加粗文字');
    expect(await md.locator('a').getAttribute('href')).toBe('https://open.feishu.cn');
    expect(await style(md.locator('span', { hasText: '红色提示' }), 'color')).toBe('rgb(245, 74, 69)');
    expect(await md.locator('ul li').allTextContents()).toEqual(['第一项', '第二项']);
    expect(await md.locator('ol li').allTextContents()).toEqual(['步骤一', '步骤二']);
    expect(await md.locator('.tag-green').textContent()).toBe('已通过');
    expect(await md.textContent()).toContain('转义 *不是斜体*');
    expect(await card.locator('.colset.has-bg .col').count()).toBe(2);
    expect(await card.getByRole('button', { name: '已禁用' }).isDisabled()).toBe(true);
    expect(await style(card.getByRole('button', { name: '主要操作' }), 'backgroundColor')).toBe('rgb(51, 112, 255)');
  });

  it('asks before a button with confirm, and sends nothing when cancelled', async () => {
    const before = callbacks.length;
    await card.getByRole('button', { name: '危险操作' }).click();
    await page.locator('#modal .modal-title', { hasText: '确认删除' }).waitFor();
    await page.locator('#modal-cancel').click();
    expect(callbacks.length).toBe(before);
  });

  it('keeps a form with an empty required field on the card, then submits every field in one callback', async () => {
    const form = card.locator('.form');
    const before = callbacks.length;
    await form.getByRole('button', { name: '提交表单' }).click();
    await form.getByText('有必填项未填写').waitFor();
    expect(callbacks.length).toBe(before);

    await form.locator('input[name="title"]').fill('乡村振兴经验');
    await form.locator('textarea[name="brief"]').fill('第一行\n第二行');
    await form.locator('select[name="unit"]').selectOption({ label: '柳溪乡' });
    await form.getByRole('button', { name: '青石镇' }).click();
    await form.getByRole('button', { name: '城关镇' }).click();
    await form.locator('input[name="day"]').fill('2026-11-05');
    await form.locator('input[name="time"]').fill('09:30');
    await form.locator('input[name="at"]').fill('2026-11-05T18:00');
    await shot(page, '10-card-form-filled');
    await form.getByRole('button', { name: '提交表单' }).click();
    // The bot does not know this demo action: its answer proves the signed callback got through.
    await page.locator('.toast-error', { hasText: '这张卡片已失效' }).waitFor();
    expect(callbacks.slice(before)).toEqual([
      expect.objectContaining({
        tag: 'button',
        name: 'form_submit',
        value: { a: 'demo.form' },
        form_value: {
          title: '乡村振兴经验',
          brief: '第一行\n第二行',
          unit: '3',
          units: ['2', '1'],
          day: '2026-11-05 +0800',
          time: '09:30 +0800',
          at: '2026-11-05 18:00 +0800',
        },
      }),
    ]);
  });

  it('pages a table, opens a collapsed panel and draws both charts as bars', async () => {
    const table = card.locator('.el-table');
    expect(await table.locator('thead th').allTextContents()).toEqual(['单位', '得分', '状态', '日期']);
    expect(await table.locator('tbody tr').count()).toBe(5);
    expect(await table.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['城关镇', '10.0', '已通过', '2026-11-02']);
    await table.getByRole('button', { name: '›' }).click();
    expect(await table.locator('tbody tr td').first().textContent()).toBe('县卫健局');
    expect(await table.locator('.table-nav').textContent()).toContain('2 / 2');

    const panel = card.locator('details.panel');
    expect(await panel.getByText('这里是折叠面板里的全文。').isVisible()).toBe(false);
    await panel.locator('summary').click();
    expect(await panel.getByText('这里是折叠面板里的全文。').isVisible()).toBe(true);

    const [columns, bars] = [card.locator('.chart').nth(0), card.locator('.chart').nth(1)];
    expect(await columns.locator('.chart-title').textContent()).toBe('本月得分');
    expect(await columns.locator('.chart-v .chart-label').allTextContents()).toEqual(['城关镇', '青石镇', '柳溪乡', '东湖街道']);
    expect(await columns.locator('.chart-value').allTextContents()).toEqual(['16', '12', '8', '4']);
    const heights = await columns.locator('.chart-fill').evaluateAll((els) => els.map((e) => (e as unknown as { offsetHeight: number }).offsetHeight));
    expect(heights[0]).toBeGreaterThan(heights[3]! * 3);
    expect(await bars.locator('.chart-h .chart-group').count()).toBe(2);
    expect(await bars.locator('.chart-legend').textContent()).toBe('报送通过');
    expect(await card.locator('.person-list').textContent()).toBe('刘晓燕张建国');
    await card.scrollIntoViewIfNeeded();
    await shot(page, '11-card-components');
  });

  it('fits the same card in a phone-width window', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 }, errors);
    await phone.goto(`${s.url}/#as=${OFFICER}&chat=p2p`);
    await phone.locator('body.ready').waitFor();
    const c = phone.locator('.card', { hasText: '组件展示卡片' }).last();
    await c.locator('.card-header').scrollIntoViewIfNeeded();
    const box = (await c.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await shot(phone, '12-card-phone');
    await phone.context().close();
  });

  it('ran without script errors or requests leaving the machine', () => {
    expect(errors).toEqual([]);
  });
});
