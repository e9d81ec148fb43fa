import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BotProcess } from './helpers/bot-process.js';
import { consoleSession } from './helpers/console-session.js';
import { postgresRun } from '../helpers/test-db.js';
import { hasChromium, NO_CHROMIUM, openPage, shot } from './helpers/chromium.js';

if (!hasChromium) console.warn(NO_CHROMIUM);

const OFFICER = 'ou_demo_off_liu'; // 刘晓燕, 城关镇
const REVIEWER = 'ou_demo_rev_zhang'; // 张建国, 城关镇
const EDITOR = 'ou_demo_editor_lin'; // 林静, 研究室
const TITLE = '城关镇开办“红色夜校”提升党员学习实效';
const DRAFT = [
  TITLE,
  '今年以来，城关镇在各村（社区）开办“红色夜校”，利用农闲和晚间时间组织党员集中学习，全镇累计开课96期。',
  '夜校采取“书记讲政策、能人讲技术、党员讲体会”的方式，参学党员和群众达3200余人次。',
  '下一步，城关镇将把夜校与产业培训结合起来，让党员学有所获、学有所用。',
].join('\n\n');

/**
 * The bot's clock: mid-month, so the month of demo history behind it holds adoptions and points in
 * the current month whatever day the suite runs (calendar edges: tests/local/demo-history.test.ts).
 */
const NOW = new Date('2026-10-20T10:00:00+08:00');

