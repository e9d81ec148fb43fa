import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleSession } from './helpers/console-session.js';
import { postgresRun } from '../helpers/test-db.js';
import { hasChromium, NO_CHROMIUM, shot } from './helpers/chromium.js';

if (!hasChromium) console.warn(NO_CHROMIUM);

const EDITOR = 'ou_demo_editor_lin'; // 林静, 研究室
const LEADER = 'ou_demo_leader_huang'; // 黄振华, 部领导 and the issues' signer
const COMMENT = '第1条标题再精炼一些，编者按请核实数据。';

/** As in console.browser.test.ts: mid-month, with a month of demo history behind it. */
const NOW = new Date('2026-10-20T10:00:00+08:00');

/**
 * A visitor plays 部领导 and 研究室 in the local console, on what the demo leaves for today: the third
 * issue waiting for 签发 and September's 月通报 waiting for 审定. The leader returns the issue with a
 * comment (退回修改), the editor reads it and sends the issue again (送审), the leader signs (签发),
 * the editor publishes it (印发) and approves the bulletin (审定发布), which then reaches the group.
 */
describe.skipIf(!hasChromium || postgresRun)('签发 and 审定 in the local console', () => {
  const session = consoleSession('gaojian-signoff-', NOW);
  const { errors, as } = session;
  let page: Page;
  beforeAll(() => void ({ page } = session));

  const cards = () => page.locator('#timeline .msg.from-bot .card');
  /** The newest card in the open chat with these texts and, if given, this button. */
  const card = (texts: string[], buttonName?: string): Locator => {
    let l = cards();
    for (const t of texts) l = l.filter({ hasText: t });
    if (buttonName) l = l.filter({ has: page.getByRole('button', { name: buttonName, exact: true }) });
    return l.last();
  };
  /** A message row by id: it survives the card being re-rendered in place. */
  const row = async (l: Locator): Promise<Locator> => {
    const id = await l.locator('xpath=ancestor::div[@data-message-id][1]').getAttribute('data-message-id');
    expect(id).toMatch(/^om_/);
    return page.locator(`[data-message-id="${id}"] .card`);
  };
  async function say(text: string) {
    await page.locator('#input').fill(text);
    await page.locator('#send').click();
  }
  /** Taps a button that asks for confirmation first, and confirms. */
  async function tapConfirmed(l: Locator, name: string) {
    await l.getByRole('button', { name, exact: true }).click();
    await page.locator('#modal:not([hidden])').waitFor();
    await page.locator('#modal-ok').click();
  }

  it('部领导 returns the issue waiting for 签发, with a comment', async () => {
    await as(LEADER);
    const preview = card(['本期信息送审签发'], '签发');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('目录');
    const previewRow = await row(preview);
    await preview.scrollIntoViewIfNeeded();
    await preview.locator('textarea').fill(COMMENT);
    await preview.getByRole('button', { name: '退回修改', exact: true }).click();
    await page.locator('.toast-success').first().waitFor();
    await expect.poll(() => previewRow.textContent()).toContain('已退回修改');
    expect(await previewRow.textContent()).toContain(COMMENT);
    expect(await previewRow.getByRole('button', { name: '签发', exact: true }).count()).toBe(0);
    await shot(page, 'signoff-01-leader-returned');
  });

  it('研究室 reads the comment and sends the issue again', async () => {
    await as(EDITOR);
    await page.locator('#timeline .msg.from-bot').filter({ hasText: COMMENT }).last().waitFor();
    await say('本期信息');
    const issue = card(['期'], '送审');
    await issue.waitFor();
    await issue.getByRole('button', { name: '送审', exact: true }).click();
    await page.locator('.toast-success').first().waitFor();
    await shot(page, 'signoff-02-editor-resubmitted');
  });

  it('部领导 signs the new preview; the returned one stays closed', async () => {
    await as(LEADER);
    const preview = card(['本期信息送审签发'], '签发');
    await preview.waitFor();
    const previewRow = await row(preview);
    await tapConfirmed(preview, '签发');
    await page.locator('.toast-success').first().waitFor();
    await expect.poll(() => previewRow.textContent()).toContain('已签发');
    expect(await cards().filter({ has: page.getByRole('button', { name: '签发', exact: true }) }).count()).toBe(0);
    await shot(page, 'signoff-03-leader-signed');
  });

  it('研究室 publishes the signed issue (印发)', async () => {
    await as(EDITOR);
    await say('本期信息');
    const issue = card(['期'], '印发');
    await issue.waitFor();
    await tapConfirmed(issue, '印发');
    await page.locator('.toast-success').first().waitFor();
    await shot(page, 'signoff-04-editor-published');
    // The leader receives the published issue's contents privately.
    await as(LEADER);
    await card(['已印发']).waitFor();
  });

  it('研究室 approves the 月通报 waiting for 审定, which then reaches the work group once', async () => {
    await as(EDITOR);
    const approval = card(['2026年9月信息工作'], '审定发布');
    await approval.waitFor();
    const approvalRow = await row(approval);
    await approval.scrollIntoViewIfNeeded();
    await approval.locator('textarea').fill('九月各单位报送积极，请零报送单位抓紧。');
    await approval.getByRole('button', { name: '保存点评', exact: true }).click();
    await page.locator('.toast-success').first().waitFor();
    await tapConfirmed(await row(approval), '审定发布');
    await expect.poll(() => approvalRow.textContent()).toContain('已审定发布');
    await shot(page, 'signoff-05-editor-approved-bulletin');

    await as(EDITOR, 'group');
    const posted = cards().filter({ hasText: '2026年9月信息工作' });
    await posted.first().waitFor();
    expect(await posted.count()).toBe(1);
    expect(await posted.first().textContent()).toContain('九月各单位报送积极');
    await shot(page, 'signoff-06-group-bulletin');
  });

  it('ran without script errors or requests leaving the machine', () => {
    expect(errors).toEqual([]);
  });
});
