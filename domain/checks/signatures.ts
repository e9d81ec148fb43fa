import { and, asc, notExists, sql, eq } from 'drizzle-orm';
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
  // Where to look from, in the same statement (a round trip less for every check run).
  const from = sql`(select greatest(0, coalesce(max(${revisionSignatures.revisionId}), 0) - ${LOOKBACK_IDS}) from ${revisionSignatures})`;
  const pending = await db
    .select({ id: draftRevisions.id, draftId: draftRevisions.draftId, body: draftRevisions.body })
    .from(draftRevisions)
    .where(
      and(
        sql`${draftRevisions.id} > ${from}`,
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
 * Writes a revision's signature and its band keys in one statement: the bands go in only with the
 * signature row (concurrent catch-up runs may index the same revision; only the one whose row went
 * in writes the bands), and the foreign key from the bands to it is checked at the statement's end.
 * One statement text for any number of bands: drizzle's multi-row insert writes a placeholder per
 * value, and built 40 bands' insert in about 0.6 ms of the bot's thread, under the serial's lock.
 * `signature`: computed by the caller before taking a lock, so the hashing is not done under it.
 */
export async function indexRevision(db: DbOrTx, r: { id: number; draftId: number; body: string }, now: Date, o: { signature?: Signature } = {}): Promise<void> {
  const sig = o.signature ?? signatureOf(r.body);
  await db.execute(sql`
    with signature as (
      insert into ${revisionSignatures} (revision_id, draft_id, shingles, indexed_at)
      values (${r.id}, ${r.draftId}, ${sig.shingles}, ${now.toISOString()}::timestamptz)
      on conflict (revision_id) do nothing
      returning revision_id)
    insert into ${revisionBands} (band_key, revision_id, draft_id)
    select k, ${r.id}, ${r.draftId} from unnest(${sql.param(sig.bandKeys)}::bigint[]) as k
    where exists (select 1 from signature)
    on conflict do nothing`);
}
