import type { CardAction } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import { ORIGINAL_FILE_ACTION, originalFileFor } from '../../domain/files/original-file.js';

/**
 * 获取原文件 on a review card: the original Word/PDF file of that revision, sent to the person who
 * tapped, in their private chat. The card itself does not change.
 */
export const originalFileAction: CardAction = {
  id: ORIGINAL_FILE_ACTION,
  async run(ctx) {
    const draftId = Number(ctx.args.draftId);
    const revision = Number(ctx.args.rev);
    if (!Number.isInteger(draftId) || !Number.isInteger(revision)) throw new UserError('这张卡片已失效，请重新打开稿件。');
    const file = await originalFileFor(ctx.tx, ctx.who, { draftId, revision }, ctx.deps.clock.now());
    await ctx.out.sendFile({ openId: ctx.who.openId }, { blobSha256: file.blobSha256, fileName: file.fileName });
    ctx.log.info({ serial: file.serial, revision }, 'original file sent');
    return { toast: { type: 'success', content: '原文件已私聊发给您，请查收。' } };
  },
};
