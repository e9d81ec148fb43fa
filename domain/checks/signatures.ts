import { and, asc, gt, max, notExists, sql, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { draftRevisions, revisionBands, revisionSignatures } from '../../db/schema/index.js';
import { bandKeys, minhash, MIN_SHINGLES, shingleSet } from './minhash.js';

/** A revision committed out of id order (a slow concurrent transaction) is still found this far back. */
const LOOKBACK_IDS = 500;
/** Revisions indexed per check run: a bulk import is caught up over a few runs, not in one card callback. */
export const INDEX_BATCH = 50;

/**
 * Indexes the signatures of revisions that have none yet. The checks call this first, so every
 * revision, however it was inserted, becomes comparable from the next check on. Concurrent runs
 * insert with ON CONFLICT DO NOTHING and only the winner writes the bands.
 */
export async function indexPendingRevisions(db: DbOrTx, now: Date, limit = INDEX_BATCH): Promise<number> {
  const [top] = await db.select({ id: max(revisionSignatures.revisionId) }).from(revisionSignatures);
  const from = Math.max(0, Number(top?.id ?? 0) - LOOKBACK_IDS);
  const pending = await db
    .select({ id: draftRevisions.id, draftId: draftRevisions.draftId, body: draftRevisions.body })
    .from(draftRevisions)
    .where(
      and(
        gt(draftRevisions.id, from),
        notExists(db.select({ one: sql`1` }).from(revisionSignatures).where(eq(revisionSignatures.revisionId, draftRevisions.id))),
      ),
    )
    .orderBy(asc(draftRevisions.id))
    .limit(limit);
  for (const r of pending) await indexRevision(db, r, now);
  return pending.length;
}

export async function indexRevision(db: DbOrTx, r: { id: number; draftId: number; body: string }, now: Date): Promise<void> {
  const shingles = shingleSet(r.body);
  const [inserted] = await db
    .insert(revisionSignatures)
    .values({ revisionId: r.id, draftId: r.draftId, shingles: shingles.size, indexedAt: now })
    .onConflictDoNothing({ target: revisionSignatures.revisionId })
    .returning({ id: revisionSignatures.revisionId });
  if (!inserted || shingles.size < MIN_SHINGLES) return;
  const keys = [...new Set(bandKeys(minhash(shingles)))];
  await db
    .insert(revisionBands)
    .values(keys.map((bandKey) => ({ bandKey, revisionId: r.id, draftId: r.draftId })))
    .onConflictDoNothing();
}