const DOCX_TITLE = '城关镇“四下基层”常态化解决群众急难愁盼';
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A small Word draft: a title and two paragraphs, as officers write them. */
function wordFile(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: DOCX_TITLE, heading: HeadingLevel.TITLE }),
          new Paragraph('城关镇推动领导干部宣传党的路线方针政策下基层、调查研究下基层、信访接待下基层、现场办公下基层，今年以来累计走访群众2100余户。'),
          new Paragraph('镇党委建立问题清单、责任清单、销号清单，收集的186个问题已解决171个，群众满意度明显提升。'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * The console in a real browser against `npm start` in local mode (first start: demo roster and
 * history): an officer submits a draft, the reviewer approves it from the card, the officer sees the
 * result, the editor opens 排行. Screenshots go to test-artifacts/local-console/. The bot runs on an
 * embedded database of its own whatever DATABASE_URL says (postgresRun).
 */
describe.skipIf(!hasChromium || postgresRun)('the local console in Chromium', () => {
  const session = consoleSession('gaojian-browser-', NOW);
  const { errors, as } = session;
  let bot: BotProcess;
  let browser: Browser;
  let page: Page;
  beforeAll(() => void ({ bot, browser, page } = session));

  /** The newest card in the open chat that shows all these texts. */
  const card = (...texts: string[]): Locator => {
    let l = page.locator('#timeline .msg.from-bot .card');
    for (const t of texts) l = l.filter({ hasText: t });
    return l.last();
  };

  /** A message row, by id: it survives the card being re-rendered in place. */
  const row = async (l: Locator): Promise<Locator> => {
    const id = await l.locator('xpath=ancestor::div[@data-message-id][1]').getAttribute('data-message-id');
    expect(id).toMatch(/^om_/);
    return page.locator(`[data-message-id="${id}"] .card`);
  };

  it('the officer sends a draft and submits it from the confirm card', async () => {
    await as(OFFICER);
    expect(await page.locator('.quick.active .quick-name').textContent()).toBe('刘晓燕');
    await expect.poll(() => page.locator('#whoami').textContent()).toBe('当前：刘晓燕（城关镇信息员（专职））');
    // The month of demo history is there on first start.
    expect(await page.locator('#timeline .msg').count()).toBeGreaterThan(10);

    await page.locator('#input').fill(DRAFT);
    await page.getByRole('button', { name: '发送' }).click();
    const confirm = card('确认提交审核', TITLE);
    await confirm.waitFor();
    expect(await confirm.locator('select').first().inputValue()).toBe('组工信息');
    await shot(page, '01-officer-confirm-card');

    const confirmRow = await row(confirm);
    await confirm.getByRole('button', { name: '提交审核' }).click();
    await page.locator('.toast-success').filter({ hasText: '已提交' }).waitFor();
    const receipt = card('稿件回执', TITLE);
    await receipt.waitFor();
    expect(await receipt.textContent()).toContain('待审核');
    expect(await receipt.textContent()).toContain('待 张建国 审核');
    // The callback's answer replaced the confirm card in place: no second submit is possible.
    await expect.poll(() => confirmRow.textContent()).toContain('已提交');
    expect(await confirmRow.getByRole('button', { name: '提交审核' }).count()).toBe(0);
    await shot(page, '02-officer-submitted');
  });

  it('the reviewer opens the review card and approves', async () => {
    await as(REVIEWER);
    const review = card('稿件审核', TITLE);
    await review.waitFor();
    await review.scrollIntoViewIfNeeded();
    expect(await review.textContent()).toContain('城关镇 · 刘晓燕 · 第1稿');
    // The full text sits in a collapsed panel, as on the Lark card.
    const panel = review.locator('details.panel');
    expect(await panel.getAttribute('open')).toBeNull();
    await panel.locator('summary').click();
    await panel.getByText('下一步，城关镇将把夜校与产业培训结合起来').waitFor();
    await shot(page, '03-reviewer-review-card');

    const reviewRow = await row(review);
    await review.getByRole('button', { name: '通过' }).click();
    await page.locator('.toast-success').first().waitFor();
    await expect.poll(() => reviewRow.textContent()).toContain('已审核通过');
    expect(await reviewRow.getByRole('button', { name: '通过' }).count()).toBe(0);
    await shot(page, '04-reviewer-approved');
  });

  it('the officer sees the result: the receipt updated in place and a notice', async () => {
    await as(OFFICER);
    const receipt = card('稿件回执', TITLE);
    await receipt.waitFor();
    expect(await receipt.textContent()).toContain('已报研究室');
    expect(await receipt.textContent()).not.toContain('待审核');
    const notice = card('已通过审核', TITLE);
    await notice.waitFor();
    expect(await notice.textContent()).toContain('张建国');
    await notice.scrollIntoViewIfNeeded();
    await shot(page, '05-officer-result');
  });

  it('the editor opens 排行: totals, a bar chart and the table', async () => {
    await as(EDITOR);
    await page.locator('.shortcut', { hasText: '排行' }).click();
    // The month of the bot's clock, not of the day the suite runs.
    const ranking = card('2026年10月信息工作排行');
    await ranking.waitFor();
    const bars = ranking.locator('.chart .chart-bar');
    expect(await bars.count()).toBeGreaterThan(0);
    const labels = await ranking.locator('.chart-label').allTextContents();
    expect(labels.every((l) => ['城关镇', '青石镇', '柳溪乡', '东湖街道', '县教育局'].includes(l))).toBe(true);
    const header = await ranking.locator('table.card-table thead').textContent();
    expect(header).toContain('单位');
    expect(await ranking.locator('table.card-table tbody tr').count()).toBe(5);
    await ranking.scrollIntoViewIfNeeded();
    await shot(page, '06-editor-ranking');
  });

  it('an attached Word file reaches the bot as a file message and comes back as a draft to confirm', async () => {
    await as(OFFICER);
    await page.locator('#file').setInputFiles({ name: `${DOCX_TITLE}.docx`, mimeType: DOCX_MIME, buffer: await wordFile() });
    const confirm = card('确认提交审核', DOCX_TITLE);
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(`${DOCX_TITLE}.docx`);
    expect(await page.locator('.msg.mine .file-name').last().textContent()).toBe(`${DOCX_TITLE}.docx`);
    await shot(page, '07-officer-word-file');
    const confirmRow = await row(confirm);
    await confirm.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => confirmRow.getByRole('button', { name: '提交审核' }).count()).toBe(0);
  });

  it('fits a phone-width window, and the work group shows the month', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 }, errors);
    await phone.goto(`${bot.url}/#as=${OFFICER}&chat=p2p`);
    await phone.locator('body.ready').waitFor();
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await phone.locator('#timeline .card').last().boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await shot(phone, '08-phone-officer');

    await phone.locator('.chat-item[data-chat="group"]').click();
    await expect.poll(() => phone.locator('#chat-title').textContent()).toBe('青山县委组织部工作群');
    // The topic of the first week is there, days before today.
    await phone.locator('#timeline .card', { hasText: '基层党组织在乡村振兴中的作用' }).first().waitFor();
    expect(await phone.locator('#timeline .day').count()).toBeGreaterThanOrEqual(2);
    await shot(phone, '09-phone-group');
    await phone.context().close();
  });

  it('ran without script errors or requests leaving the machine', () => {
    expect(errors).toEqual([]);
  });
});
