import { and, eq } from 'drizzle-orm';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import type { Tx } from '../../db/client.js';
import { cardMessages, type CardMessage } from '../../db/schema/index.js';
import type { DraftView } from './views.js';

/**
 * Tracked cards of this feature. Review cards, receipts and return notices belong to one revision
 * (entity `draft_revision`), so a decision patches exactly the copies that show that revision.
 */
export const PURPOSES = {
  confirm: 'draft_confirm',
  review: 'draft_review',
  receipt: 'draft_receipt',
  returnNotice: 'draft_return_notice',
  handOn: 'draft_handon',
} as const;

export async function trackedCards(tx: Tx, purpose: string, entityType: string, entityId: number): Promise<CardMessage[]> {
  return tx
    .select()
    .from(cardMessages)
    .where(and(eq(cardMessages.purpose, purpose), eq(cardMessages.entityType, entityType), eq(cardMessages.entityId, String(entityId))))
    .orderBy(cardMessages.id);
}

/** Sends one reviewer the review card of the view's revision, and the full text when it does not fit. */
export async function sendReviewCard(e: UnitOfWork, v: DraftView, reviewerOpenId: string) {
  await e.notify({ openId: reviewerOpenId }, { kind: 'draft.review', view: v }, { purpose: PURPOSES.review, entityType: 'draft_revision', entityId: v.revision.id });
}

/** Brings every card about this revision up to date after a change. */
export async function refreshRevisionCards(e: UnitOfWork, v: DraftView, exceptMessageId?: string) {
  const of = (purpose: string) => ({ purpose, entityType: 'draft_revision', entityId: v.revision.id });
  await e.redraw(
    [
      { track: of(PURPOSES.review), notice: { kind: 'draft.review', view: v } },
      { track: of(PURPOSES.receipt), notice: { kind: 'draft.receipt', view: v } },
      { track: of(PURPOSES.returnNotice), notice: { kind: 'draft.returned', view: v } },
    ],
    exceptMessageId,
  );
}

export async function sendReceipt(e: UnitOfWork, v: DraftView) {
  await e.notify({ openId: v.draft.authorOpenId }, { kind: 'draft.receipt', view: v }, { purpose: PURPOSES.receipt, entityType: 'draft_revision', entityId: v.revision.id });
}
