import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import mammoth from 'mammoth';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { asc, eq } from 'drizzle-orm';
import { auditLog, bulletinIssues, bulletinItems, bulletinItemSources, bulletinItemVersions, draftRevisions, recognitions } from '../../db/schema/index.js';
import { messageEvent } from '../../emulator/lark-events.js';
import { cardText, findButton, GROUP, Harness, hasButton, P } from '../helpers/harness.js';
import { adoptAll, approvedDraft, ask, BODY, expectAllCardsValid, openDesk, rowButton, tap, type CardMsg } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The editor replies to a card with text, as Lark delivers a reply (parent_id set). */
async function replyText(h: Harness, from: string, parent: string, text: string) {
  const messageId = `om_${randomBytes(12).toString('hex')}`;
  await h.post(messageEvent({ ...h.envelope(from, messageId), messageType: 'text', content: { text }, parentId: parent }));
  await h.settle();
}

async function replyFile(h: Harness, from: string, parent: string, fileName: string, bytes: Buffer) {
  const messageId = `om_${randomBytes(12).toString('hex')}`;
  const fileKey = `file_v3_${randomBytes(8).toString('hex')}`;
  h.fake.addMessageResource({ messageId, fileKey, bytes, fileName, type: 'file' } as never);
  await h.post(messageEvent({ ...h.envelope(from, messageId), messageType: 'file', content: { file_key: fileKey, file_name: fileName }, parentId: parent }));
  await h.settle();
}

async function wordFile(paragraphs: string[]): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] })) }] });
  return Packer.toBuffer(doc);
}

async function docxParagraphs(bytes: Buffer): Promise<string[]> {
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return value.split('\n').map((l) => l.trim()).filter(Boolean);
}

const lastText = (h: Harness, who: string) => h.textsTo(who).at(-1);

/** The 编审 card of an issue row, sent to the editor by tapping 编审 on the issue card. */
async function editCardOf(h: Harness, issue: CardMsg, title: string): Promise<CardMsg> {
  const r = await h.click(P.editor, issue.messageId, rowButton(issue.content, title, '编审'));
  expect(r.toast).toEqual({ type: 'info', content: '已发送编审卡片' });
  await h.settle();
  const card = h.lastCardTo(P.editor);
  expect(cardText(card.content)).toContain('编审 · 2026年第1期');
  return card;
}

const EDITED_BODY = [
  BODY[0],
  '一是抓班子建设，促责任落实。每月召开党建工作专题会议，压实村（社区）党组织书记抓党建第一责任。',
  BODY[2],
].join('\n');

