import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { draftRevisions, drafts } from './drafts.js';

export const DICTIONARY_KINDS = ['typo', 'wording', 'sensitive'] as const;
export type DictionaryKind = (typeof DICTIONARY_KINDS)[number];

/**
 * Editors' changes to the check dictionaries. The shipped data files are the defaults; each row
 * adds or removes one term on top of them, and the latest row for a term wins. Rows are never
 * deleted, so the history of who changed the dictionary stays readable.
 */
export const dictionaryEntries = pgTable(
  'dictionary_entries',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind', { enum: DICTIONARY_KINDS }).notNull(),
    op: text('op', { enum: ['add', 'remove'] }).notNull(),
    /** The form looked for in drafts (a typo, a non-standard wording, a sensitive word). */
    term: text('term').notNull(),
    /** What to write instead (typo, wording); a note for sensitive words. */
    replacement: text('replacement'),
    actor: text('actor').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('dictionary_entries_kind').on(t.kind, t.id)],
);
export type DictionaryEntryRow = typeof dictionaryEntries.$inferSelect;

/**
 * One row per draft revision whose MinHash signature has been indexed for the near-duplicate
 * check. Filled lazily by the checks, so a revision inserted by any path is picked up.
 */
export const revisionSignatures = pgTable('revision_signatures', {
  revisionId: integer('revision_id')
    .primaryKey()
    .references(() => draftRevisions.id),
  draftId: integer('draft_id')
    .notNull()
    .references(() => drafts.id),
  /** Distinct shingles in the body; 0 means too short to compare. */
  shingles: integer('shingles').notNull(),
  indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull(),
});

/**
 * Locality-sensitive hashing bands of each signature: two texts sharing any band key are candidate
 * near-duplicates. The primary key leads with the band key, so a lookup is an index range scan on
 * plain PostgreSQL and PGlite alike (no pg_trgm or other extension).
 */
export const revisionBands = pgTable(
  'revision_bands',
  {
    bandKey: bigint('band_key', { mode: 'number' }).notNull(),
    revisionId: integer('revision_id')
      .notNull()
      .references(() => revisionSignatures.revisionId),
    draftId: integer('draft_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bandKey, t.revisionId] })],
);
