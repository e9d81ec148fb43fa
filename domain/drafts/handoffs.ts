import { and, eq, gte, inArray, isNull } from 'drizzle-orm';
import { PermissionError, UserError } from '../../bot/errors.js';
import { formatLocalDate } from '../../bot/time.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import type { Who } from '../../db/queries/roster.js';
import { holdersOf } from '../../db/queries/roster.js';
import { reviewHandoffs, reviewerLeaves, type Draft, type ReviewHandoff } from '../../db/schema/index.js';
import { recordAudit } from './transition.js';
import { nameOf } from './views.js';


export async function handoffsOf(db: DbOrTx, draftId: number, revision: number): Promise<ReviewHandoff[]> {
  return db
    .select()
    .from(reviewHandoffs)
    .where(and(eq(reviewHandoffs.draftId, draftId), eq(reviewHandoffs.revision, revision)))
    .orderBy(reviewHandoffs.id);
}

/** The unit's reviewer, or someone the draft's current revision was handed to (转交 or 加签). */
export async function assertMayReview(tx: Tx, who: Who, draft: Draft): Promise<void> {
  if (who.reviewerUnits.some((u) => u.id === draft.unitId)) return;
  if (who.known) {
    const rows = await handoffsOf(tx, draft.id, draft.currentRevision);
    const handed = rows.some((r) => r.toOpenId === who.openId && r.kind !== 'pass' && r.status !== 'cancelled');
    // An editor handed a draft stays able to act only while still an editor; a reviewer only while in the roster.
    if (handed && (who.editor || who.reviewerUnits.length > 0)) return;
  }
  throw new PermissionError('只有本单位的组织委员可以审核这篇稿件。');
}

/** Who a reviewer may hand a draft to: the unit's other reviewers and the editors. */
export async function handoffCandidates(tx: Tx, draft: Draft, except: string): Promise<{ openId: string; name: string }[]> {
  const rows = [...(await holdersOf(tx, 'reviewer', [draft.unitId])), ...(await holdersOf(tx, 'editor'))];
  const seen = new Set<string>([except]);
  const out: { openId: string; name: string }[] = [];
  for (const r of rows) {
    if (seen.has(r.openId)) continue;
    seen.add(r.openId);
    out.push({ openId: r.openId, name: await nameOf(tx, r.openId) });
  }
  return out;
}

/** Checks a 转交/加签 target and records the handoff. */
export async function recordHandoff(
  tx: Tx,
  o: { draft: Draft; kind: 'transfer' | 'cosign'; from: string; to: string; now: Date },
): Promise<ReviewHandoff> {
  if (o.to === o.from) throw new UserError(o.kind === 'transfer' ? '不能转交给自己。' : '不能加签给自己。');
  const candidates = await handoffCandidates(tx, o.draft, o.from);
  if (!candidates.some((c) => c.openId === o.to)) throw new UserError('只能选择本单位的其他组织委员或研究室人员。');
  const existing = await handoffsOf(tx, o.draft.id, o.draft.currentRevision);
  if (o.kind === 'cosign' && existing.some((r) => r.kind === 'cosign' && r.toOpenId === o.to && r.status === 'pending')) {
    throw new UserError('已请此人加签，正在等待其审核。');
  }
  const [row] = await tx
    .insert(reviewHandoffs)
    .values({
      draftId: o.draft.id,
      revision: o.draft.currentRevision,
      kind: o.kind,
      fromOpenId: o.from,
      toOpenId: o.to,
      status: o.kind === 'transfer' ? 'done' : 'pending',
      createdAt: o.now,
      doneAt: o.kind === 'transfer' ? o.now : null,
    })
    .returning();
  await recordAudit(tx, { at: o.now, actor: o.from, entityType: 'draft', entityId: o.draft.id, action: o.kind, data: { revision: o.draft.currentRevision, to: o.to } });
  return row!;
}

/**
 * 通过 while a 加签 is involved. Returns `final` when this pass completes the review (no 加签 left
 * pending and, for a cosigner, someone else passed before), else what is still awaited.
 */
