import type { Command } from '../../bot/handlers.js';
import { PermissionError, UserError } from '../../bot/errors.js';
import { recognitionFormCard } from '../../cards/desk-recognition.js';
import { mayReport, pieceOfSerial, todayOf } from '../../domain/desk/recognitions.js';
import { pieceInfo } from './recognition-view.js';

/** `登记 2026-0137`: report (officer) or record (editor) an upper adoption, endorsement or media publication. */
export const recognitionCommand: Command = {
  name: '登记',
  summary: '登记稿件被上级采用、获领导批示或在上级媒体刊发',
  usage: '登记 2026-0137',
  example: (c) => `登记 ${c.year}-0001`,
  audience: ['officer', 'editor'],
  async run(ctx, args) {
    const serial = args.trim().split(/\s+/)[0] ?? '';
    if (!/^\d{4}-\d{1,6}$/.test(serial)) throw new UserError('请写成“登记 稿件编号”，例如：登记 2026-0137。');
    const piece = await pieceOfSerial(ctx.tx, serial);
    if (!mayReport(ctx.who, piece)) throw new PermissionError('只能为本单位的稿件登记；如有疑问请联系研究室。');
    if (piece.draft.state !== 'approved' && piece.draft.state !== 'adopted') {
      throw new UserError(`稿件 ${piece.draft.serial} 尚未通过审核或未被采用，不能登记。`);
    }
    await ctx.reply(
      recognitionFormCard({
        draftId: piece.draft.id,
        piece: await pieceInfo(ctx.tx, piece),
        today: todayOf(ctx.deps.clock.now(), ctx.deps.config.timezone),
        editor: ctx.who.editor,
      }),
    );
  },
};
