import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import type { DbOrTx } from '../../db/client.js';
import { bulletinIssues, bulletinItems, bulletinItemSources, draftRevisions, drafts, recognitions, scoreEvents, type Draft, type Recognition, type RecognitionKind } from '../../db/schema/index.js';
import { issueLabel } from '../desk/issues.js';
import { centsToPoints, refreshScoreLedger } from '../scoring/ledger.js';
import type { Level } from '../scoring/types.js';
import { PURPOSES, trackedCards } from './routing.js';
import { loadDraftView } from './views.js';

/** What happened to a draft after review, as its receipt shows it. */
export type ReceiptProgress = {
  /** The issue and position it was adopted into. */
  issue: { label: string; position: number; merged: boolean } | undefined;
  /** Confirmed upper-level adoptions, 批示 and media pieces, oldest first. */
  recognitions: { kind: RecognitionKind; level: Level; outlet: string | null; occurredOn: string }[];
  /** Points the piece earned the draft's unit so far (as the score ledger last priced them). */
  points: number;
};

/**
 * The receipt's later steps: the issue it went into, recognitions confirmed for its piece (the draft
 * itself, or the bulletin item it was merged into) and the points they earned its unit.
 */
export async function receiptProgress(db: DbOrTx, draft: Draft): Promise<ReceiptProgress> {
  const [placed] = await db
    .select({ itemId: bulletinItems.id, position: bulletinItems.position, kind: bulletinItems.kind, year: bulletinIssues.year, number: bulletinIssues.number })
    .from(bulletinItemSources)
    .innerJoin(bulletinItems, eq(bulletinItems.id, bulletinItemSources.itemId))
    .innerJoin(bulletinIssues, eq(bulletinIssues.id, bulletinItems.issueId))
    .where(eq(bulletinItemSources.draftId, draft.id));
  const ofPiece = placed ? or(eq(recognitions.draftId, draft.id), eq(recognitions.itemId, placed.itemId)) : eq(recognitions.draftId, draft.id);
  const recs = await db
    .select({ kind: recognitions.kind, level: recognitions.level, outlet: recognitions.outlet, occurredOn: recognitions.occurredOn })
    .from(recognitions)
    .where(and(eq(recognitions.status, 'confirmed'), ofPiece))
    .orderBy(asc(recognitions.occurredOn), asc(recognitions.id));
  const eventOfPiece = placed ? or(eq(scoreEvents.draftId, draft.id), eq(scoreEvents.itemId, placed.itemId)) : eq(scoreEvents.draftId, draft.id);
  const [sum] = await db
    .select({ cents: sql<string>`coalesce(sum(${scoreEvents.cents}), 0)` })
    .from(scoreEvents)
    .where(and(eq(scoreEvents.unitId, draft.unitId), eventOfPiece));
  return {
    issue: placed ? { label: issueLabel(placed), position: placed.position, merged: placed.kind === 'merged' } : undefined,
    recognitions: recs,
    points: centsToPoints(Number(sum?.cents ?? 0)),
  };
}

/**
 * Patches the officer's receipt of the draft's current revision after a later step (adopted,
 * declined, recognized), with the score ledger priced first so the points shown are current.
 */
export async function refreshReceipt(ctx: UnitOfWork, draftId: number): Promise<void> {
  const [current] = await ctx.tx
    .select({ id: draftRevisions.id })
    .from(draftRevisions)
    .innerJoin(drafts, and(eq(drafts.id, draftRevisions.draftId), eq(drafts.currentRevision, draftRevisions.revision)))
    .where(eq(draftRevisions.draftId, draftId));
  // Drafts imported without a receipt (history loaded into the database) have nothing to patch.
  if (!current || (await trackedCards(ctx.tx, PURPOSES.receipt, 'draft_revision', current.id)).length === 0) return;
  await refreshScoreLedger(ctx.tx, ctx.deps.config.timezone);
  const view = await loadDraftView(ctx.tx, draftId);
  await ctx.redraw([{ track: { purpose: PURPOSES.receipt, entityType: 'draft_revision', entityId: view.revision.id }, notice: { kind: 'draft.receipt', view } }]);
}

/**
 * After a recognition is recorded or decided: once confirmed, every draft of its piece gets its
 * receipt patched, and (with `tell`) each author who did not record it themselves is told. Callers
 * that already told the authors in their own words (批示 from the sign-off card) pass tell: false.
 */
export async function afterRecognition(ctx: UnitOfWork, rec: Recognition, o: { tell: boolean }): Promise<void> {
  if (rec.status !== 'confirmed') return;
  const sources = rec.itemId !== null
    ? await ctx.tx.select({ draftId: bulletinItemSources.draftId }).from(bulletinItemSources).where(eq(bulletinItemSources.itemId, rec.itemId))
    : [];
  const ids = [...new Set([...sources.map((s) => s.draftId), ...(rec.draftId !== null ? [rec.draftId] : [])])].sort((a, b) => a - b);
  for (const id of ids) {
    await refreshReceipt(ctx, id);
    const [draft] = await ctx.tx.select().from(drafts).where(eq(drafts.id, id));
    if (!o.tell || !draft || draft.authorOpenId === rec.reportedBy) continue;
    await ctx.notify(
      { openId: draft.authorOpenId },
      { kind: 'draft.recognized', serial: draft.serial, title: draft.title, recognition: { kind: rec.kind, level: rec.level, outlet: rec.outlet, occurredOn: rec.occurredOn } },
    );
  }
}
