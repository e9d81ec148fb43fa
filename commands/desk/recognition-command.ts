import { z } from 'zod';
import { anyone, command } from '../../bot/declare.js';
import { PermissionError, UserError } from '../../bot/errors.js';
import type { DbOrTx } from '../../db/client.js';
import type { Who } from '../../db/queries/roster.js';
import { recognitionFormCard } from '../../cards/desk-recognition.js';
import type { Card } from '../../cards/elements.js';
import { mayReport, pieceOfSerial, todayOf, type PieceTarget } from '../../domain/desk/recognitions.js';
import { pieceInfo } from './recognition-view.js';
import { draftSerial } from '../arg-schemas.js';

/**
 * The 登记 form for one piece, after the checks the typed command and the 登记上级采用 button share:
 * the asker reports for their own unit's pieces (editors for any), and only for a piece that passed
 * review or was adopted.
 */
export async function recognitionForm(db: DbOrTx, who: Who, piece: PieceTarget, o: { now: Date; timezone: string }): Promise<Card> {
  if (!mayReport(who, piece)) throw new PermissionError('只能为本单位的稿件登记；如有疑问请联系研究室。');
  if (piece.draft.state !== 'approved' && piece.draft.state !== 'adopted') {
    throw new UserError(`稿件 ${piece.draft.serial} 尚未通过审核或未被采用，不能登记。`);
  }
  return recognitionFormCard({ draftId: piece.draft.id, piece: await pieceInfo(db, piece), today: todayOf(o.now, o.timezone), editor: who.editor });
}

/** `登记 2026-0137`: report (officer) or record (editor) an upper adoption, endorsement or media publication. */
export const recognitionCommand = command({
  name: '登记',
  summary: '登记稿件被上级采用、获领导批示或在上级媒体刊发',
  usage: '登记 2026-0137',
  example: (c) => `登记 ${c.year}-0001`,
  audience: ['officer', 'editor'],
  // The serial is checked first, whoever asks (an unknown serial is “not found” for anyone); who may
  // report for the piece is checked by recognitionForm.
  allow: anyone,
  // Only the first word counts: the rest of the line is ignored.
  args: z
    .string()
    .transform((s) => s.trim().split(/\s+/)[0] ?? '')
    .pipe(draftSerial('请写成“登记 稿件编号”，例如：登记 2026-0137。')),
  async run(ctx, serial) {
    const piece = await pieceOfSerial(ctx.tx, serial);
    await ctx.reply(await recognitionForm(ctx.tx, ctx.who, piece, { now: ctx.deps.clock.now(), timezone: ctx.deps.config.timezone }));
  },
});
