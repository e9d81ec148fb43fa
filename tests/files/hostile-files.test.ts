import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { blobs, draftCandidates, inboxEvents } from '../../db/schema/index.js';
import { ABANDONED } from '../../bot/dispatcher.js';
import { DraftFileError } from '../../domain/files/file-errors.js';
import { extractDraftFileIsolated, FILE_LIMITS } from '../../domain/files/extract.js';
import { IsolationLimitError, runIsolated } from '../../domain/files/isolated.js';
import { zipSummary } from '../../domain/files/zip-directory.js';
import { Harness, P } from '../helpers/harness.js';
import { docxBomb, docxDraft, manyPagePdf, refusal } from './fixtures.js';

const MISBEHAVING = new URL('./parsers/misbehaving.ts', import.meta.url);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});


describe('hostile files', { timeout: 120_000 }, () => {
  it('a zip bomb .docx and a PDF of many pages are refused before parsing, with their reasons, storing nothing', async () => {
    const bomb = docxBomb();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const declared = zipSummary(bomb);
    expect(declared).toMatchObject({ entries: 3 });
    expect((declared as { xmlBytes: number }).xmlBytes).toBeGreaterThan(FILE_LIMITS.docxXmlBytes);
    const pdf = await manyPagePdf(FILE_LIMITS.pdfPages + 50);

    h = await Harness.start();
    const started = Date.now();
    expect(await refusal(h!, P.officer1, '城关镇经验.docx', bomb)).toBe(
      '文件“城关镇经验.docx”解压或读取后的内容异常庞大，不像一篇正常的稿件，未提交。请用 Word/WPS 打开确认无误后另存为 .docx（或导出为 PDF）再发送；也可以直接把正文粘贴发给我。',
    );
    expect(await refusal(h!, P.officer1, '汇编.pdf', pdf)).toBe(
      '“汇编.pdf”共 250 页，超过稿件文件 200 页的上限，未提交。请只发送稿件本身；也可以直接把正文粘贴发给我。',
    );
    // Neither was expanded: both answers came well within the parser's deadline.
    expect(Date.now() - started).toBeLessThan(FILE_LIMITS.timeoutMs);
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(0);
    expect(await h.db.db.select().from(blobs)).toHaveLength(0);
    const rows = await h.db.db.select().from(inboxEvents);
    expect(rows.map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('a parser that hangs is stopped at the deadline and the officer told; one that eats memory is stopped at the limit', async () => {
    const limits = { timeoutMs: 4000, memoryMb: 64 };
    const started = Date.now();
    const hung = await runIsolated(MISBEHAVING, 'hang', [], limits).catch((e: unknown) => e);
    expect(hung).toBeInstanceOf(IsolationLimitError);
    expect((hung as IsolationLimitError).limit).toBe('timeout');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(4000);
    expect(elapsed).toBeLessThan(20_000);

    const hog = await runIsolated(MISBEHAVING, 'hog', [], { timeoutMs: 60_000, memoryMb: 64 }).catch((e: unknown) => e);
    expect(hog).toBeInstanceOf(IsolationLimitError);
    expect((hog as IsolationLimitError).limit).toBe('memory');

    // The bot's own path: a deadline no parse can meet ends in the officer's message, not a hang.
    const tooSlow = await extractDraftFileIsolated('红色物业.docx', await docxDraft(), { timeoutMs: 1, memoryMb: 256 }).catch((e: unknown) => e);
    expect(tooSlow).toBeInstanceOf(DraftFileError);
    expect((tooSlow as DraftFileError).userMessage).toBe(
      '读取文件“红色物业.docx”超过 1 秒仍未完成，已停止读取，未提交。请用 Word/WPS 打开后另存为 .docx（或导出为 PDF）再发送；也可以直接把正文粘贴发给我。',
    );
    // And the same worker path reads a normal file and carries the bytes across.
    expect(await runIsolated(MISBEHAVING, 'echo', ['a.docx', Buffer.from('abc')], limits)).toEqual({ fileName: 'a.docx', length: 3 });
  });

  it('a message whose handling died with the process three times is given up and the sender told', async () => {
    h = await Harness.start();
    // A file: what can kill the process. (A draft's text is handled in the request that delivers it.)
    const res = await h.sendFile(P.officer1, '红色物业.docx', await docxDraft());
    const key = `msg:${res.messageId}`;
    // As three claims that each ended in a crash leave it: counted at claim, lease still running.
    await h.db.db.update(inboxEvents).set({ attempts: 3, lockedUntil: new Date(h.clock.ms() + 120_000) }).where(eq(inboxEvents.key, key));
    await h.settle();
    const [row] = await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, key));
    expect(row).toMatchObject({ status: 'failed', attempts: 4 });
    expect(row!.lastError).toBe('abandoned after 3 attempts without an outcome');
    expect(h.textsTo(P.officer1)).toEqual([ABANDONED]);
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(0);
  });
});
