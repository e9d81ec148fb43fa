import { PermissionError, UserError } from '../../bot/errors.js';
import { holdersOf, type Who } from '../../db/queries/roster.js';
import { revisionIntents, type Draft } from '../../db/schema/index.js';
import { chineseDateTime } from '../../bot/time.js';
import { revisionLabel } from './text.js';
import { afterDraftChanged } from './observers.js';
import { PURPOSES, refreshRevisionCards, sendReviewCard } from './routing.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { assertMayReview, recordPass } from './handoffs.js';
import { transitionDraft, type TransitionInput } from './transition.js';
import { STATE_LABELS } from './states.js';
import { draftById, loadDraftView, nameOf, type DraftView } from './views.js';

type Ctx = UnitOfWork & { who: Who };

/**
 * A decision that did not happen because the draft had moved on (`conflict` says who acted), or a
 * 通过 that waits for a 加签 (`waiting` names who must still pass it).
 */
export type DecisionResult = { view: DraftView; conflict?: string; waiting?: string };
type Conflict = { view: DraftView; conflict: string };

const VERBS = { approve: '通过了', return: '退回了', withdraw: '撤回了' } as const;


/**
 * Why a click on revision `rev` came too late, in words: who acted, when. Read under the row lock,
 * so of two reviewers clicking at once the second is told about the first.
 */
async function conflictOf(e: Ctx, draft: Draft, rev: number): Promise<Conflict | undefined> {
  if (draft.state === 'pending_review' && draft.currentRevision === rev) return undefined;
  const view = await loadDraftView(e.tx, draft.id, rev);
  const o = view.outcome;
  if (rev < draft.currentRevision && (!o || o.action === 'return')) {
    return { view, conflict: `这是${revisionLabel(rev)}的卡片，稿件 ${draft.serial} 已有${revisionLabel(draft.currentRevision)}，请在最新的卡片上操作。` };
  }
  if (!o) return { view, conflict: `稿件 ${draft.serial} 当前为“${STATE_LABELS[draft.state]}”，本次操作未生效。` };
  const who = o.actor === e.who.openId ? '您' : o.actorName;
  return { view, conflict: `${who}已于 ${chineseDateTime(o.at, e.deps.config.timezone)} ${VERBS[o.action]}这篇稿件（${draft.serial}），本次操作未生效。` };
}

function requireReviewer(e: Ctx, draft: Draft): Promise<void> {
  // The unit's reviewers, and whoever the draft was handed to by 转交 or 加签.
  return assertMayReview(e.tx, e.who, draft);
}

function requireAuthor(e: Ctx, draft: Draft) {
  if (draft.authorOpenId !== e.who.openId) throw new PermissionError('只有稿件作者本人可以操作。');
}

/**
 * Takes revision `rev` out of review (通过, 退回 or 撤回). Under the row lock a late click is answered
 * with who acted first; otherwise the audited transition runs and every card showing the revision
 * is redrawn (the clicked one is answered by the callback instead). `locked`: the draft's row read
 * `for update` in this transaction; the change is stamped with the time after the lock was granted.
 */
async function leaveReview(
  e: Ctx,
  input: { rev: number; clickedMessageId?: string },
  locked: Draft,
  change: (now: Date) => Pick<TransitionInput, 'to' | 'action' | 'reason' | 'set'>,
): Promise<Conflict | { draft: Draft; view: DraftView }> {
  const conflict = await conflictOf(e, locked, input.rev);
  if (conflict) return conflict;
  const now = e.deps.clock.now();
  const { draft } = await transitionDraft(e.tx, {
    draftId: locked.id,
    locked,
    from: ['pending_review'],
    actor: e.who.openId,
    at: now,
    data: { revision: input.rev },
    ...change(now),
  });
  await afterDraftChanged(e, draft);
  const view = await loadDraftView(e.tx, draft, input.rev);
  await refreshRevisionCards(e, view, input.clickedMessageId);
  return { draft, view };
}

/** Checks that a reviewer may act on this card now, without changing anything (退回 form, 返回). */
export async function reviewView(e: Ctx, draftId: number, rev: number): Promise<DecisionResult> {
  const draft = await draftById(e.tx, draftId);
  await requireReviewer(e, draft);
  return (await conflictOf(e, draft, rev)) ?? { view: await loadDraftView(e.tx, draftId, rev) };
}

/**
 * 通过 or 退回 one revision. Exactly one decision is recorded per revision: the row lock makes
 * concurrent clicks take turns, and the later one finds the draft decided and is told by whom.
 */
