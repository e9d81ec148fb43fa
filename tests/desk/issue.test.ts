import { afterEach, describe, expect, it } from 'vitest';
import mammoth from 'mammoth';
import { asc, eq } from 'drizzle-orm';
import { auditLog, blobs, bulletinIssues } from '../../db/schema/index.js';
import { cardText, findButton, Harness, hasButton, P } from '../helpers/harness.js';
import { adoptAll, approvedDraft, ask, expectAllCardsValid, signIssue, tap, type CardMsg } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function openIssueCard(h: Harness, args = ''): Promise<CardMsg> {
  return ask(h, P.editor, `本期信息${args ? ` ${args}` : ''}`);
}

describe('numbered issues: order, publish, export', { timeout: 180_000 }, () => {
  it('publishing fixes the date, tells the officers and reviewers of each unit in it, and the next adoption opens the next number', async () => {
    h = await Harness.start({ start: '2026-11-20T01:00:00Z' });
    await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');
    await approvedDraft(h, P.officer2, '城关镇开展党员冬训');
    await adoptAll(h, ['城关镇网格化治理见成效', '东街街道党建引领物业管理', '城关镇开展党员冬训']);

    let issue = await openIssueCard(h);
    expect(cardText(issue.content)).toContain('《XX组工信息》2026年第1期');
    // Move the third item up to second place.
    const elements = (issue.content as { body: { elements: Record<string, unknown>[] } }).body.elements;
    const third = elements.findIndex((e) => String(e.content ?? '').includes('3. 《城关镇开展党员冬训》'));
    issue = (await tap(h, P.editor, issue, findButton(elements[third + 1], '上移'))).card;
    const order = cardText(issue.content);
    expect(order.indexOf('2. 《城关镇开展党员冬训》')).toBeGreaterThan(-1);
    expect(order.indexOf('3. 《东街街道党建引领物业管理》')).toBeGreaterThan(-1);

    // Only a signed issue is published, and only by an editor.
    expect(hasButton(issue.content, '印发')).toBe(false);
    issue = await signIssue(h);
    // On a card the leader holds privately (the 送审 preview; the .docx may arrive after it).
    const denied = await h.click(P.leader, h.lastCardTo(P.leader).messageId, findButton(issue.content, '印发'));
    expect(denied.toast).toEqual({ type: 'error', content: '只有研究室可以印发本期信息。' });
    expect((await h.db.db.select().from(bulletinIssues))[0]!.status).toBe('open');

    h.clock.set('2026-11-21T02:00:00Z');
    const published = await tap(h, P.editor, issue, findButton(issue.content, '印发'));
    // 城关镇: officer1, officer2, reviewer1; 东街街道: officer3, reviewer2, reviewer3.
    expect(published.res.toast).toEqual({ type: 'success', content: '2026年第1期已印发，已通知 6 人' });
    expect(cardText(published.card.content)).toContain('2026年11月21日 印发 · 共 3 条');
    const [row] = await h.db.db.select().from(bulletinIssues);
    expect(row).toMatchObject({ status: 'published', publishedBy: P.editor });
    expect(row!.publishedAt!.toISOString()).toBe('2026-11-21T02:00:00.000Z');
    const audit = await h.db.db.select().from(auditLog).where(eq(auditLog.entityType, 'bulletin_issue')).orderBy(asc(auditLog.id));
    expect(audit.map((a) => a.action)).toEqual(['issue.open', 'issue.submit', 'issue.sign', 'issue.publish']);

    for (const who of [P.officer1, P.officer2, P.reviewer1]) {
      expect(h.textsTo(who).at(-1)).toBe('《XX组工信息》2026年第1期已于2026年11月21日印发。\n城关镇入选 2 篇：《城关镇网格化治理见成效》、《城关镇开展党员冬训》');
    }
    for (const who of [P.officer3, P.reviewer2, P.reviewer3]) {
      expect(h.textsTo(who).at(-1)).toBe('《XX组工信息》2026年第1期已于2026年11月21日印发。\n东街街道入选 1 篇：《东街街道党建引领物业管理》');
    }
    expect(h.textsTo(P.leader)).toHaveLength(0);

    // Publishing twice is refused; the published issue no longer moves.
    const again = await h.click(P.editor, issue.messageId, findButton(issue.content, '印发'));
    expect(again.toast).toEqual({ type: 'error', content: '2026年第1期已印发，不能再修改。' });

    await approvedDraft(h, P.officer1, '城关镇新一期稿件');
    await adoptAll(h, ['城关镇新一期稿件']);
    const issues = await h.db.db.select().from(bulletinIssues).orderBy(asc(bulletinIssues.number));
    expect(issues.map((i) => [i.year, i.number, i.status])).toEqual([
      [2026, 1, 'published'],
      [2026, 2, 'open'],
    ]);
    expectAllCardsValid(h);
  });

  it('an empty issue cannot be sent for signing or published; 开启下一期 opens one explicitly', async () => {
    h = await Harness.start();
    const none = await openIssueCard(h);
    expect(cardText(none.content)).toContain('当前没有正在编辑的一期信息');
    const opened = await tap(h, P.editor, none, findButton(none.content, '开启下一期'));
    expect(opened.res.toast?.content).toBe('已开启2026年第1期');
    expect(hasButton(opened.card.content, '送审')).toBe(false);
    expect(hasButton(opened.card.content, '印发')).toBe(false);
    const [row] = await h.db.db.select().from(bulletinIssues);
    const submit = await h.click(P.editor, none.messageId, { a: 'issue.submit', issue: row!.id });
    expect(submit.toast).toEqual({ type: 'error', content: '本期还没有稿件，不能送审。' });
    const publish = await h.click(P.editor, none.messageId, { a: 'issue.publish', issue: row!.id });
    expect(publish.toast).toEqual({ type: 'error', content: '2026年第1期尚未签发，不能印发。请先送审，部领导签发后再印发。' });
  });

  it('导出信息 sends a .docx laid out like the bulletin: masthead, then the items in order', async () => {
    h = await Harness.start({ start: '2026-11-20T01:00:00Z' });
    await approvedDraft(h, P.officer1, '城关镇网格化治理见成效', { body: ['城关镇把全镇划分为四十个网格，每个网格配备一名专职网格员和两名兼职网格员。', '网格员每周走访群众，及时收集和化解矛盾纠纷，群众满意度明显提升。'] });
    await approvedDraft(h, P.officer3, '东街街道党建引领物业管理', { body: ['东街街道成立红色物业联盟，推动小区党支部、业委会和物业企业三方联动。', '小区党支部牵头解决停车难、加装电梯等群众急难愁盼问题二十余件。'] });
    await adoptAll(h, ['东街街道党建引领物业管理', '城关镇网格化治理见成效']);
    const issue = await signIssue(h);
    h.clock.set('2026-11-23T02:00:00Z');
    await tap(h, P.editor, issue, findButton(issue.content, '印发'));

    // Only editors and leaders may export; the reviewer is refused.
    await h.sendText(P.reviewer1, '导出信息 2026-1');
    await h.settle();
    expect(h.textsTo(P.reviewer1).at(-1)).toBe('只有研究室和部领导可以导出信息。');

    await h.sendText(P.editor, '导出信息 2026-1');
    await h.settle();
    const fileMsg = h.sentTo(P.editor).filter((m) => m.msgType === 'file').at(-1);
    expect(fileMsg).toBeDefined();
    const upload = h.fake.uploadedFiles.at(-1)!;
    expect(upload.fileName).toBe('XX组工信息2026年第1期.docx');
    expect(upload.fileType).toBe('doc');
    // The bytes are kept content-addressed in blobs.
    const stored = await h.db.db.select().from(blobs);
    expect(stored.some((b) => Buffer.from(b.bytes).equals(upload.bytes))).toBe(true);

    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(upload.bytes) });
    const paragraphs = value.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(paragraphs.slice(0, 4)).toEqual(['XX组工信息', '2026年第1期', 'XX县委组织部\t2026年11月23日', '签发人：李部长']);
    expect(paragraphs.slice(4, -3)).toEqual([
      '东街街道党建引领物业管理',
      '（东街街道）',
      '东街街道成立红色物业联盟，推动小区党支部、业委会和物业企业三方联动。',
      '小区党支部牵头解决停车难、加装电梯等群众急难愁盼问题二十余件。',
      '城关镇网格化治理见成效',
      '（城关镇）',
      '城关镇把全镇划分为四十个网格，每个网格配备一名专职网格员和两名兼职网格员。',
      '网格员每周走访群众，及时收集和化解矛盾纠纷，群众满意度明显提升。',
    ]);

    // The forms people type: with the year in words, within this year by number only, the old name.
    for (const asked of ['导出信息 2026年第1期', '导出信息 第1期', '导出信息 1', '导出期刊 2026-1']) {
      const before = h.fake.uploadedFiles.length;
      await h.sendText(P.editor, asked);
      await h.settle();
      expect(h.fake.uploadedFiles.length, asked).toBe(before + 1);
      expect(h.fake.uploadedFiles.at(-1)!.fileName).toBe('XX组工信息2026年第1期.docx');
    }

    // One that does not exist: the existing ones are listed.
    await h.sendText(P.editor, '导出信息 第9期');
    await h.settle();
    expect(h.textsTo(P.editor).at(-1)).toBe('没有2026年第9期。现有：2026年第1期。');
    await h.sendText(P.editor, '本期信息 2025年第3期');
    await h.settle();
    expect(h.textsTo(P.editor).at(-1)).toBe('没有2025年第3期。现有：2026年第1期。');
  });
});
