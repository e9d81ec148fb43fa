import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { draftRevisions, drafts, revisionBands, units } from '../../db/schema/index.js';
import { bandKeys, jaccard, minhash, MIN_SHINGLES, normalizeForShingles, shingleSet, shinglesOfChars } from './minhash.js';
import type { Finding } from './types.js';

/** Candidates (by shared LSH bands) compared exactly; more only costs time. */
const MAX_CANDIDATES = 30;
/**
 * A long text is also looked up window by window (characters, half-overlapping), so an earlier
 * draft copied into a small part of it is found: the window and the copy are alike even when the
 * whole texts are not.
 */
const WINDOW_CHARS = 1200;
const WINDOW_STEP = 600;
/** Reported when the shingle sets are at least this similar… */
export const MIN_JACCARD = 0.5;
/** …or when this share of one text is found in the other (a copied passage inside a longer text). */
export const MIN_CONTAINMENT = 0.8;
const MAX_REPORTED = 3;

export type DuplicateInput = { paragraphs: string[]; unitId: number; draftId?: number };

/**
 * Earlier drafts this text nearly repeats: the same unit sending it again, another unit sending the
 * same text, or a copy of an adopted item. LSH bands find candidates through the primary-key index,
 * then the exact shingle overlap decides. Each other draft is reported once, most similar first.
 */
export async function duplicateFindings(db: DbOrTx, input: DuplicateInput): Promise<Finding[]> {
  const chars = normalizeForShingles(input.paragraphs.join('\n'));
  const shingles = shinglesOfChars(chars);
  if (shingles.size < MIN_SHINGLES) return [];
  const keys = lookupKeys(chars, shingles);
  const hits = db
    .select({ revisionId: revisionBands.revisionId, hits: sql<number>`count(*)`.as('hits') })
    .from(revisionBands)
    .where(and(inArray(revisionBands.bandKey, keys), input.draftId === undefined ? undefined : ne(revisionBands.draftId, input.draftId)))
    .groupBy(revisionBands.revisionId)
    .orderBy(desc(sql`count(*)`), desc(revisionBands.revisionId))
    .limit(MAX_CANDIDATES)
    .as('hits');
  const candidates = await db
    .select({
      draftId: drafts.id,
      serial: drafts.serial,
      unitId: drafts.unitId,
      unitName: units.name,
      state: drafts.state,
      body: draftRevisions.body,
    })
    .from(hits)
    .innerJoin(draftRevisions, eq(draftRevisions.id, hits.revisionId))
    .innerJoin(drafts, eq(drafts.id, draftRevisions.draftId))
    .innerJoin(units, eq(units.id, drafts.unitId));

  const best = new Map<number, { c: (typeof candidates)[number]; similarity: number; copied: boolean }>();
  for (const c of candidates) {
    const s = jaccard(shingles, shingleSet(c.body));
    const containment = Math.max(s.containsA, s.containsB);
    if (s.jaccard < MIN_JACCARD && containment < MIN_CONTAINMENT) continue;
    // Similar texts are reported by their Jaccard similarity, a copied passage by how much of it was copied.
    const copied = s.jaccard < MIN_JACCARD;
    const similarity = copied ? containment : s.jaccard;
    const prev = best.get(c.draftId);
    if (!prev || similarity > prev.similarity) best.set(c.draftId, { c, similarity, copied });
  }
  return [...best.values()]
    .sort((a, b) => b.similarity - a.similarity || a.c.serial.localeCompare(b.c.serial))
    .slice(0, MAX_REPORTED)
    .map(({ c, similarity, copied }) => ({
      kind: 'duplicate' as const,
      message: messageFor(c.unitId === input.unitId, c.state, copied),
      other: { serial: c.serial, unit: c.unitName, similarity: Math.round(similarity * 100) / 100 },
    }));
}

function lookupKeys(chars: string[], whole: Set<number>): number[] {
  const keys = new Set(bandKeys(minhash(whole)));
  if (chars.length > WINDOW_CHARS) {
    for (let start = 0; start + WINDOW_STEP < chars.length; start += WINDOW_STEP) {
      for (const k of bandKeys(minhash(shinglesOfChars(chars.slice(start, start + WINDOW_CHARS))))) keys.add(k);
    }
  }
  return [...keys];
}

function messageFor(sameUnit: boolean, state: string, copied: boolean): string {
  const part = copied ? '大段内容相同' : '内容高度相似';
  if (state === 'adopted') return `与已采用稿件${part}，疑似照搬已采用的信息。`;
  if (sameUnit) return `与本单位此前提交的稿件${part}，疑似重复提交。`;
  return `与其他单位提交的稿件${part}，疑似多个单位提交同一稿件。`;
}
