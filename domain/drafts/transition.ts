import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { auditLog, drafts, serialCounters, type Draft, type DraftState } from '../../db/schema/index.js';
import { UserError } from '../../bot/errors.js';
import { STATE_LABELS } from './states.js';
import { draftById } from './views.js';

/** The draft changed under the caller: someone else acted first. Carries who and what. */
export class DraftStateConflict extends UserError {
  constructor(readonly draft: Draft) {
    super(
      `稿件 ${draft.serial} 当前状态为“${STATE_LABELS[draft.state]}”${draft.decidedBy ? '，已由他人处理' : ''}，本次操作未生效。`,
      'user:conflict',
    );
    this.name = 'DraftStateConflict';
  }
}

export type TransitionInput = {
  draftId: number;
  /** States the draft may be in for this transition; anything else is a conflict. */
  from: DraftState[];
  to: DraftState;
  actor: string;
  action: string;
  at: Date;
  reason?: string;
  data?: Record<string, unknown>;
  /** Extra columns to set with the state (title, revision, decidedBy, …). */
  set?: Partial<Pick<Draft, 'title' | 'currentRevision' | 'decidedAt' | 'decidedBy' | 'topicId' | 'category'>>;
  /** The draft's row as the caller read it `for update` in this transaction: not read again. */
  locked?: Draft;
};

/**
 * The one way a draft changes state: row-locked, checked against the expected states, and
 * recorded in the audit log in the same transaction. Two reviewers clicking at once serialize on
 * the row lock; the second sees the new state and gets a DraftStateConflict.
 */
export async function transitionDraft(tx: Tx, t: TransitionInput): Promise<{ draft: Draft; previous: Draft }> {
  const previous = t.locked?.id === t.draftId ? t.locked : await draftById(tx, t.draftId, { forUpdate: true });
  if (!t.from.includes(previous.state)) throw new DraftStateConflict(previous);
  const [draft] = await tx
    .update(drafts)
    .set({ state: t.to, updatedAt: t.at, ...t.set })
    .where(eq(drafts.id, t.draftId))
    .returning();
  await tx.insert(auditLog).values({
    at: t.at,
    actor: t.actor,
    entityType: 'draft',
    entityId: String(t.draftId),
    action: t.action,
    fromState: previous.state,
    toState: t.to,
    reason: t.reason ?? null,
    data: t.data ?? null,
  });
  return { draft: draft!, previous };
}

/** Appends an audit entry for a change that is not a state transition (a topic link, a revision). */
export async function recordAudit(
  tx: Tx,
  e: { at: Date; actor: string; entityType: string; entityId: string | number; action: string; reason?: string; data?: Record<string, unknown>; fromState?: string; toState?: string },
) {
  await tx.insert(auditLog).values({
    at: e.at,
    actor: e.actor,
    entityType: e.entityType,
    entityId: String(e.entityId),
    action: e.action,
    reason: e.reason ?? null,
    data: e.data ?? null,
    fromState: e.fromState ?? null,
    toState: e.toState ?? null,
  });
}

/**
 * What a new draft is stored under until `numberDraft` gives it its serial, in the same
 * transaction: no other transaction ever sees it. Unique per candidate, and never a serial's shape
 * (a serial is a year, a dash and a positive number).
 */
export function unnumbered(candidateId: number): Pick<typeof drafts.$inferInsert, 'serial' | 'seq'> {
  return { serial: `unnumbered-${candidateId}`, seq: -candidateId };
}

/**
 * Gives a draft inserted `unnumbered` the next serial of its year, e.g. 2026-0137. The counter's
 * upsert takes its row lock, so concurrent submissions get consecutive numbers and a rolled-back
 * submission gives its number back; every other submission waits for that lock until this one
 * commits, so it is taken as late as possible, and the number and the row are written in one
 * statement, not two round trips.
 */
export async function numberDraft(tx: Tx, draft: Pick<Draft, 'id' | 'year'>): Promise<Draft> {
  const counter = tx.$with('counter').as(
    tx
      .insert(serialCounters)
      .values({ year: draft.year, last: 1 })
      .onConflictDoUpdate({ target: serialCounters.year, set: { last: sql`${serialCounters.last} + 1` } })
      .returning({ last: serialCounters.last }),
  );
  const seq = sql`(select ${counter.last} from ${counter})`;
  const [numbered] = await tx
    .with(counter)
    .update(drafts)
    .set({ seq, serial: sql`${`${draft.year}-`} || lpad(${seq}::text, greatest(4, length(${seq}::text)), '0')` })
    .where(eq(drafts.id, draft.id))
    .returning();
  return numbered!;
}