export async function recordPass(tx: Tx, o: { draft: Draft; by: string; now: Date }): Promise<{ final: true } | { final: false; waitingFor: string[] }> {
  const rows = await handoffsOf(tx, o.draft.id, o.draft.currentRevision);
  const mine = rows.find((r) => r.kind === 'cosign' && r.status === 'pending' && r.toOpenId === o.by);
  if (mine) await tx.update(reviewHandoffs).set({ status: 'done', doneAt: o.now }).where(eq(reviewHandoffs.id, mine.id));
  const pending = rows.filter((r) => r.kind === 'cosign' && r.status === 'pending' && r.id !== mine?.id);
  const passedBefore = rows.some((r) => r.kind === 'pass');
  const hadCosign = rows.some((r) => r.kind === 'cosign');
  if (pending.length === 0 && (!mine || passedBefore || !hadCosign)) return { final: true };
  if (pending.length === 0 && mine && !passedBefore) {
    // The cosigner passed first: the reviewer who asked still has to pass it.
    await audit(tx, o, 'cosign_pass');
    return { final: false, waitingFor: [...new Set(rows.filter((r) => r.kind === 'cosign').map((r) => r.fromOpenId))] };
  }
  if (!mine) {
    await tx.insert(reviewHandoffs).values({
      draftId: o.draft.id,
      revision: o.draft.currentRevision,
      kind: 'pass',
      fromOpenId: o.by,
      toOpenId: o.by,
      status: 'done',
      createdAt: o.now,
      doneAt: o.now,
    });
  }
  await audit(tx, o, mine ? 'cosign_pass' : 'pass_awaiting_cosign');
  return { final: false, waitingFor: pending.map((r) => r.toOpenId) };
}

async function audit(tx: Tx, o: { draft: Draft; by: string; now: Date }, action: string) {
  await recordAudit(tx, { at: o.now, actor: o.by, entityType: 'draft', entityId: o.draft.id, action, data: { revision: o.draft.currentRevision } });
}

/** Pending 加签 asked of someone who just left the roster: cancelled; returns them for notices. */
export async function cancelCosignsOf(tx: Tx, openId: string, now: Date): Promise<ReviewHandoff[]> {
  return tx
    .update(reviewHandoffs)
    .set({ status: 'cancelled', doneAt: now })
    .where(and(eq(reviewHandoffs.toOpenId, openId), eq(reviewHandoffs.kind, 'cosign'), eq(reviewHandoffs.status, 'pending')))
    .returning();
}

// ---- 请假 / 销假 ----------------------------------------------------------------------

/** Reviewers among `openIds` on leave today (local date within their leave). */
export async function onLeave(db: DbOrTx, openIds: string[], now: Date, timezone: string): Promise<Set<string>> {
  if (!openIds.length) return new Set();
  const today = formatLocalDate(now, timezone);
  const rows = await db
    .select({ openId: reviewerLeaves.openId })
    .from(reviewerLeaves)
    .where(and(inArray(reviewerLeaves.openId, openIds), isNull(reviewerLeaves.endedAt), gte(reviewerLeaves.untilDate, today)));
  return new Set(rows.map((r) => r.openId));
}

/**
 * Nobody of the unit can review (all on leave, or the last reviewer removed): the editors get the
 * revision by a system 转交, which lets them decide it. Returns the editors' open_ids.
 */
export async function handToEditors(tx: Tx, o: { draft: Draft; revision: number; now: Date; why: string }): Promise<string[]> {
  const editors = [...new Set((await holdersOf(tx, 'editor')).map((e) => e.openId))];
  const existing = await handoffsOf(tx, o.draft.id, o.revision);
  const fresh = editors.filter((id) => !existing.some((r) => r.kind === 'transfer' && r.toOpenId === id));
  if (!fresh.length) return [];
  await tx.insert(reviewHandoffs).values(
    fresh.map((toOpenId) => ({ draftId: o.draft.id, revision: o.revision, kind: 'transfer' as const, fromOpenId: 'system', toOpenId, status: 'done' as const, createdAt: o.now, doneAt: o.now })),
  );
  await recordAudit(tx, { at: o.now, actor: 'system', entityType: 'draft', entityId: o.draft.id, action: 'transfer', data: { revision: o.revision, to: fresh, why: o.why } });
  return fresh;
}

/** Starts a leave until `untilDate` (ending any earlier one); 销假 passes undefined to end it. */
export async function setLeave(tx: Tx, o: { openId: string; untilDate: string | undefined; now: Date }): Promise<boolean> {
  const ended = await tx
    .update(reviewerLeaves)
    .set({ endedAt: o.now })
    .where(and(eq(reviewerLeaves.openId, o.openId), isNull(reviewerLeaves.endedAt)))
    .returning({ id: reviewerLeaves.id });
  if (o.untilDate) await tx.insert(reviewerLeaves).values({ openId: o.openId, untilDate: o.untilDate, startedAt: o.now });
  await recordAudit(tx, { at: o.now, actor: o.openId, entityType: 'roster', entityId: o.openId, action: o.untilDate ? 'leave' : 'leave_end', data: { until: o.untilDate ?? null } });
  return ended.length > 0;
}
