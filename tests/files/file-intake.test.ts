import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { auditLog, blobs, draftCandidates, draftRevisions, drafts } from '../../db/schema/index.js';
import { NOT_IN_ROSTER_TEXT } from '../../domain/roster/permissions.js';
import { NOT_OFFICER_TEXT } from '../../domain/drafts/intake.js';
import { validateCard } from '../../emulator/card-validator.js';
import { fileMessage } from '../../emulator/lark-events.js';
import { cardText, findButton, Harness, hasButton, P } from '../helpers/harness.js';
import { PDF_DRAFT } from '../fixtures/files/pdf-draft-content.js';
import { DOCX_DRAFT, docxDraft, docxWithoutTitle, encryptedDocx, legacyDoc, pdfDraft, refusal, scannedPdf } from './fixtures.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The officer sends a file; returns the bot's newest card to them (the confirmation card). */
async function sendFileDraft(from: string, name: string, bytes: Buffer) {
  const before = h!.cardsTo(from).length;
  await h!.sendFile(from, name, bytes);
  await h!.settle();
  expect(h!.cardsTo(from).length).toBe(before + 1);
  return h!.lastCardTo(from);
}

async function confirmCard(officer: string, card: { messageId: string; content: unknown }) {
  const res = await h!.click(officer, card.messageId, findButton(card.content, '提交审核'), { formValue: { category: '组工信息' }, name: 'submit_draft' });
  await h!.settle();
  expect(res.toast?.type).toBe('success');
}


async function expectNothingStored() {
  expect(await h!.db.db.select().from(draftCandidates)).toHaveLength(0);
  expect(await h!.db.db.select().from(blobs)).toHaveLength(0);
  expect(await h!.db.db.select().from(drafts)).toHaveLength(0);
}

