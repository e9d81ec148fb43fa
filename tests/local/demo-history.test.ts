import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFeatures } from '../../commands/index.js';
import type { ChatEntry } from '../../emulator/console/transcript.js';
import { cardPlainText } from '../../demo/card-read.js';
import { DRAFTS } from '../../demo/drafts.js';
import type { HistorySummary } from '../../demo/history.js';
import { TestClock } from '../helpers/clock.js';
import { startLocalStack, waitFor, type LocalStack } from './helpers/local-stack.js';

/**
 * History ending in the first minute of 2027 in Shanghai, with the bot's clock there too: every step
 * falls in December 2026, and "this month" and "this year" have just begun, the day of the calendar
 * a demo must still make sense on.
 */
const END = new Date('2027-01-01T00:00:30+08:00');

describe('the demo history', () => {
  let s: LocalStack;
  let summary: HistorySummary;
  beforeAll(async () => {
    const started = Date.now();
    s = await startLocalStack({ demo: 'full', demoEnd: END, clock: new TestClock(END) });
    summary = s.local.seedSummary!;
    console.log(`demo history: ${summary.steps} steps in ${Date.now() - started} ms; skipped: ${JSON.stringify(summary.skipped)}`);
  }, 300_000);
  afterAll(() => s?.stop());

  async function ask(as: string, text: string, pick: (e: ChatEntry) => boolean): Promise<string> {
    const before = new Set(s.local.transcript.entries().map((e) => e.messageId));
    const res = await s.consoleFetch('/console/api/send', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ as, chat: 'p2p', text }) });
    expect(res.status).toBe(200);
    const reply = await waitFor(() => s.local.transcript.entries().find((e) => !before.has(e.messageId) && e.from === 'bot' && e.p2pUser === as && pick(e)), `the answer to ${text}`);
    return cardPlainText(reply.content) + JSON.stringify(reply.content);
  }

  it('takes every step the present features offer', () => {
    const present = allFeatures().map((f) => f.name);
    const why = (skip: HistorySummary['skipped'][number]) => `${skip.step}：${skip.reason}\nbot: ${summary.botWarnings.join('\n')}`;
    for (const skip of summary.skipped) expect(present, why(skip)).not.toContain(skip.feature);
    expect(summary.steps).toBeGreaterThanOrEqual(25);
  });

  it('leaves chats dated across the month, with review cards still waiting for today', () => {
    const times = s.local.transcript.entries().map((e) => e.createTime);
    expect(Math.min(...times)).toBeLessThan(new Date('2026-12-04T00:00:00+08:00').getTime());
    expect(Math.max(...times)).toBeLessThanOrEqual(END.getTime());
    const waiting = s.local.transcript
      .entries()
      .filter((e) => e.p2pUser === 'ou_demo_rev_zhang' && e.msgType === 'interactive' && cardPlainText(e.content).includes(DRAFTS.cgPending.title));
    expect(waiting).toHaveLength(1);
    expect(JSON.stringify(waiting[0]!.content)).toContain('"通过"');
  });

  it('counts December by hand: 14 drafts submitted (one withdrawn is not), 10 passed review', async () => {
    // The editor may meanwhile get a bulletin to 审定 (the scheduler catches up a month since the
    // demo's end): the answer is the ranking card, not that one.
    const text = await ask('ou_demo_editor_lin', '排行 2026-12', (e) => e.msgType === 'interactive' && !JSON.stringify(e.content).includes('bulletin.approve'));
    expect(text).toMatch(/送审\s*\**14\**\s*篇/);
    expect(text).toMatch(/报送\s*\**10\**\s*篇/);
    // Every unit sent something: nobody is named for zero submissions.
    expect(cardPlainText(JSON.parse(text.slice(text.indexOf('{'))))).not.toMatch(/零报送（\d+ 个单位）：\S/);
  });

  it('answers 排行 in the first minute of the year with the new month: no points yet, every unit named once', async () => {
    const text = await ask('ou_demo_editor_lin', '排行', (e) => e.msgType === 'interactive');
    const card = JSON.parse(text.slice(text.indexOf('{')));
    expect(cardPlainText(card)).toContain('2027年1月信息工作排行');
    expect(cardPlainText(card)).toContain('本月暂无单位得分');
    expect(cardPlainText(card)).toMatch(/零报送（5 个单位）/);
    // The year so far is the same minute: nothing carried over from 2026.
    const year = await ask('ou_demo_editor_lin', '排行 2027', (e) => e.msgType === 'interactive' && cardPlainText(e.content).includes('2027年信息工作排行'));
    expect(year).toMatch(/送审\s*\**0\**\s*篇/);
    const last = await ask('ou_demo_editor_lin', '排行 2026', (e) => e.msgType === 'interactive' && cardPlainText(e.content).includes('2026年信息工作排行'));
    expect(last).toMatch(/送审\s*\**14\**\s*篇/);
  });

  it('shows the officer her drafts and the reviewer the draft waiting for him', async () => {
    const mine = await ask('ou_demo_off_liu', '我的稿件', (e) => e.msgType === 'interactive');
    for (const d of [DRAFTS.cgTopic, DRAFTS.cgCadre, DRAFTS.cgPending]) expect(mine).toContain(d.title);
    const pending = await ask('ou_demo_rev_zhang', '待审', (e) => e.msgType === 'interactive');
    expect(pending).toContain(DRAFTS.cgPending.title);
    expect(pending).not.toContain(DRAFTS.cgCadre.title);
  });
});
