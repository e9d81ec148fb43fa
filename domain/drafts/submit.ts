import { and, eq, ne } from 'drizzle-orm';
import { PermissionError, UserError } from '../../bot/errors.js';
import { localYear } from '../../bot/time.js';
import type { Who } from '../../db/queries/roster.js';
import { displayName, holdersOf } from '../../db/queries/roster.js';
import {
  CATEGORIES,
  draftCandidates,
  draftRevisions,
  drafts,
  revisionIntents,
  type Category,
  type Draft,
  type DraftCandidate,
  type DraftRevision,
} from '../../db/schema/index.js';
import { runChecks } from '../checks/run-checks.js';
import { indexRevision, signatureOf, type Signature } from '../checks/signatures.js';
import type { Finding } from '../checks/types.js';
import { handToEditors, onLeave } from './handoffs.js';
import { afterDraftChanged } from './observers.js';
import { PURPOSES, refreshRevisionCards, sendReceipt, sendReviewCard } from './routing.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { bodyChars, splitBody } from './text.js';
import { numberDraft, recordAudit, transitionDraft, unnumbered } from './transition.js';
import { loadDraftView, reviewersOf, type DraftView } from './views.js';

export type ConfirmInput = { candidateId: number; category?: string; topicId?: number | null; unitId?: number };

export type ConfirmResult =
  | { kind: 'submitted'; candidate: DraftCandidate; view: DraftView }
  /** Confirmed before (a second tap): nothing new happened. */
  | { kind: 'already'; candidate: DraftCandidate; draft: Draft | undefined };

/**
 * The officer confirmed a candidate: it becomes a new draft (serial assigned here, inside the
 * transaction) or the next revision of a returned draft. Review cards go to the unit's reviewers
 * and the receipt to the officer, all in this transaction.
 */
export async function confirmCandidate(e: UnitOfWork & { who: Who }, input: ConfirmInput): Promise<ConfirmResult> {
  const { tx, who } = e;
  const [candidate] = await tx.select().from(draftCandidates).where(eq(draftCandidates.id, input.candidateId)).for('update');
  if (!candidate) throw new UserError('找不到这条待确认的稿件，请重新发送。');
  if (candidate.openId !== who.openId) throw new PermissionError('这张确认卡片不是发给您的。');
  if (candidate.status === 'confirmed') {
    const [draft] = candidate.draftId ? await tx.select().from(drafts).where(eq(drafts.id, candidate.draftId)) : [];
    return { kind: 'already', candidate, draft };
  }
  if (candidate.status === 'cancelled') throw new UserError('这条稿件已取消提交。如需提交审核，请重新发送。');
  if (candidate.status === 'superseded') throw new UserError('您随后又发送了一稿，请在最新的确认卡片上提交。');

  const { view, away } = candidate.draftId ? { view: await submitRevision(e, candidate, candidate.draftId), away: undefined } : await submitNew(e, candidate, input);
  const now = e.deps.clock.now();
  // A new draft holds the serial counter's lock from its numbering to commit, and every other
  // submission waits for it: what is left, all of which shows the serial, is issued together (on
  // PostgreSQL one pipeline instead of a round trip each).
  const [[confirmed]] = await Promise.all([
    tx.update(draftCandidates).set({ status: 'confirmed', decidedAt: now, draftId: view.draft.id }).where(eq(draftCandidates.id, candidate.id)).returning(),
    routeForReview(e, view, away),
    candidate.draftId ? undefined : recordSubmitted(e, view.draft, candidate),
  ]);
  e.deps.log.info({ serial: view.draft.serial, revision: view.revision.revision, chars: view.revision.charCount }, 'draft submitted');
  return { kind: 'submitted', candidate: confirmed!, view };
}

/**
 * A new draft, stored and numbered, and which of its unit's reviewers are on leave (read before the
 * serial's lock). Its audit entry and topic link follow in the caller, beside the cards.
 */
