import { chineseDate } from '../../bot/time.js';
import type { MessageHandler } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import { holdersOf } from '../../db/queries/roster.js';
import { storeBlob } from '../../domain/desk/blobs.js';
import { attachEvidence, awaitingEvidence } from '../../domain/desk/recognitions.js';
import { KIND_LABELS } from '../../domain/scoring/types.js';
import { patchDecideCards } from './recognition-actions.js';

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

type Prepared = { recognitionId: number; bytes: Buffer; contentType: string } | undefined;

/**
 * A screenshot sent in the private chat within 30 minutes of reporting a recognition is its evidence.
 * The download happens in `prepare`, outside the transaction; the handler checks again inside it.
 */
export const evidenceImageHandler: MessageHandler<Prepared> = {
  name: 'recognition-evidence',
  accepts(event, who) {
    return event.messageType === 'image' && event.chatType === 'p2p' && who.known && (who.officerUnits.length > 0 || who.editor);
  },
  async prepare(event, deps, who) {
    const rec = await awaitingEvidence(deps.db, who.openId, deps.clock.now());
    if (!rec) return undefined;
    const imageKey = typeof event.content.image_key === 'string' ? event.content.image_key : '';
    if (!imageKey) throw new UserError('没有读到这张图片，请重新发送。');
    const bytes = await deps.lark.downloadMessageFile({ messageId: event.messageId, fileKey: imageKey, type: 'image', maxBytes: MAX_IMAGE_BYTES }).catch((err: unknown) => {
      deps.log.warn({ err }, 'evidence image download failed');
      throw new UserError('图片下载失败（可能超过 10 MB），请压缩后重新发送。');
    });
    return { recognitionId: rec.id, bytes, contentType: sniffImageType(bytes) };
  },
  async handle(ctx, prepared) {
    const now = ctx.deps.clock.now();
    const rec = await awaitingEvidence(ctx.tx, ctx.who.openId, now);
    if (!prepared || !rec || rec.id !== prepared.recognitionId) {
      await ctx.reply('收到图片。如需为上级采用、领导批示或媒体刊发补充证明截图，请先发送“登记 稿件编号”提交登记，再在 30 分钟内发送截图。');
      return;
    }
    const sha256 = await storeBlob(ctx.tx, prepared.bytes, prepared.contentType);
    const updated = await attachEvidence(ctx.tx, { id: rec.id, sha256, actor: ctx.who.openId, now });
    await patchDecideCards(ctx.tx, ctx.out, updated);
    const ext = prepared.contentType === 'image/png' ? 'png' : prepared.contentType === 'image/gif' ? 'gif' : 'jpg';
    for (const ed of await holdersOf(ctx.tx, 'editor')) {
      await ctx.out.sendFile({ openId: ed.openId }, { blobSha256: sha256, fileName: `登记${rec.id}-${KIND_LABELS[rec.kind]}截图.${ext}` });
    }
    await ctx.reply(`截图已附到您${chineseDate(updated.occurredOn)}的${KIND_LABELS[rec.kind]}登记上，研究室确认后计分。`);
  },
};

function sniffImageType(b: Buffer): string {
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  return 'image/jpeg';
}
