import { and, eq } from 'drizzle-orm';
import type { Deps } from '../../bot/handlers.js';
import type { Outbox } from '../../bot/outbox/enqueue.js';
import type { Tx } from '../../db/client.js';
import { cardMessages, type CardMessage } from '../../db/schema/index.js';
import type { Card } from '../../cards/elements.js';
import { reviewCard } from '../../cards/review-card.js';
import { draftReceiptCard } from '../../cards/draft-receipt.js';
import { returnedNoticeCard } from '../../cards/draft-notices.js';
import { revisionLabel } from '../../cards/draft-parts.js';
import { chunkParagraphs, splitBody } from './text.js';
import type { DraftView } from './views.js';

export type Effects = { tx: Tx; out: Outbox; deps: Deps };

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

/** Characters per text message when a draft is too long for its card (a Lark text may be 150 KB). */
const FULL_TEXT_CHUNK_CHARS = 10_000;

export async function trackedCards(tx: Tx, purpose: string, entityType: string, entityId: number): Promise<CardMessage[]> {
  return tx
    .select()
    .from(cardMessages)
    .where(and(eq(cardMessages.purpose, purpose), eq(cardMessages.entityType, entityType), eq(cardMessages.entityId, String(entityId))))
    .orderBy(cardMessages.id);
}

/**
 * Replaces every tracked copy with `card`, except the one a callback is answering (Lark shows the
 * callback's card there itself).
 */
export async function patchAll(e: Effects, purpose: string, entityType: string, entityId: number, card: Card, exceptMessageId?: string) {
  for (const cm of await trackedCards(e.tx, purpose, entityType, entityId)) {
    if (exceptMessageId && cm.messageId === exceptMessageId) continue;
    await e.out.patchCard(cm.id, card);
  }
}

/** Sends one reviewer the review card of the view's revision, and the full text when it did not fit. */
export async function sendReviewCard(e: Effects, v: DraftView, reviewerOpenId: string) {
  const { card, fullTextInCard } = reviewCard(v, e.deps.config.timezone);
  await e.out.sendCard({ openId: reviewerOpenId }, card, { purpose: PURPOSES.review, entityType: 'draft_revision', entityId: v.revision.id });
  if (!fullTextInCard) await sendFullText(e, v, reviewerOpenId);
}

/** The whole text as private text messages, for a draft too long for any card. Never to a group. */
export async function sendFullText(e: Effects, v: DraftView, openId: string) {
  const chunks = chunkParagraphs([v.revision.title, ...splitBody(v.revision.body)].filter(Boolean), FULL_TEXT_CHUNK_CHARS);
  for (const [i, chunk] of chunks.entries()) {
    const head = `【${v.draft.serial} ${revisionLabel(v.revision.revision)} 全文${chunks.length > 1 ? ` ${i + 1}/${chunks.length}` : ''}】`;
    await e.out.sendText({ openId }, `${head}\n${chunk}`);
  }
}

/** Brings every card about this revision up to date after a change. */
export async function refreshRevisionCards(e: Effects, v: DraftView, exceptMessageId?: string) {
  const tz = e.deps.config.timezone;
  await patchAll(e, PURPOSES.review, 'draft_revision', v.revision.id, reviewCard(v, tz).card, exceptMessageId);
  await patchAll(e, PURPOSES.receipt, 'draft_revision', v.revision.id, draftReceiptCard(v, tz), exceptMessageId);
  await patchAll(e, PURPOSES.returnNotice, 'draft_revision', v.revision.id, returnedNoticeCard(v, tz), exceptMessageId);
}

export async function sendReceipt(e: Effects, v: DraftView) {
  await e.out.sendCard({ openId: v.draft.authorOpenId }, draftReceiptCard(v, e.deps.config.timezone), {
    purpose: PURPOSES.receipt,
    entityType: 'draft_revision',
    entityId: v.revision.id,
  });
}
