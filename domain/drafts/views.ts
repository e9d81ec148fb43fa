import { receiptProgress, type ReceiptProgress } from './receipt-progress.js';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { auditLog, draftRevisions, drafts, people, reviewHandoffs, units, type Draft, type DraftRevision, type ReviewHandoff } from '../../db/schema/index.js';
import { displayName, holdersOf } from '../../db/queries/roster.js';
import { UserError } from '../../bot/errors.js';

/** The decision that closed one revision's review, as shown on its cards. */
export type Outcome = {
  action: 'approve' | 'return' | 'withdraw';
  actor: string;
  actorName: string;
  at: Date;
  reason: string | undefined;
};

/** Everything the draft cards show, read in one place so every card tells the same story. */
export type DraftView = {
  draft: Draft;
  revision: DraftRevision;
  previous: DraftRevision | undefined;
  unitName: string;
  authorName: string;
  reviewers: { openId: string; name: string }[];
  /** How this revision's review ended; undefined while it is pending. */
  outcome: Outcome | undefined;
  /** 转交, 加签 and passes awaiting a 加签 on this revision, oldest first. */
  handoffs?: HandoffLine[];
  /** After review: the issue it went into, recognitions and points (see receipt-progress.ts). */
  progress?: ReceiptProgress;
};

/** A handoff as the review card shows it. */
export type HandoffLine = { kind: ReviewHandoff['kind']; status: ReviewHandoff['status']; fromName: string; toName: string; at: Date };

async function handoffLines(db: DbOrTx, draftId: number, revision: number): Promise<HandoffLine[]> {
  const rows = await db
    .select()
    .from(reviewHandoffs)
    .where(and(eq(reviewHandoffs.draftId, draftId), eq(reviewHandoffs.revision, revision)))
    .orderBy(asc(reviewHandoffs.id));
  const out: HandoffLine[] = [];
  for (const r of rows) {
    out.push({ kind: r.kind, status: r.status, fromName: r.fromOpenId === 'system' ? '系统' : await nameOf(db, r.fromOpenId), toName: await nameOf(db, r.toOpenId), at: r.createdAt });
  }
  return out;
}

export async function nameOf(db: DbOrTx, openId: string): Promise<string> {
  const [p] = await db.select({ name: people.name }).from(people).where(eq(people.openId, openId));
  return displayName(p?.name, openId);
}

export async function reviewersOf(db: DbOrTx, unitId: number): Promise<{ openId: string; name: string }[]> {
  const rows = await holdersOf(db, 'reviewer', [unitId]);
  const seen = new Set<string>();
  return rows
    .filter((r) => (seen.has(r.openId) ? false : (seen.add(r.openId), true)))
    .map((r) => ({ openId: r.openId, name: displayName(r.name, r.openId) }))
    .sort((x, y) => x.openId.localeCompare(y.openId));
}

/**
 * The draft with this id, or the user error every handler answers with. `forUpdate` locks the row
 * for the rest of the transaction (state changes read and write it under that lock).
 */
export async function draftById(db: DbOrTx, draftId: number, o: { forUpdate?: boolean } = {}): Promise<Draft> {
  const query = db.select().from(drafts).where(eq(drafts.id, draftId));
  const [draft] = o.forUpdate ? await query.for('update') : await query;
  if (!draft) throw new UserError('找不到这篇稿件。');
  return draft;
}

/** The draft and one of its revisions (the current one unless `revision` is given). */
export async function loadDraftView(db: DbOrTx, draftOrId: number | Draft, revision?: number): Promise<DraftView> {
  // A caller that has just written the draft row passes it, and saves reading it back.
  const draft = typeof draftOrId === 'number' ? await draftById(db, draftOrId) : draftOrId;
  const draftId = draft.id;
  const revNo = revision ?? draft.currentRevision;
  // The reads below do not depend on each other, so they are issued together: on PostgreSQL a
  // transaction's concurrent queries share its connection and travel as one pipeline. A submission
  // draws its cards while holding the serial counter's lock, so each round trip saved here is time
  // the next submission does not wait.
  const [revs, [unit], authorName, reviewers, outcome, handoffs, progress] = await Promise.all([
    db
      .select()
      .from(draftRevisions)
      .where(and(eq(draftRevisions.draftId, draftId), inArray(draftRevisions.revision, revNo > 1 ? [revNo - 1, revNo] : [revNo])))
      .orderBy(asc(draftRevisions.revision)),
    db.select({ name: units.name }).from(units).where(eq(units.id, draft.unitId)),
    nameOf(db, draft.authorOpenId),
    reviewersOf(db, draft.unitId),
    outcomeOf(db, draftId, revNo),
    handoffLines(db, draftId, revNo),
    AFTER_REVIEW.includes(draft.state) ? receiptProgress(db, draft) : undefined,
  ]);
  const current = revs.find((r) => r.revision === revNo);
  if (!current) throw new UserError('找不到这篇稿件的这一稿。');
  return { draft, revision: current, previous: revs.find((r) => r.revision === revNo - 1), unitName: unit?.name ?? '', authorName, reviewers, outcome, handoffs, progress };
}

const AFTER_REVIEW: Draft['state'][] = ['approved', 'adopted', 'archived'];

/** The last decision recorded for one revision (audit rows carry the revision in `data`). */
export async function outcomeOf(db: DbOrTx, draftId: number, revision: number): Promise<Outcome | undefined> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'draft'), eq(auditLog.entityId, String(draftId)), inArray(auditLog.action, ['approve', 'return', 'withdraw'])))
    .orderBy(asc(auditLog.id));
  const last = rows.filter((r) => Number(r.data?.revision) === revision).pop();
  if (!last) return undefined;
  return {
    action: last.action as Outcome['action'],
    actor: last.actor,
    actorName: await nameOf(db, last.actor),
    at: last.at,
    reason: last.reason ?? undefined,
  };
}
