import { cardAction, roles } from '../../bot/declare.js';
import { ORIGINAL_FILE } from '../../cards/draft-parts.js';
import { originalFileFor } from '../../domain/files/original-file.js';

/**
 * 获取原文件 on a review card: the original Word/PDF file of that revision, sent to the person who
 * tapped, in their private chat. The card itself does not change. Which reviewers may have it (those
 * of the draft's unit) is checked in originalFileFor, with the same refusal.
 */
export const originalFileAction = cardAction(ORIGINAL_FILE, {
  allow: roles(['reviewer', 'editor'], '获取稿件原文件', '只有本单位的审核人和研究室可以获取稿件原文件。'),
  async run(ctx, { draftId, rev: revision }) {
    const file = await originalFileFor(ctx.tx, ctx.who, { draftId, revision }, ctx.deps.clock.now());
    await ctx.out.sendFile({ openId: ctx.who.openId }, { blobSha256: file.blobSha256, fileName: file.fileName });
    ctx.log.info({ serial: file.serial, revision }, 'original file sent');
    return { toast: { type: 'success', content: '原文件已私聊发给您，请查收。' } };
  },
});
