import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { auditLog, cardMessages, draftRevisions, drafts, units } from '../../db/schema/index.js';
import { PURPOSES } from '../drafts/routing.js';

export type PendingReview = { id: number; serial: string; title: string; unitId: number; unitName: string; since: Date };

/**
 * Drafts waiting for a reviewer, with when they (last) entered pending_review: a resubmitted
 * revision starts a new wait. The audit log knows; the submission time is the fallback.
 */
export async function pendingReviews(db: DbOrTx): Promise<PendingReview[]> {
  const entered = db
    .select({ at: sql<Date>`max(${auditLog.at})` })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'draft'), eq(auditLog.entityId, sql`${drafts.id}::text`), eq(auditLog.toState, 'pending_review')));
  const rows = await db
    .select({
      id: drafts.id,
      serial: drafts.serial,
      title: drafts.title,
      unitId: drafts.unitId,
      unitName: units.name,
      submittedAt: drafts.submittedAt,
      entered: sql<Date | string | null>`(${entered})`,
    })
    .from(drafts)
    .innerJoin(units, eq(units.id, drafts.unitId))
    .where(eq(drafts.state, 'pending_review'))
    .orderBy(drafts.id);
  return rows.map((r) => ({ ...r, since: r.entered ? new Date(r.entered) : r.submittedAt }));
}

/**
 * The newest delivered review card the bot sent this reviewer for the draft's current revision (the
 * drafts feature tracks review cards per revision): a reminder answers it, a buzz rings on it.
 */
export async function deliveredReviewCard(db: DbOrTx, draftId: number, openId: string): Promise<{ id: number; messageId: string } | undefined> {
  const [row] = await db
    .select({ id: cardMessages.id, messageId: cardMessages.messageId })
    .from(cardMessages)
    .innerJoin(drafts, eq(drafts.id, draftId))
    .innerJoin(draftRevisions, and(eq(draftRevisions.draftId, drafts.id), eq(draftRevisions.revision, drafts.currentRevision)))
    .where(
      and(
        eq(cardMessages.purpose, PURPOSES.review),
        eq(cardMessages.entityType, 'draft_revision'),
        eq(cardMessages.entityId, sql`${draftRevisions.id}::text`),
        eq(cardMessages.recipient, openId),
        isNotNull(cardMessages.messageId),
      ),
    )
    .orderBy(desc(cardMessages.id))
    .limit(1);
  return row ? { id: row.id, messageId: row.messageId! } : undefined;
}