// Each test boots the whole app against the fake Lark: slow on a loaded 2-core box.
describe('a draft sent as a file', { timeout: 90_000 }, () => {
  it('a .docx becomes a candidate with its original kept; the reviewer gets the original from the review card, hash intact', async () => {
    h = await Harness.start();
    const bytes = await docxDraft();
    const confirm = await sendFileDraft(P.officer1, '红色物业.docx', bytes);
    const shown = cardText(confirm.content);
    expect(shown).toContain(DOCX_DRAFT.title);
    expect(shown).toContain('红色物业.docx');

    const [candidate] = await h.db.db.select().from(draftCandidates);
    expect(candidate).toMatchObject({ title: DOCX_DRAFT.title, body: DOCX_DRAFT.paragraphs.join('\n'), sourceType: 'docx', fileName: '红色物业.docx', blobSha256: sha256(bytes) });
    const [blob] = await h.db.db.select().from(blobs);
    expect(sha256(blob!.bytes)).toBe(sha256(bytes));
    expect(blob!.size).toBe(bytes.length);

    await confirmCard(P.officer1, confirm);
    const [draft] = await h.db.db.select().from(drafts);
    const [rev] = await h.db.db.select().from(draftRevisions);
    expect(rev).toMatchObject({ sourceType: 'docx', fileName: '红色物业.docx', blobSha256: sha256(bytes) });

    const review = h.lastCardTo(P.reviewer1);
    expect(validateCard(review.content)).toEqual({ ok: true });
    const button = findButton(review.content, '获取原文件');
    expect(button).toEqual({ a: 'files.original', draftId: draft!.id, rev: 1 });

    const res = await h.click(P.reviewer1, review.messageId, button);
    expect(res.toast).toEqual({ type: 'success', content: '原文件已私聊发给您，请查收。' });
    await h.settle();
    const [upload] = h.fake.uploadedFiles;
    expect(upload).toMatchObject({ fileName: '红色物业.docx' });
    expect(sha256(upload!.bytes)).toBe(sha256(bytes));
    const sent = h.sentTo(P.reviewer1).filter((m) => m.msgType === 'file');
    expect(sent.map((m) => (m.content as { file_key: string }).file_key)).toEqual([upload!.fileKey]);
    const audit = await h.db.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'draft'), eq(auditLog.action, 'original_file_sent')));
    expect(audit.map((a) => a.actor)).toEqual([P.reviewer1]);

    // Only the unit's reviewers and the editors may have it.
    expect(await h.click(P.officer1, review.messageId, button)).toMatchObject({ toast: { type: 'error', content: '只有本单位的审核人和研究室可以获取稿件原文件。' } });
    expect(await h.click(P.reviewer2, review.messageId, button)).toMatchObject({ toast: { type: 'error' } });
    expect(await h.click(P.editor, review.messageId, button)).toMatchObject({ toast: { type: 'success' } });
    await h.settle();
    expect(h.sentTo(P.editor).filter((m) => m.msgType === 'file')).toHaveLength(1);
    expect(h.sentTo(P.officer1).filter((m) => m.msgType === 'file')).toHaveLength(0);
  });

  it('a Chinese PDF is offered with its title and paragraphs; a text draft has no 获取原文件 button', async () => {
    h = await Harness.start();
    const confirm = await sendFileDraft(P.officer3, '党员教育.pdf', pdfDraft());
    expect(cardText(confirm.content)).toContain(PDF_DRAFT.title);
    const [candidate] = await h.db.db.select().from(draftCandidates);
    expect(candidate).toMatchObject({ sourceType: 'pdf', title: PDF_DRAFT.title, blobSha256: sha256(pdfDraft()) });
    await confirmCard(P.officer3, confirm);
    expect(hasButton(h.lastCardTo(P.reviewer2).content, '获取原文件')).toBe(true);

    await h.sendText(P.officer1, [DOCX_DRAFT.title, ...DOCX_DRAFT.paragraphs].join('\n'));
    await h.settle();
    await confirmCard(P.officer1, h.lastCardTo(P.officer1));
    expect(hasButton(h.lastCardTo(P.reviewer1).content, '获取原文件')).toBe(false);
  });

  it('each unusable file gets its own message and nothing is stored', async () => {
    h = await Harness.start({ env: { MAX_FILE_MB: '1' } });
    const cases: [string, Buffer, string][] = [
      ['旧稿.doc', legacyDoc(), '是旧版 .doc 格式'],
      ['旧稿.wps', legacyDoc(), '是旧版 .wps 格式'],
      ['空.docx', Buffer.alloc(0), '是空的'],
      ['加密.docx', encryptedDocx(), '设置了打开密码'],
      ['扫描件.pdf', await scannedPdf(), '是扫描件或图片做成的 PDF'],
      ['坏.pdf', Buffer.from('%PDF-1.7\n%%EOF garbage'), '已损坏'],
      ['太大.txt', Buffer.alloc(1024 * 1024 + 1, '党'), '超过 1 MB'],
      ['表格.xlsx', Buffer.from('PK\x03\x04'), '暂不支持'],
    ];
    for (const [name, bytes, expected] of cases) expect(await refusal(h!, P.officer1, name, bytes), name).toContain(expected);
    await expectNothingStored();
    expect(h.cardsTo(P.officer1)).toHaveLength(0);
    // Old formats and unknown types are answered from the name alone, without downloading.
    const downloads = h.fake.callsTo('/resources/').length;
    expect(downloads).toBe(cases.length - 3);
  });

  it('a file Lark will not hand over (recalled, expired) is answered, not retried', async () => {
    h = await Harness.start();
    const event = fileMessage({
      senderOpenId: P.officer1,
      chatId: h.fake.p2pChatIdFor(P.officer1),
      chatType: 'p2p',
      fileKey: 'file_v3_never_registered',
      fileName: '稿件.docx',
      appId: h.lark.appId,
      token: h.lark.verificationToken,
      createTime: h.clock.ms(),
    } as Parameters<typeof fileMessage>[0]);
    await h.post(event);
    await h.settle();
    expect(h.textsTo(P.officer1)).toEqual(['这个文件下载不了（可能已被撤回或过期）。请重新发送一次文件。']);
    expect(h.fake.callsTo('/resources/')).toHaveLength(1);
    await expectNothingStored();
  });

  it('a file with too little text is answered, and its bytes are not kept', async () => {
    h = await Harness.start();
    const text = await refusal(h!, P.officer1, '通知.docx', await docxWithoutTitle(['会议改到周五。']));
    expect(text).toContain('从“通知.docx”中只读到');
    await expectNothingStored();
  });

  it('strangers and people who are not officers are answered without their file being downloaded', async () => {
    h = await Harness.start();
    const bytes = await docxDraft();
    expect(await refusal(h!, P.stranger, '稿件.docx', bytes)).toBe(NOT_IN_ROSTER_TEXT);
    expect(await refusal(h!, P.reviewer1, '稿件.docx', bytes)).toBe(NOT_OFFICER_TEXT);
    expect(h.fake.callsTo('/resources/')).toHaveLength(0);
    await expectNothingStored();
  });
});
