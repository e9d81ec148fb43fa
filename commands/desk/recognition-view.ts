import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { bulletinItems, drafts, units, type Recognition } from '../../db/schema/index.js';
import { pieceOfDraft, type PieceTarget } from '../../domain/desk/recognitions.js';
import { UserError } from '../../bot/errors.js';

export type PieceInfo = { serial: string; title: string; unitNames: string[]; merged: boolean };

export async function pieceInfo(db: DbOrTx, piece: PieceTarget): Promise<PieceInfo> {
  const names = await db.select({ name: units.name }).from(units).where(inArray(units.id, piece.unitIds));
  let title = piece.draft.title;
  let merged = false;
  if (piece.itemId !== undefined) {
    const [item] = await db.select().from(bulletinItems).where(eq(bulletinItems.id, piece.itemId));
    if (item) {
      title = item.title;
      merged = item.kind === 'merged';
    }
  }
  return { serial: piece.draft.serial, title, unitNames: names.map((n) => n.name), merged };
}

export async function pieceOfRecognition(db: DbOrTx, rec: Recognition): Promise<PieceTarget> {
  const [draft] = await db.select().from(drafts).where(eq(drafts.id, rec.draftId!));
  if (!draft) throw new UserError('找不到这条登记对应的稿件。');
  return pieceOfDraft(db, draft);
}