export async function decide(
  e: Ctx,
  input: { draftId: number; rev: number; decision: 'approve' | 'return'; reason?: string; clickedMessageId?: string },
): Promise<DecisionResult> {
  const reason = input.reason?.trim();
  if (input.decision === 'return' && !reason) throw new UserError('请填写退回理由。');
  // Locked from the first read: the permission, a 加签's pass and the decision all see one row.
  const locked = await draftById(e.tx, input.draftId, { forUpdate: true });
  await requireReviewer(e, locked);
  if (input.decision === 'approve') {
    const waiting = await passAwaitingCosign(e, input, locked);
    if (waiting) return waiting;
  }

  const left = await leaveReview(e, input, locked, (now) => ({
    to: input.decision === 'approve' ? 'approved' : 'returned',
    action: input.decision,
    reason,
    set: { decidedAt: now, decidedBy: e.who.openId },
  }));
  if ('conflict' in left) return left;
  const { draft, view } = left;
  const author = { openId: draft.authorOpenId };
  if (input.decision === 'approve') {
    // The author's notice and the editors' hand-on cards in one statement.
    const editors = await holdersOf(e.tx, 'editor');
    await e.notifyAll([
      { to: author, notice: { kind: 'draft.approved', view } },
      ...editors.map((ed) => ({ to: { openId: ed.openId }, notice: { kind: 'draft.handOn' as const, view }, track: { purpose: PURPOSES.handOn, entityType: 'draft', entityId: draft.id } })),
    ]);
  } else {
    await e.notify(author, { kind: 'draft.returned', view }, { purpose: PURPOSES.returnNotice, entityType: 'draft_revision', entityId: view.revision.id });
  }
  e.deps.log.info({ serial: draft.serial, revision: input.rev, decision: input.decision }, 'draft decided');
  return { view };
}

/**
 * With a 加签 on the revision, a 通过 is recorded but the draft waits until everyone asked has
 * passed it (and, when a cosigner passes first, until a reviewer has). Returns undefined when this
 * 通过 completes the review.
 */
async function passAwaitingCosign(e: Ctx, input: { rev: number; clickedMessageId?: string }, locked: Draft): Promise<DecisionResult | undefined> {
  const conflict = await conflictOf(e, locked, input.rev);
  if (conflict) return conflict;
  const pass = await recordPass(e.tx, { draft: locked, by: e.who.openId, now: e.deps.clock.now() });
  if (pass.final) return undefined;
  const view = await loadDraftView(e.tx, locked.id, input.rev);
  await refreshRevisionCards(e, view, input.clickedMessageId);
  const names = [];
  for (const id of pass.waitingFor) names.push(await nameOf(e.tx, id));
  return { view, waiting: names.join('、') };
}

/** The officer takes back a draft still waiting for review; the reviewers' cards say so. */
export async function withdraw(e: Ctx, input: { draftId: number; rev: number; clickedMessageId?: string }): Promise<DecisionResult> {
  const locked = await draftById(e.tx, input.draftId, { forUpdate: true });
  requireAuthor(e, locked);
  const left = await leaveReview(e, input, locked, () => ({ to: 'withdrawn', action: 'withdraw' }));
  if ('conflict' in left) return left;
  const { draft, view } = left;
  e.deps.log.info({ serial: draft.serial, revision: input.rev }, 'draft withdrawn');
  return { view };
}

/**
 * 提交修改稿: the officer's next draft-like message becomes the next revision of this draft
 * (confirmed on the usual card). Not a state change: the draft stays returned until then.
 */
export async function startRevision(e: Ctx, input: { draftId: number; rev: number }): Promise<DraftView> {
  const draft = await draftById(e.tx, input.draftId);
  requireAuthor(e, draft);
  if (draft.state !== 'returned' || draft.currentRevision !== input.rev) {
    throw new UserError(`稿件 ${draft.serial} 当前为“${STATE_LABELS[draft.state]}”（${revisionLabel(draft.currentRevision)}），无需再提交修改稿。`);
  }
  const now = e.deps.clock.now();
  await e.tx
    .insert(revisionIntents)
    .values({ openId: e.who.openId, draftId: draft.id, createdAt: now })
    .onConflictDoUpdate({ target: revisionIntents.openId, set: { draftId: draft.id, createdAt: now } });
  return loadDraftView(e.tx, draft.id, input.rev);
}

/** 待审 → a reviewer asks for a draft's review card again (lost in the chat, or a new reviewer). */
export async function resendReviewCard(e: Ctx, draftId: number): Promise<DraftView> {
  const draft = await draftById(e.tx, draftId);
  await requireReviewer(e, draft);
  if (draft.state !== 'pending_review') throw new UserError(`稿件 ${draft.serial} 当前为“${STATE_LABELS[draft.state]}”，无需审核。`);
  const view = await loadDraftView(e.tx, draftId);
  await sendReviewCard(e, view, e.who.openId);
  return view;
}
