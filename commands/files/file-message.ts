import { NOT_IN_ROSTER_TEXT } from '../../domain/roster/permissions.js';
import type { MessageEvent } from '../../bot/events.js';
import type { Deps, MessageHandler } from '../../bot/handlers.js';
import { DownloadStalledError, FileTooLargeError, LarkApiError } from '../../bot/lark-api.js';
import { UserError } from '../../bot/errors.js';
import type { Who } from '../../db/queries/roster.js';
import { NOT_OFFICER_TEXT, offerCandidate } from '../../domain/drafts/intake.js';
import { dropIfUnreferenced, storeBlob } from '../../domain/files/blob-store.js';
import { draftTypeOrThrow, extractDraftFileIsolated } from '../../domain/files/extract.js';
import { fileErrors } from '../../domain/files/file-errors.js';
import type { ExtractedDraft } from '../../domain/files/types.js';

type Prepared = { kind: 'refuse'; text: string } | { kind: 'file'; fileName: string; bytes: Buffer; draft: ExtractedDraft };

const NO_DOWNLOAD = '这个文件下载不了（可能已被撤回或过期）。请重新发送一次文件。';
const STALLED = '文件下载中断：飞书长时间没有传来数据，这份文件没有收到，也没有提交。请稍后重新发送一次文件。';

function fileOf(event: MessageEvent): { fileKey: string; fileName: string } {
  const fileKey = typeof event.content.file_key === 'string' ? event.content.file_key : '';
  const fileName = typeof event.content.file_name === 'string' && event.content.file_name.trim() ? event.content.file_name.trim() : '未命名文件';
  return { fileKey, fileName };
}

/**
 * A file sent to the bot becomes a draft candidate like a text message. The download and the text
 * extraction happen in `prepare`, outside the transaction; every unusable file (old .doc, too
 * large, empty, encrypted, scanned, corrupt) throws a UserError there, so the dispatcher answers
 * and nothing is stored. The original bytes are kept with the candidate for the reviewer.
 */
export const fileMessageHandler: MessageHandler<Prepared> = {
  name: 'draft-file',
  accepts: (event) => event.messageType === 'file',

  async prepare(event: MessageEvent, deps: Deps, who: Who): Promise<Prepared> {
    // Strangers and non-officers are answered without fetching their file.
    if (!who.known) return { kind: 'refuse', text: NOT_IN_ROSTER_TEXT };
    if (who.officerUnits.length === 0) return { kind: 'refuse', text: NOT_OFFICER_TEXT };
    const { fileKey, fileName } = fileOf(event);
    draftTypeOrThrow(fileName); // .doc/.wps or an unknown type: answered before downloading
    const maxBytes = deps.config.maxFileBytes;
    let bytes: Buffer;
    try {
      bytes = await deps.lark.downloadMessageFile({ messageId: event.messageId, fileKey, type: 'file', maxBytes });
    } catch (err) {
      if (err instanceof FileTooLargeError) throw fileErrors.tooLarge(fileName, maxBytes);
      // Not retried by itself: a retry would hold the chat as long again; the sender resends.
      if (err instanceof DownloadStalledError) {
        deps.log.warn({ idleMs: err.idleMs }, 'message file download stalled');
        throw new UserError(STALLED, 'user:file_stalled');
      }
      if (err instanceof LarkApiError && err.code === 234037) throw fileErrors.tooLarge(fileName, maxBytes);
      if (err instanceof LarkApiError && [234003, 234040, 234043, 230110].includes(err.code)) throw new UserError(NO_DOWNLOAD, 'user:file_gone');
      // The SDK hands a failed download's JSON body over as an unread stream, so the Lark code is
      // often lost (-1); a plain 400/404 still means this file cannot be fetched, retrying won't help.
      if (err instanceof LarkApiError && err.code === -1 && (err.httpStatus === 400 || err.httpStatus === 404)) {
        deps.log.warn({ err }, 'message file download refused');
        throw new UserError(NO_DOWNLOAD, 'user:file_gone');
      }
      throw err;
    }
    const draft = await extractDraftFileIsolated(fileName, bytes);
    deps.log.info({ type: draft.sourceType, bytes: bytes.length, paragraphs: draft.paragraphs.length }, 'draft file extracted');
    return { kind: 'file', fileName, bytes, draft };
  },

  async handle(ctx, p) {
    if (p.kind === 'refuse') {
      await ctx.reply(p.text);
      return;
    }
    const blob = await storeBlob(ctx.tx, p.bytes, p.draft.contentType);
    await offerCandidate(ctx, {
      title: p.draft.title,
      paragraphs: p.draft.paragraphs,
      sourceType: p.draft.sourceType,
      fileName: p.fileName,
      blobSha256: blob.sha256,
    });
    // Too little text to offer: the candidate was not created and the bytes need not stay.
    if (blob.inserted) await dropIfUnreferenced(ctx.tx, blob.sha256);
  },
};