async function submitNew(e: UnitOfWork & { who: Who }, candidate: DraftCandidate, input: ConfirmInput): Promise<{ view: DraftView; away: Set<string> }> {
  const { tx, who, deps } = e;
  const unitId = input.unitId ?? candidate.unitId;
  if (!who.officerUnits.some((u) => u.id === unitId)) {
    throw new PermissionError('您已不是该单位的信息员，无法提交。如有疑问请联系研究室。');
  }
  const category = (CATEGORIES as readonly string[]).includes(input.category ?? '') ? (input.category as Category) : '组工信息';
  const now = deps.clock.now();
  // The checks (the slow part) run before the serial is taken: the serial counter's row lock is
  // held until commit, and every concurrent submission queues behind it. The unit's reviewers, and
  // which of them are on leave, are read alongside for the same reason.
  const [checks, { reviewers, away }] = await Promise.all([
    checksFor(e, candidate, category, unitId, undefined),
    reviewersOf(tx, unitId).then(async (reviewers) => ({
      reviewers,
      away: await onLeave(
        tx,
        reviewers.map((r) => r.openId),
        now,
        deps.config.timezone,
      ),
    })),
  ]);
  const signature = signatureOf(candidate.body);
  // The year of the serial is the calendar year where the department is, not UTC's.
  const year = localYear(now, deps.config.timezone);
  // The draft and its text are stored before the serial is taken, for the same reason; nothing
  // outside this transaction sees the draft before it has its number.
  const [unnumberedDraft] = await tx
    .insert(drafts)
    .values({
      ...unnumbered(candidate.id),
      year,
      unitId,
      authorOpenId: who.openId,
      category,
      state: 'pending_review',
      topicId: input.topicId ?? null,
      currentRevision: 1,
      title: candidate.title,
      submittedAt: now,
      updatedAt: now,
    })
    .returning();
  const revision = await insertRevision(e, unnumberedDraft!, candidate, 1, checks, signature);
  const draft = await numberDraft(tx, unnumberedDraft!);
  // The view is what this transaction wrote, not read back: a draft submitted a moment ago has no
  // earlier revision, decision or handoff yet, and its unit and author come from the roster read
  // that authorized the submission.
  const view: DraftView = {
    draft,
    revision,
    previous: undefined,
    unitName: who.officerUnits.find((u) => u.id === unitId)!.name,
    authorName: displayName(who.name, who.openId),
    reviewers,
    outcome: undefined,
    handoffs: [],
  };
  return { view, away };
}

/** A new draft's audit entry and its topic link (the topic board shows the serial): written once it is numbered. */
async function recordSubmitted(e: UnitOfWork & { who: Who }, draft: Draft, candidate: DraftCandidate): Promise<void> {
  await Promise.all([
    recordAudit(e.tx, {
      at: draft.submittedAt,
      actor: e.who.openId,
      entityType: 'draft',
      entityId: draft.id,
      action: 'submit',
      toState: 'pending_review',
      data: { revision: 1, serial: draft.serial, candidateId: candidate.id, sourceType: candidate.sourceType, topicId: draft.topicId },
    }),
    afterDraftChanged(e, draft),
  ]);
}

async function submitRevision(e: UnitOfWork & { who: Who }, candidate: DraftCandidate, draftId: number): Promise<DraftView> {
  const { tx, who, deps } = e;
  const [current] = await tx.select().from(drafts).where(eq(drafts.id, draftId)).for('update');
  if (!current) throw new UserError('找不到要修改的稿件。');
  if (current.authorOpenId !== who.openId) throw new PermissionError('只有稿件作者可以提交修改稿。');
  const revision = current.currentRevision + 1;
  const now = deps.clock.now();
  const { draft } = await transitionDraft(tx, {
    draftId,
    from: ['returned'],
    to: 'pending_review',
    actor: who.openId,
    action: 'revise',
    at: now,
    data: { revision, candidateId: candidate.id },
    set: { currentRevision: revision, title: candidate.title, decidedAt: null, decidedBy: null },
  });
  await insertRevision(e, draft, candidate, revision, await checksFor(e, candidate, draft.category, draft.unitId, draft.id), signatureOf(candidate.body));
  await tx.delete(revisionIntents).where(and(eq(revisionIntents.openId, who.openId), eq(revisionIntents.draftId, draftId)));
  await tx
    .update(draftCandidates)
    .set({ status: 'superseded', decidedAt: now })
    .where(and(eq(draftCandidates.draftId, draftId), eq(draftCandidates.status, 'open'), ne(draftCandidates.id, candidate.id)));
  await afterDraftChanged(e, draft);
  // The previous revision's return notice loses its 提交修改稿 button.
  await refreshRevisionCards(e, await loadDraftView(tx, draftId, revision - 1));
  return loadDraftView(tx, draftId);
}

/** The pre-review checks of a candidate's text, stored with the revision it becomes. */
async function checksFor(e: UnitOfWork, candidate: DraftCandidate, category: Category, unitId: number, draftId: number | undefined) {
  return runChecks(e.tx, { title: candidate.title, paragraphs: splitBody(candidate.body), category, unitId, draftId, now: e.deps.clock.now() });
}

async function insertRevision(e: UnitOfWork, draft: Draft, candidate: DraftCandidate, revision: number, checks: Finding[], signature: Signature): Promise<DraftRevision> {
  const [stored] = await e.tx.insert(draftRevisions).values({
    draftId: draft.id,
    revision,
    title: candidate.title,
    body: candidate.body,
    charCount: bodyChars(splitBody(candidate.body)),
    sourceType: candidate.sourceType,
    fileName: candidate.fileName,
    blobSha256: candidate.blobSha256,
    checks,
    createdAt: e.deps.clock.now(),
  }).returning();
  // Indexed now, in the transaction that stores it: left to the next submission's checks, every
  // submission running at the same time would index it, each waiting for the others' inserts.
  await indexRevision(e.tx, { id: stored!.id, draftId: draft.id, body: candidate.body }, e.deps.clock.now(), { signature });
  return stored!;
}

