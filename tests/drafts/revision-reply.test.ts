import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { messageEvent } from '../../emulator/lark-events.js';
import { cardText, findButton, Harness, ORG_YAML, P } from '../helpers/harness.js';
import { DOCX_DRAFT, docxDraft } from '../files/fixtures.js';
import { confirm, draftById, expectAllCardsValid, lastCardWith, sampleDraft, submitDraft } from './flow.js';

const SLOW = 120_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The reviewer returns the draft on their newest review card; returns the officer's return notice. */
async function returnDraft(harness: Harness, serial: string, reason: string) {
  const review = lastCardWith(harness, P.reviewer1, serial);
  const form = await harness.click(P.reviewer1, review.messageId, findButton(review.content, '退回'));
  const res = await harness.click(P.reviewer1, review.messageId, findButton(form.card, '确认退回'), { formValue: { reason }, name: 'confirm_return' });
  expect(res.toast?.type).toBe('success');
  await harness.settle();
  return lastCardWith(harness, P.officer1, '稿件被退回');
}

/** A reply as Lark delivers it: parent_id is the message replied to, root_id the first of the chain. */
async function reply(harness: Harness, from: string, o: { parentId: string; rootId?: string; text?: string; file?: { name: string; bytes: Buffer } }) {
  const messageId = `om_${randomBytes(12).toString('hex')}`;
  const before = harness.cardsTo(from).length;
  if (o.file) {
    const fileKey = `file_v3_${randomBytes(8).toString('hex')}`;
    harness.fake.addMessageResource({ messageId, fileKey, bytes: o.file.bytes, fileName: o.file.name, type: 'file' } as never);
    await harness.post(
      messageEvent({ ...harness.envelope(from, messageId), messageType: 'file', content: { file_key: fileKey, file_name: o.file.name }, parentId: o.parentId, rootId: o.rootId }),
    );
  } else {
    await harness.post(messageEvent({ ...harness.envelope(from, messageId), messageType: 'text', content: { text: o.text }, parentId: o.parentId, rootId: o.rootId }));
  }
  await harness.settle();
  const cards = harness.cardsTo(from);
  expect(cards.length).toBe(before + 1);
  return cards[cards.length - 1]!;
}

describe('a revision sent as a reply to the return notice', () => {
  it('takes a text or a .docx reply as the next revision, without the serial or the 提交修改稿 button', async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer1);
    const notice = await returnDraft(h, draft.serial, '请补充具体数据。');
    expect(cardText(notice.content)).toContain('也可以直接回复本消息');

    // Someone else replying to the notice (it was forwarded) sends a new draft of their own.
    const other = await reply(h, P.officer2, { parentId: notice.messageId, text: sampleDraft('同事的另一篇稿件').text });
    expect(cardText(other.content)).toContain('确认提交审核');
    expect(cardText(other.content)).not.toContain(draft.serial);

    // The author replies with the revised text: the confirmation names the serial and the next revision.
    const revised = sampleDraft('城关镇“三抓三促”推动基层党建提质增效', ['全年累计培训党员一千五百余人次，群众满意度提升到96%。']);
    const confirmRev = await reply(h, P.officer1, { parentId: notice.messageId, text: revised.text });
    expect(cardText(confirmRev.content)).toContain(`${draft.serial} 第2稿`);
    expect((await confirm(h, P.officer1, confirmRev, {})).toast?.content).toBe(`已提交，编号 ${draft.serial}`);
    expect(await draftById(h, draft.id)).toMatchObject({ state: 'pending_review', currentRevision: 2 });

    // Returned again; this time a Word file, replied inside the notice's thread (parent is another
    // message of the chain, root is the notice).
    const notice2 = await returnDraft(h, draft.serial, '标题请再精炼。');
    const word = await reply(h, P.officer1, { parentId: `om_${randomBytes(12).toString('hex')}`, rootId: notice2.messageId, file: { name: '修改稿.docx', bytes: await docxDraft() } });
    expect(cardText(word.content)).toContain(`${draft.serial} 第3稿`);
    expect(cardText(word.content)).toContain('修改稿.docx');
    await confirm(h, P.officer1, word, {});
    expect(await draftById(h, draft.id)).toMatchObject({ state: 'pending_review', currentRevision: 3, title: DOCX_DRAFT.title });

    // A reply to a notice whose draft is no longer returned is an ordinary new draft.
    const late = await reply(h, P.officer1, { parentId: notice.messageId, text: sampleDraft('又一篇新稿件').text });
    expect(cardText(late.content)).toContain('确认提交审核');
    expectAllCardsValid(h);
  }, SLOW);

  it('an author who also works in the research office replies with a revision: it is a revision, not an edit of the issue', async () => {
    h = await Harness.start({ org: ORG_YAML.replace('  - {id: ou_editor1, name: 王研究}', '  - {id: ou_editor1, name: 王研究}\n  - {id: ou_officer1}') });
    const draft = await submitDraft(h, P.officer1);
    const notice = await returnDraft(h, draft.serial, '请补充具体数据。');
    const revised = sampleDraft('城关镇“三抓三促”推动基层党建提质增效', ['全年累计培训党员一千五百余人次。']);
    const confirmRev = await reply(h, P.officer1, { parentId: notice.messageId, text: revised.text });
    expect(cardText(confirmRev.content)).toContain(`${draft.serial} 第2稿`);
    await confirm(h, P.officer1, confirmRev, {});
    expect(await draftById(h, draft.id)).toMatchObject({ state: 'pending_review', currentRevision: 2 });
  }, SLOW);

  it('the 提交修改稿 button followed by a plain message still works', async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer1);
    const notice = await returnDraft(h, draft.serial, '请补充具体数据。');
    await h.click(P.officer1, notice.messageId, findButton(notice.content, '提交修改稿'));
    await h.sendText(P.officer1, sampleDraft('城关镇修改后的标题', ['补充一段。']).text);
    await h.settle();
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain(`${draft.serial} 第2稿`);
  }, SLOW);
});
