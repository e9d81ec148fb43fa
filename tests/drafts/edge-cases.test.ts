import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { drafts, draftCandidates, roleAssignments } from '../../db/schema/index.js';
import { cardText, findButton, Harness, hasButton, P } from '../helpers/harness.js';
import { confirm, lastCardWith, sampleDraft, sendDraft, submitDraft } from './flow.js';

/** End-to-end tests share two cores with PGlite; give them room on a loaded machine. */
const SLOW = 120_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** 赵信息's draft is returned and he taps 提交修改稿: his next text is taken as the revision. */
async function returnedAndRevising(h: Harness) {
  const draft = await submitDraft(h, P.officer1);
  const review = h.lastCardTo(P.reviewer1);
  await h.click(P.reviewer1, review.messageId, { a: 'draft.return', draftId: draft.id, rev: 1 }, { formValue: { reason: '请补充。' } });
  await h.settle();
  const notice = lastCardWith(h, P.officer1, '稿件被退回');
  await h.click(P.officer1, notice.messageId, findButton(notice.content, '提交修改稿'));
}

describe('drafts: less common paths', () => {
  it('a unit without a reviewer: the draft is stored, the receipt says so and the research office is told', async () => {
    // The roster file always names a reviewer; the role can still be switched off in the database.
    h = await Harness.start();
    await h.db.db.update(roleAssignments).set({ active: false }).where(eq(roleAssignments.openId, P.reviewer1));
    await submitDraft(h, P.officer1);
    expect(cardText(lastCardWith(h, P.officer1, '稿件回执').content)).toContain('本单位尚未设置组织委员');
    expect(cardText(h.lastCardTo(P.editor).content)).toContain('无人审核');
  }, SLOW);

  it('cancelling a revision makes the next text a new draft again', async () => {
    h = await Harness.start();
    await returnedAndRevising(h);
    const asRevision = await sendDraft(h, P.officer1, sampleDraft('修改稿').text);
    expect(cardText(asRevision.content)).toContain('确认提交修改稿');
    await h.click(P.officer1, asRevision.messageId, findButton(asRevision.content, '取消'), { formValue: {} });
    const asNew = await sendDraft(h, P.officer1, sampleDraft('另一篇新稿件').text);
    expect(cardText(asNew.content)).toContain('确认提交审核');
    await confirm(h, P.officer1, asNew);
    expect((await h.db.db.select().from(drafts).orderBy(asc(drafts.id))).map((d) => [d.serial, d.state])).toEqual([
      ['2026-0001', 'returned'],
      ['2026-0002', 'pending_review'],
    ]);
  }, SLOW);

  it('a second text sent as a revision replaces the first one waiting for confirmation', async () => {
    h = await Harness.start();
    await returnedAndRevising(h);
    const first = await sendDraft(h, P.officer1, sampleDraft('修改稿一').text);
    const submitFirst = findButton(first.content, '提交审核');
    await sendDraft(h, P.officer1, sampleDraft('修改稿二').text);
    expect(cardText(h.fake.message(first.messageId)!.content)).toContain('已被新消息取代');
    expect(hasButton(h.fake.message(first.messageId)!.content, '提交审核')).toBe(false);
    const late = await h.click(P.officer1, first.messageId, submitFirst, { formValue: {} });
    expect(late.toast?.type).toBe('error');
    expect((await h.db.db.select().from(draftCandidates).orderBy(asc(draftCandidates.id))).map((c) => c.status)).toEqual(['confirmed', 'superseded', 'open']);
  }, SLOW);

  it('a reviewer pasting a draft is told who may submit; nothing is stored', async () => {
    h = await Harness.start();
    await h.sendText(P.reviewer1, sampleDraft().text);
    await h.settle();
    expect(h.textsTo(P.reviewer1).at(-1)).toContain('只有信息员可以提交稿件');
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(0);
  }, SLOW);

  it('a cloud-document link is left to the documents feature', async () => {
    h = await Harness.start();
    await h.sendText(P.officer1, 'https://example.feishu.cn/docx/AbCdEfGh123');
    await h.settle();
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(0);
    expect(h.textsTo(P.officer1).join('\n')).not.toContain('太短');
  }, SLOW);
});
