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

/** What the near-duplicate index keeps of a text: its shingle count, and its LSH band keys when it has enough shingles. */
export type Signature = { shingles: number; bandKeys: number[] };

export function signatureOf(body: string): Signature {
  const shingles = shingleSet(body);
  return { shingles: shingles.size, bandKeys: shingles.size < MIN_SHINGLES ? [] : [...new Set(bandKeys(minhash(shingles)))] };
}

/**
 * Writes a revision's signature. `fresh`: the revision was written in the caller's transaction, so
 * nobody else can have indexed it, and both rows go together (one round trip on PostgreSQL).
 * `signature`: computed by the caller before taking a lock, so the hashing is not done under it.
 */
export async function indexRevision(
  db: DbOrTx,
  r: { id: number; draftId: number; body: string },
  now: Date,
  o: { signature?: Signature; fresh?: boolean } = {},
): Promise<void> {
  const sig = o.signature ?? signatureOf(r.body);
  const signatureRow = db
    .insert(revisionSignatures)
    .values({ revisionId: r.id, draftId: r.draftId, shingles: sig.shingles, indexedAt: now })
    .onConflictDoNothing({ target: revisionSignatures.revisionId })
    .returning({ id: revisionSignatures.revisionId });
  const bands = sig.bandKeys.length === 0
    ? undefined
    : db.insert(revisionBands).values(sig.bandKeys.map((bandKey) => ({ bandKey, revisionId: r.id, draftId: r.draftId }))).onConflictDoNothing();
  if (o.fresh) {
    // Both are still unsent queries here, sent in this order (bands reference the signature row).
    await Promise.all([signatureRow, bands]);
    return;
  }
  // Concurrent catch-up runs may index the same revision: only the one whose row went in writes the bands.
  const [inserted] = await signatureRow;
  if (inserted) await bands;
}