/** Review cards to every reviewer of the unit, the receipt to the officer. `known`: who is on leave, when read already. */
async function routeForReview(e: UnitOfWork, v: DraftView, known?: Set<string>) {
  // Reviewers on leave (请假) get nothing; when all are away the editors review it instead.
  const away = known ?? (await onLeave(e.tx, v.reviewers.map((r) => r.openId), e.deps.clock.now(), e.deps.config.timezone));
  const present = v.reviewers.filter((r) => !away.has(r.openId));
  if (present.length > 0) {
    // Cards to different people are issued together (a new draft still holds the serial counter's
    // lock here); one person's cards keep their order, so a reviewer who wrote the draft gets the
    // review card before the receipt.
    const author = v.draft.authorOpenId;
    await Promise.all([
      ...present.filter((r) => r.openId !== author).map((r) => sendReviewCard(e, v, r.openId)),
      (async () => {
        if (present.some((r) => r.openId === author)) await sendReviewCard(e, v, author);
        await sendReceipt(e, v);
      })(),
    ]);
    return;
  }
  if (v.reviewers.length > 0) {
    const editors = await handToEditors(e.tx, { draft: v.draft, revision: v.revision.revision, now: e.deps.clock.now(), why: 'leave' });
    const handed = await loadDraftView(e.tx, v.draft.id, v.revision.revision);
    for (const id of editors) await sendReviewCard(e, handed, id);
  }
  if (v.reviewers.length === 0) {
    e.deps.log.warn({ serial: v.draft.serial, unitId: v.draft.unitId }, 'draft submitted by a unit without reviewers');
    await e.notifyAll((await holdersOf(e.tx, 'editor')).map((ed) => ({ to: { openId: ed.openId }, notice: { kind: 'draft.noReviewer', view: v } })));
  }
  await sendReceipt(e, v);
}

/** The officer tapped 取消: the candidate is closed, nothing else is stored. */
export async function cancelCandidate(e: UnitOfWork & { who: Who }, candidateId: number): Promise<DraftCandidate> {
  const { tx, who } = e;
  const [candidate] = await tx.select().from(draftCandidates).where(eq(draftCandidates.id, candidateId)).for('update');
  if (!candidate) throw new UserError('找不到这条待确认的稿件。');
  if (candidate.openId !== who.openId) throw new PermissionError('这张确认卡片不是发给您的。');
  if (candidate.status === 'confirmed') throw new UserError('这篇稿件已经提交，无法取消。如需撤回，请在回执卡片上点“撤回”。');
  if (candidate.status !== 'open') return candidate;
  return closeCandidate(e, candidate);
}

/**
 * The officer recalled (撤回) in Lark the message a candidate came from: an open candidate is closed
 * and its confirmation card says so; one already submitted stays a draft, and the officer is told
 * how to withdraw it. Returns what happened, for the log.
 */
export async function candidateRecalled(e: UnitOfWork, sourceMessageId: string): Promise<'closed' | 'submitted' | 'none'> {
  const { tx } = e;
  const [candidate] = await tx.select().from(draftCandidates).where(eq(draftCandidates.sourceMessageId, sourceMessageId)).for('update');
  if (candidate?.status === 'open') {
    await closeCandidate(e, candidate);
    await e.redraw([{ track: { purpose: PURPOSES.confirm, entityType: 'draft_candidate', entityId: candidate.id }, notice: { kind: 'draft.confirmClosed', title: candidate.title, outcome: 'recalled' } }]);
    return 'closed';
  }
  if (candidate?.status !== 'confirmed' || !candidate.draftId) return 'none';
  const [draft] = await tx.select().from(drafts).where(eq(drafts.id, candidate.draftId));
  await e.out.sendText(
    { openId: candidate.openId },
    `您撤回的消息已提交为稿件 ${draft!.serial}，撤回消息不会撤回稿件。如需撤回稿件（仅限待审核时），请在回执卡片或“我的稿件”中点“撤回”。`,
  );
  return 'submitted';
}

async function closeCandidate(e: UnitOfWork, candidate: DraftCandidate): Promise<DraftCandidate> {
  const [cancelled] = await e.tx
    .update(draftCandidates)
    .set({ status: 'cancelled', decidedAt: e.deps.clock.now() })
    .where(eq(draftCandidates.id, candidate.id))
    .returning();
  // Cancelling a revision also ends "the next text is the revision": the officer may mean a new draft.
  if (candidate.draftId) {
    await e.tx.delete(revisionIntents).where(and(eq(revisionIntents.openId, candidate.openId), eq(revisionIntents.draftId, candidate.draftId)));
  }
  return cancelled!;
}