describe('编审, 送审, 签发, 印发', { timeout: 180_000 }, () => {
  it('the whole chain: read in full, edit by form and by .docx, 送审, 退回修改, edit, 送审, 签发, 印发, and the .docx read back', async () => {
    h = await Harness.start({ start: '2026-11-20T01:00:00Z' });
    const d1 = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    const d2 = await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');

    // Read before deciding: 全文 on the desk sends the whole draft with its history.
    const desk = await openDesk(h);
    const full = await h.click(P.editor, desk.messageId, rowButton(desk.content, '城关镇网格化治理见成效', '全文'));
    expect(full.toast).toEqual({ type: 'info', content: `已发送 ${d1.serial} 全文` });
    await h.settle();
    const fullText = cardText(h.lastCardTo(P.editor).content);
    for (const p of BODY) expect(fullText).toContain(p);
    expect(fullText).toContain('审核通过（第1稿）');
    expect(fullText).toContain('张委员');

    // 查看: the author, the unit's reviewer, editors and leaders; nobody else.
    expect(cardText((await ask(h, P.reviewer1, `查看 ${d1.serial}`)).content)).toContain(BODY[2]);
    expect(cardText((await ask(h, P.leader, `查看 ${d1.serial}`)).content)).toContain(BODY[1]);
    const refusal = '只有作者本人、本单位组织委员、研究室和部领导可以查看这篇稿件。';
    for (const who of [P.officer2, P.reviewer2, P.officer3]) {
      await h.sendText(who, `查看 ${d1.serial}`);
      await h.settle();
      expect(lastText(h, who)).toBe(refusal);
    }
    // Someone outside the roster is not even told whose drafts these are.
    await h.sendText(P.stranger, `查看 ${d1.serial}`);
    await h.settle();
    expect(lastText(h, P.stranger)).toBe('只有名册中的人员可以查看稿件。');

    await adoptAll(h, ['城关镇网格化治理见成效', '东街街道党建引领物业管理']);
    let issue = await ask(h, P.editor, '期刊');
    expect(cardText(issue.content)).toContain('未送审');
    expect(hasButton(issue.content, '印发')).toBe(false);

    // Edit by the card's form.
    const edit = await editCardOf(h, issue, '城关镇网格化治理见成效');
    const save = findButton(edit.content, '保存修改');
    // Only editors edit.
    const denied = await h.click(P.leader, await h.ownMessage(P.leader), save, { formValue: { title: 'x', body: 'y', note: '' }, name: 'edit_submit' });
    expect(denied.toast).toEqual({ type: 'error', content: '只有研究室可以编审稿件。' });
    const unchanged = await h.click(P.editor, edit.messageId, save, { formValue: { title: '城关镇网格化治理见成效', body: BODY.join('\n'), note: '' }, name: 'edit_submit' });
    expect(unchanged.toast).toEqual({ type: 'error', content: '内容与当前版本相同，没有需要保存的修改。' });
    const saved = await tap(h, P.editor, edit, save, { formValue: { title: '城关镇“网格+党建”提升基层治理效能', body: EDITED_BODY, note: '' }, name: 'edit_submit' });
    expect(saved.res.toast).toEqual({ type: 'success', content: '已保存为第2版，已告知作者和组织委员。' });
    expect(cardText(saved.card.content)).toContain('第2版 · 卡片修改 · 王研究');
    for (const who of [P.officer1, P.reviewer1]) {
      const notice = cardText(h.lastCardTo(who).content);
      expect(notice).toContain('稿件编审通知');
      expect(notice).toContain('与您提交的稿件相比');
      expect(notice).toContain('修改 1 段，标题有改动');
      expect(notice).toContain('定期');
      expect(notice).toContain('每月');
    }
    // The officer's original is untouched; version 1 (as adopted) and 2 are kept.
    const [rev] = await h.db.db.select().from(draftRevisions).where(eq(draftRevisions.draftId, d1.id));
    expect(rev!.body).toBe(BODY.join('\n'));
    // The same card tapped again is a stale base: refused, and the card shows the new text.
    const second = await h.click(P.editor, edit.messageId, save, { formValue: { title: '另一个标题', body: BODY.join('\n'), note: '' }, name: 'edit_submit' });
    expect(second.toast).toEqual({ type: 'error', content: '这一条已被 王研究 修改（现为第2版），您的修改未保存。请在最新内容上重新修改。' });
    expect(cardText(second.card)).toContain('每月召开党建工作专题会议');

    // Edit by replying with a Word file.
    const docxBody = ['城关镇把全镇划分为四十个网格，每个网格配备专职网格员。', '网格党支部每周走访群众，群众满意度明显提升。'];
    await replyFile(h, P.editor, edit.messageId, '修改稿.docx', await wordFile(['城关镇网格化治理见实效', ...docxBody]));
    expect(lastText(h, P.editor)).toBe('《城关镇网格化治理见实效》已保存为第3版，已告知作者和组织委员。');
    // A file that cannot be read changes nothing.
    await replyFile(h, P.editor, edit.messageId, '坏文件.docx', randomBytes(200));
    expect(lastText(h, P.editor)).toMatch(/^编审未保存，原文未作改动。/);
    // An empty reply is refused.
    await replyText(h, P.editor, edit.messageId, '   ');
    let [item1] = await h.db.db.select().from(bulletinItems).where(eq(bulletinItems.title, '城关镇网格化治理见实效'));
    expect(item1).toMatchObject({ version: 3, body: docxBody.join('\n') });
    // 编者按 on the piece, by reply.
    await replyText(h, P.editor, edit.messageId, '编者按：城关镇的做法值得各地借鉴。');
    expect(lastText(h, P.editor)).toBe('《城关镇网格化治理见实效》已保存为第4版。');

    // 编者按 for the whole issue, on the issue card.
    issue = await ask(h, P.editor, '期刊');
    const noted = await tap(h, P.editor, issue, findButton(issue.content, '保存编者按'), { formValue: { note: '本期聚焦基层治理。' }, name: 'note_submit' });
    expect(noted.res.toast).toEqual({ type: 'success', content: '编者按已保存。' });
    issue = noted.card;

    // 印发 before 签发 is refused.
    const [issueRow] = await h.db.db.select().from(bulletinIssues);
    const early = await h.click(P.editor, issue.messageId, { a: 'issue.publish', issue: issueRow!.id });
    expect(early.toast).toEqual({ type: 'error', content: '2026年第1期尚未签发，不能印发。请先送审，部领导签发后再印发。' });

    // 送审: the signer gets the preview and the .docx.
    const notBySigner = await h.click(P.leader, await h.ownMessage(P.leader), findButton(issue.content, '送审'));
    expect(notBySigner.toast).toEqual({ type: 'error', content: '只有研究室可以送审本期信息。' });
    const sent = await tap(h, P.editor, issue, findButton(issue.content, '送审'));
    expect(sent.res.toast).toEqual({ type: 'success', content: '2026年第1期已送 李部长 签发' });
    expect(cardText(sent.card.content)).toContain('等待签发');
    let preview = h.lastCardTo(P.leader);
    const pv = cardText(preview.content);
    expect(pv).toContain('《XX组工信息》2026年第1期');
    expect(pv).toContain('1. 《城关镇网格化治理见实效》');
    expect(pv).toContain('编者按：城关镇的做法值得各地借鉴。');
    expect(pv).toContain('本期聚焦基层治理。');
    expect(pv).toContain('报：市委组织部');
    expect(h.sentTo(P.leader).at(-1)!.msgType).toBe('file');

    // Only the signer signs: the editor, a reviewer and a stranger are refused.
    for (const who of [P.editor, P.reviewer1]) {
      const r = await h.click(who, await h.ownMessage(who), findButton(preview.content, '签发'));
      expect(r.toast).toEqual({ type: 'error', content: '只有部领导可以签发本期信息。' });
    }
    const stranger = await h.click(P.stranger, await h.ownMessage(P.stranger), findButton(preview.content, '签发'));
    expect(stranger.toast).toEqual({ type: 'error', content: '只有部领导可以签发本期信息。' });

    // 退回修改 needs a comment; the editor receives it.
    const noComment = await h.click(P.leader, preview.messageId, findButton(preview.content, '退回修改'), { formValue: { comment: '' }, name: 'return_submit' });
    expect(noComment.toast).toEqual({ type: 'error', content: '请填写修改意见，研究室将据此修改。' });
    const returned = await tap(h, P.leader, preview, findButton(preview.content, '退回修改'), { formValue: { comment: '第2条标题再精炼。' }, name: 'return_submit' });
    expect(returned.res.toast?.content).toBe('已退回修改，意见已发给研究室');
    expect(lastText(h, P.editor)).toBe('2026年第1期被 李部长 退回修改。修改意见：第2条标题再精炼。\n修改后请重新送审。');

    // Edit again, 送审 again.
    issue = await ask(h, P.editor, '期刊');
    expect(cardText(issue.content)).toContain('李部长 退回修改：第2条标题再精炼。');
    const edit2 = await editCardOf(h, issue, '东街街道党建引领物业管理');
    await replyText(h, P.editor, edit2.messageId, ['东街街道红色物业破解小区治理难题', ...BODY].join('\n'));
    expect(lastText(h, P.editor)).toBe('《东街街道红色物业破解小区治理难题》已保存为第2版，已告知作者和组织委员。');
    expect(cardText(h.lastCardTo(P.officer3).content)).toContain('标题有改动');
    issue = await ask(h, P.editor, '期刊');
    await tap(h, P.editor, issue, findButton(issue.content, '送审'));
    preview = h.lastCardTo(P.leader);

    // An edit after 送审 makes the preview outdated: 签发 is refused with what changed, and a fresh preview offered.
    await replyText(h, P.editor, edit2.messageId, '编者按：物业治理是民生大事。');
    const stale = await h.click(P.leader, preview.messageId, findButton(preview.content, '签发'));
    expect(stale.toast?.type).toBe('error');
    expect(stale.toast?.content).toContain('此预览已过期：送审后本期有改动（王研究第2条《东街街道红色物业破解小区治理难题》编审修改）');
    expect(cardText(stale.card)).toContain('物业治理是民生大事');
    const signed = await h.click(P.leader, preview.messageId, findButton(stale.card, '签发'));
    expect(signed.toast).toEqual({ type: 'success', content: '已签发2026年第1期，已告知研究室' });
    await h.settle();
    expect(lastText(h, P.editor)).toBe('2026年第1期已由 李部长 签发，可以印发（发送“本期信息”点“印发”）。');

    // Editing a signed issue voids the signature and says so.
    issue = await ask(h, P.editor, '期刊');
    const voided = await tap(h, P.editor, issue, findButton(issue.content, '保存编者按'), { formValue: { note: '本期聚焦基层治理创新。' }, name: 'note_submit' });
    expect(voided.res.toast).toEqual({ type: 'success', content: '编者按已保存。本期已签发，此次修改使签发作废，印发前需重新送审。' });
    const afterVoid = await h.click(P.editor, issue.messageId, { a: 'issue.publish', issue: issueRow!.id });
    expect(afterVoid.toast).toEqual({ type: 'error', content: '2026年第1期签发后又有修改，签发已作废，请重新送审。' });
    issue = await ask(h, P.editor, '期刊');
    await tap(h, P.editor, issue, findButton(issue.content, '送审'));
    preview = h.lastCardTo(P.leader);
    await tap(h, P.leader, preview, findButton(preview.content, '签发'));

    // 印发: leaders get the contents and the .docx, units as before, the group titles only.
    issue = await ask(h, P.editor, '期刊');
    expect(cardText(issue.content)).toContain('可以印发');
    h.clock.set('2026-11-23T02:00:00Z');
    const published = await tap(h, P.editor, issue, findButton(issue.content, '印发'));
    expect(published.res.toast).toEqual({ type: 'success', content: '2026年第1期已印发，已通知 6 人' });
    expect(lastText(h, P.officer1)).toBe('《XX组工信息》2026年第1期已于2026年11月23日印发。\n城关镇入选 1 篇：《城关镇网格化治理见实效》');
    const groupText = h.textsTo(GROUP).at(-1)!;
    expect(groupText).toBe('《XX组工信息》2026年第1期已于2026年11月23日印发，共 2 条：\n1. 《城关镇网格化治理见实效》（城关镇）\n2. 《东街街道红色物业破解小区治理难题》（东街街道）');
    expect(JSON.stringify(h.sentTo(GROUP))).not.toContain('网格员');
    const leaderCard = h.cardsTo(P.leader).at(-1)!;
    expect(cardText(leaderCard.content)).toContain('2026年第1期已印发');
    expect(hasButton(leaderCard.content, '批示')).toBe(true);

    // The .docx the leader received holds exactly the stored text, the notes, the distribution and the signer.
    const upload = h.fake.uploadedFiles.at(-1)!;
    expect(upload.fileName).toBe('XX组工信息2026年第1期.docx');
    const paragraphs = await docxParagraphs(upload.bytes);
    const items = await h.db.db.select().from(bulletinItems).orderBy(asc(bulletinItems.position));
    expect(paragraphs).toEqual([
      'XX组工信息',
      '2026年第1期',
      'XX县委组织部\t2026年11月23日',
      '签发人：李部长',
      '编者按：本期聚焦基层治理创新。',
      items[0]!.title,
      '（城关镇）',
      '编者按：城关镇的做法值得各地借鉴。',
      ...items[0]!.body.split('\n'),
      items[1]!.title,
      '（东街街道）',
      '编者按：物业治理是民生大事。',
      ...items[1]!.body.split('\n'),
      '报：市委组织部',
      '送：县委常委',
      '发：各乡镇（街道）党（工）委，县直各单位党组织',
    ]);

    // A published issue can no longer be edited, by reply or by form.
    await replyText(h, P.editor, edit.messageId, ['新标题', '新正文。'].join('\n'));
    expect(lastText(h, P.editor)).toBe('2026年第1期已印发，不能再修改。');
    [item1] = await h.db.db.select().from(bulletinItems).where(eq(bulletinItems.id, items[0]!.id));
    expect(item1!.version).toBe(4);

    const versions = await h.db.db.select().from(bulletinItemVersions).where(eq(bulletinItemVersions.itemId, items[0]!.id)).orderBy(asc(bulletinItemVersions.version));
    expect(versions.map((v) => [v.version, v.source, v.editedBy])).toEqual([
      [1, 'adopted', P.editor],
      [2, 'form', P.editor],
      [3, 'docx', P.editor],
      [4, 'text', P.editor],
    ]);
    expect(versions[0]!.body).toBe(BODY.join('\n'));
    const audit = await h.db.db.select().from(auditLog).where(eq(auditLog.entityType, 'bulletin_issue')).orderBy(asc(auditLog.id));
    expect(audit.map((a) => a.action)).toEqual([
      'issue.open',
      'issue.note',
      'issue.submit',
      'issue.return',
      'issue.submit',
      'issue.submit',
      'issue.sign',
      'issue.signature_void',
      'issue.note',
      'issue.submit',
      'issue.sign',
      'issue.publish',
    ]);
    void d2;
    expectAllCardsValid(h);
  });

  it('批示 recorded by a leader from the 印发 card is scored by the rules and shows in 积分; others cannot record one', async () => {
    h = await Harness.start({ start: '2026-11-20T01:00:00Z' });
    const d = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await adoptAll(h, ['城关镇网格化治理见成效']);
    let issue = await ask(h, P.editor, '期刊');
    await tap(h, P.editor, issue, findButton(issue.content, '送审'));
    const preview = h.lastCardTo(P.leader);
    await tap(h, P.leader, preview, findButton(preview.content, '签发'));
    issue = await ask(h, P.editor, '期刊');
    await tap(h, P.editor, issue, findButton(issue.content, '印发'));
    const leaderCard = h.cardsTo(P.leader).at(-1)!;
    const endorse = findButton(leaderCard.content, '批示');

    const byEditor = await h.click(P.editor, await h.ownMessage(P.editor), endorse);
    expect(byEditor.toast).toEqual({ type: 'error', content: '只有部领导可以作出批示。' });
    const byStranger = await h.click(P.stranger, await h.ownMessage(P.stranger), endorse);
    expect(byStranger.toast).toEqual({ type: 'error', content: '只有部领导可以作出批示。' });

    const opened = await h.click(P.leader, leaderCard.messageId, endorse);
    expect(opened.toast).toEqual({ type: 'info', content: '已发送批示卡片' });
    await h.settle();
    const form = h.lastCardTo(P.leader);
    const submit = findButton(form.content, '记录批示');
    const empty = await h.click(P.leader, form.messageId, submit, { formValue: { text: '', by: '', level: 'city' }, name: 'endorse_submit' });
    expect(empty.toast).toEqual({ type: 'error', content: '未记录：请填写批示内容。' });
    const ok = await tap(h, P.leader, form, submit, { formValue: { text: '此做法很好，请总结推广。', by: '市委副书记 陈某', level: 'city' }, name: 'endorse_submit' });
    expect(ok.res.toast).toEqual({ type: 'success', content: '批示已记录，已告知作者和所在单位' });
    const [rec] = await h.db.db.select().from(recognitions);
    expect(rec).toMatchObject({ kind: 'endorsement', level: 'city', status: 'confirmed', reportedBy: P.leader, decidedBy: P.leader, outlet: '市委副书记 陈某', note: '此做法很好，请总结推广。', draftId: d.id });
    const told = `《城关镇网格化治理见成效》（${d.serial}）获市级领导批示（市委副书记 陈某）：“此做法很好，请总结推广。”\n已按积分规则计入城关镇的积分。`;
    for (const who of [P.officer1, P.officer2, P.reviewer1]) expect(lastText(h, who)).toBe(told);

    // County adoption 1 + city endorsement 10, in the leader's and the officer's 积分.
    for (const who of [P.leader, P.officer1]) {
      const score = await ask(h, who, '积分 城关镇 2026-11');
      const text = cardText(score.content);
      expect(text).toContain('合计 **11** 分');
      expect(text).toContain('批示');
    }
    // 查看 offers leaders the same 批示 button.
    const view = await ask(h, P.leader, `查看 ${d.serial}`);
    expect(hasButton(view.content, '批示')).toBe(true);
    const officerView = await ask(h, P.officer1, `查看 ${d.serial}`);
    expect(hasButton(officerView.content, '批示')).toBe(false);
    expectAllCardsValid(h);
  });

  it('a long 综合稿 is written by reply in parts (“续：”) and replaced by a .docx; the sources stay credited', async () => {
    h = await Harness.start();
    const a = await approvedDraft(h, P.officer1, '城关镇推进村级组织换届');
    const b = await approvedDraft(h, P.officer3, '东街街道推进社区换届');
    let desk = await openDesk(h);
    desk = (await tap(h, P.editor, desk, rowButton(desk.content, '城关镇推进村级组织换届', '合并'))).card;
    desk = (await tap(h, P.editor, desk, rowButton(desk.content, '东街街道推进社区换届', '合并'))).card;
    const merged = await tap(h, P.editor, desk, findButton(desk.content, '合并采用'), { formValue: { title: '我县扎实推进村（社区）换届' }, name: 'merge_submit' });
    expect(merged.res.toast?.content).toBe('已合并 2 篇为综合稿，编入2026年第1期第 1 条');
    const edit = await ask(h, P.editor, `编审 ${a.serial}`);
    expect(cardText(edit.content)).toContain('综合稿');
    expect(cardText(edit.content)).toContain('以“续：”开头的回复接在正文末尾');

    // Twelve paragraphs of about 130 characters: more than the card's form takes (1000).
    const paragraphs = Array.from({ length: 12 }, (_, i) => `第${i + 1}段：${'各乡镇（街道）党（工）委严格落实换届工作责任，逐村逐社区研判班子运行情况，确保换届风清气正、平稳有序。'.repeat(2)}`);
    expect(paragraphs.join('').length).toBeGreaterThan(1000);
    await replyText(h, P.editor, edit.messageId, ['我县扎实推进村（社区）换届', ...paragraphs.slice(0, 4)].join('\n'));
    expect(lastText(h, P.editor)).toBe('《我县扎实推进村（社区）换届》已保存为第2版，已告知作者和组织委员。');
    await replyText(h, P.editor, edit.messageId, `续：${paragraphs.slice(4, 8).join('\n')}`);
    expect(lastText(h, P.editor)).toBe('《我县扎实推进村（社区）换届》已保存为第3版，已告知作者和组织委员。');
    await replyText(h, P.editor, edit.messageId, `续写：\n${paragraphs.slice(8).join('\n')}`);
    expect(lastText(h, P.editor)).toBe('《我县扎实推进村（社区）换届》已保存为第4版，已告知作者和组织委员。');
    // An empty part is refused and changes nothing.
    await replyText(h, P.editor, edit.messageId, '续：  ');
    expect(lastText(h, P.editor)).toBe('“续：”之后没有内容，本次修改未保存。');

    let [item] = await h.db.db.select().from(bulletinItems);
    expect(item).toMatchObject({ kind: 'merged', title: '我县扎实推进村（社区）换届', version: 4, body: paragraphs.join('\n') });
    // The card, patched in place, now shows the whole text and leaves the body to replies.
    const patched = h.fake.message(edit.messageId)!.content;
    expect(cardText(patched)).toContain('第4版');
    expect(cardText(patched)).toContain(paragraphs[11]!);
    expect(JSON.stringify(patched)).not.toContain('"name":"body"');
    expect(cardText(patched)).toContain('正文超过1000字，卡片内只能改标题和编者按。');

    // The whole text again as a Word file, the last paragraph rewritten.
    const final = [...paragraphs.slice(0, 11), '第12段：全县换届工作圆满完成，新一届班子结构明显优化。'];
    await replyFile(h, P.editor, edit.messageId, '综合稿定稿.docx', await wordFile(['我县扎实推进村（社区）换届', ...final]));
    expect(lastText(h, P.editor)).toBe('《我县扎实推进村（社区）换届》已保存为第5版，已告知作者和组织委员。');
    [item] = await h.db.db.select().from(bulletinItems);
    expect(item).toMatchObject({ version: 5, body: final.join('\n') });
    const versions = await h.db.db.select().from(bulletinItemVersions).orderBy(asc(bulletinItemVersions.version));
    expect(versions.map((v) => [v.version, v.source])).toEqual([
      [1, 'adopted'],
      [2, 'text'],
      [3, 'text'],
      [4, 'text'],
      [5, 'docx'],
    ]);
    // Both sources stay credited, and both authors were told of each edit.
    const sources = await h.db.db.select().from(bulletinItemSources).orderBy(asc(bulletinItemSources.draftId));
    expect(sources.map((s) => s.draftId)).toEqual([a.id, b.id]);
    for (const author of [P.officer1, P.officer3]) {
      expect(h.cardsTo(author).filter((m) => cardText(m.content).includes('稿件编审通知'))).toHaveLength(4);
    }
    expectAllCardsValid(h);
  });
});
