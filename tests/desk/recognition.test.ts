import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { auditLog, blobs, recognitions } from '../../db/schema/index.js';
import { messageEvent } from '../../emulator/lark-events.js';
import { cardText, findButton, Harness, P } from '../helpers/harness.js';
import { approvedDraft, ask, expectAllCardsValid, openDesk, rowButton, tap } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A PNG screenshot sent in the private chat, as Lark delivers an image message. */
async function sendImage(h: Harness, from: string) {
  const messageId = `om_${randomBytes(12).toString('hex')}`;
  const imageKey = `img_v3_${randomBytes(8).toString('hex')}`;
  const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);
  h.fake.addMessageResource({ messageId, fileKey: imageKey, bytes, fileName: 'screenshot.png', type: 'image' });
  await h.post(
    messageEvent({ ...h.envelope(from, messageId), messageType: 'image', content: { image_key: imageKey } }),
  );
  await h.settle();
  return bytes;
}

const FORM = { kind: 'upper_adoption', level: 'city', outlet: '市委组工信息', date: '2026-11-10 +0800', link: 'https://example.org/a/1', note: '' };

describe('recognition beyond the county: report, evidence, confirm', { timeout: 90_000 }, () => {
  it('an officer reports a city adoption with a screenshot; an editor confirms; the points follow', async () => {
    h = await Harness.start({ start: '2026-11-12T02:00:00Z' });
    const d = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    let desk = await openDesk(h);
    desk = (await tap(h, P.editor, desk, rowButton(desk.content, '城关镇网格化治理见成效', '采用'))).card;

    // Another unit's officer may not report it.
    await h.sendText(P.officer3, `登记 ${d.serial}`);
    await h.settle();
    expect(h.textsTo(P.officer3).at(-1)).toBe('只能为本单位的稿件登记；如有疑问请联系研究室。');

    const form = await ask(h, P.officer2, `登记 ${d.serial}`);
    expect(cardText(form.content)).toContain('登记：《城关镇网格化治理见成效》');
    const submit = findButton(form.content, '提交研究室确认');
    const bad = await h.click(P.officer2, form.messageId, submit, { formValue: { ...FORM, level: 'county', date: '2026-12-01 +0800', link: 'example.org' }, name: 'rec_submit' });
    expect(bad.toast).toEqual({ type: 'error', content: '未提交：上级采用的级别应为市级、省级或中央；日期不能晚于今天；链接应以 http:// 或 https:// 开头。' });

    const sent = await tap(h, P.officer2, form, submit, { formValue: FORM, name: 'rec_submit' });
    expect(sent.res.toast?.content).toBe('已提交，待研究室确认');
    expect(cardText(sent.card.content)).toContain('已提交，待研究室确认');
    const [rec] = await h.db.db.select().from(recognitions);
    expect(rec).toMatchObject({ kind: 'upper_adoption', level: 'city', outlet: '市委组工信息', occurredOn: '2026-11-10', status: 'reported', reportedBy: P.officer2, draftId: d.id });
    expect(rec!.itemId).not.toBeNull();
    const decide = h.lastCardTo(P.editor);
    expect(cardText(decide.content)).toContain('上级采用登记待确认');
    expect(cardText(decide.content)).toContain('截图：无');

    // The screenshot arrives: stored, shown on the editor's card, and sent to the editor as a file.
    const bytes = await sendImage(h, P.officer2);
    expect(h.textsTo(P.officer2).at(-1)).toBe('截图已附到您2026年11月10日的上级采用登记上，研究室确认后计分。');
    const [withEvidence] = await h.db.db.select().from(recognitions);
    const [blob] = await h.db.db.select().from(blobs).where(eq(blobs.sha256, withEvidence!.evidenceSha256!));
    expect(Buffer.from(blob!.bytes).equals(bytes)).toBe(true);
    expect(cardText(h.lastCardTo(P.editor).content)).toContain('截图：已附');
    expect(h.fake.uploadedFiles.at(-1)!.bytes.equals(bytes)).toBe(true);

    // Before confirmation only the county adoption scores.
    let score = await ask(h, P.officer1, '积分');
    expect(cardText(score.content)).toContain('合计 **1** 分');

    // The officer cannot confirm their own report; an editor can.
    const self = await h.click(P.officer2, await h.ownMessage(P.officer2), findButton(decide.content, '确认'), { name: 'rec_confirm' });
    expect(self.toast).toEqual({ type: 'error', content: '只有研究室可以确认或驳回登记。' });
    const ok = await tap(h, P.editor, decide, findButton(decide.content, '确认'), { name: 'rec_confirm' });
    expect(ok.res.toast?.content).toBe('已确认');
    expect(cardText(ok.card.content)).toContain('已确认，计入积分');
    expect(h.textsTo(P.officer2).at(-1)).toBe('您登记的《城关镇网格化治理见成效》上级采用（2026年11月10日，市委组工信息）已确认，计入积分');
    const again = await h.click(P.editor, decide.messageId, findButton(decide.content, '确认'), { name: 'rec_confirm' });
    expect(again.toast).toEqual({ type: 'error', content: '这条登记已确认，本次操作未生效。' });

    const audit = await h.db.db.select().from(auditLog).where(eq(auditLog.entityType, 'recognition')).orderBy(asc(auditLog.id));
    expect(audit.map((a) => a.action)).toEqual(['recognition.report', 'recognition.evidence', 'recognition.confirm']);

    // County 1 on 11-12, city 5 dated 11-10: highest counts, so 5 then +0 (sorted by date).
    score = await ask(h, P.officer1, '积分');
    const text = cardText(score.content);
    expect(text).toContain('城关镇 · 2026年11月积分');
    expect(text).toContain('合计 **5** 分，共 2 条记分。');
    expect(text).toContain('2026年11月10日　**+5**　《城关镇网格化治理见成效》被市级采用（市委组工信息）：第1版规则 市级采用 5 分');
    expect(text).toContain('2026年11月12日　**0**　《城关镇网格化治理见成效》编入《XX组工信息》2026年第1期（县级采用）：第1版规则 县级采用 1 分；按最高一处计分，已计 5 分，本次不另计分');
    expectAllCardsValid(h);
  });

  it('an editor records a leader endorsement directly; a rejection needs a reason and is told to the officer', async () => {
    h = await Harness.start({ start: '2026-11-12T02:00:00Z' });
    const d = await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');
    const form = await ask(h, P.editor, `登记 ${d.serial}`);
    const rec = await tap(h, P.editor, form, findButton(form.content, '登记'), {
      formValue: { kind: 'endorsement', level: 'province', outlet: '省委组织部部长', date: '2026-11-11 +0800' },
      name: 'rec_submit',
    });
    expect(rec.res.toast?.content).toBe('已登记并计分');
    const [row] = await h.db.db.select().from(recognitions);
    expect(row).toMatchObject({ status: 'confirmed', decidedBy: P.editor, kind: 'endorsement', itemId: null });

    // An approved draft not (yet) in the bulletin: the endorsement alone scores +20.
    const score = await ask(h, P.officer3, '积分 2026-11');
    expect(cardText(score.content)).toContain('合计 **20** 分');

    const officerForm = await ask(h, P.officer3, `登记 ${d.serial}`);
    await tap(h, P.officer3, officerForm, findButton(officerForm.content, '提交研究室确认'), {
      formValue: { kind: 'media', level: 'central', outlet: '人民网', date: '2026-11-12 +0800' },
      name: 'rec_submit',
    });
    const decide = h.lastCardTo(P.editor);
    const noReason = await h.click(P.editor, decide.messageId, findButton(decide.content, '驳回'), { formValue: { reason: '' }, name: 'rec_reject' });
    expect(noReason.toast).toEqual({ type: 'error', content: '请填写驳回原因。' });
    const rejected = await tap(h, P.editor, decide, findButton(decide.content, '驳回'), { formValue: { reason: '链接为转载，非原发' }, name: 'rec_reject' });
    expect(rejected.res.toast?.content).toBe('已驳回');
    expect(h.textsTo(P.officer3).at(-1)).toBe('您登记的《东街街道党建引领物业管理》媒体刊发（2026年11月12日，人民网）未予确认。原因：链接为转载，非原发');
    const after = await ask(h, P.officer3, '积分');
    expect(cardText(after.content)).toContain('合计 **20** 分');
  });

  it('an image with no report waiting gets a hint, and stores nothing', async () => {
    h = await Harness.start();
    await sendImage(h, P.officer1);
    expect(h.textsTo(P.officer1).at(-1)).toContain('请先发送“登记 稿件编号”提交登记');
    expect(await h.db.db.select().from(blobs)).toHaveLength(0);
  });
});
