import { sql } from 'drizzle-orm';
import { customType, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { units, people } from './org.js';

export const CATEGORIES = ['组工信息', '调研文稿', '网评文章', '上级媒体稿件'] as const;
export type Category = (typeof CATEGORIES)[number];

export const DRAFT_STATES = ['pending_review', 'returned', 'approved', 'adopted', 'archived', 'withdrawn'] as const;
export type DraftState = (typeof DRAFT_STATES)[number];

export const SOURCE_TYPES = ['text', 'post', 'docx', 'pdf', 'txt', 'md', 'cloud_doc'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** Per-year serial counter; the row lock taken by UPDATE … RETURNING serializes concurrent submissions. */
export const serialCounters = pgTable('serial_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/** Original file bytes, content-addressed so a re-sent file is stored once. */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  bytes: bytea('bytes').notNull(),
  size: integer('size').notNull(),
  contentType: text('content_type').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const drafts = pgTable(
  'drafts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    serial: text('serial').notNull().unique(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    authorOpenId: text('author_open_id')
      .notNull()
      .references(() => people.openId),
    category: text('category', { enum: CATEGORIES }).notNull(),
    state: text('state', { enum: DRAFT_STATES }).notNull(),
    /** Topic answered by this draft (topics table); null when written on the officer's own initiative. */
    topicId: integer('topic_id'),
    currentRevision: integer('current_revision').notNull().default(1),
    title: text('title').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
  },
  (t) => [
    unique('drafts_year_seq').on(t.year, t.seq),
    index('drafts_unit_submitted').on(t.unitId, t.submittedAt),
    index('drafts_state').on(t.state),
    index('drafts_author').on(t.authorOpenId, t.submittedAt),
    index('drafts_submitted').on(t.submittedAt),
  ],
);
export type Draft = typeof drafts.$inferSelect;

export const draftRevisions = pgTable(
  'draft_revisions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    draftId: integer('draft_id')
      .notNull()
      .references(() => drafts.id),
    revision: integer('revision').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    charCount: integer('char_count').notNull(),
    sourceType: text('source_type', { enum: SOURCE_TYPES }).notNull(),
    fileName: text('file_name'),
    blobSha256: text('blob_sha256').references(() => blobs.sha256),
    /** Findings of the pre-review checks, shown on the review card and the receipt. */
    checks: jsonb('checks').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('draft_revisions_draft_revision').on(t.draftId, t.revision)],
);
export type DraftRevision = typeof draftRevisions.$inferSelect;

export const CANDIDATE_STATUSES = ['open', 'confirmed', 'cancelled', 'superseded'] as const;

/**
 * A message an officer sent that may become a draft (or a revision of a returned one) once confirmed
 * on the confirmation card. Only roster members get candidates: unknown senders store nothing.
 */
export const draftCandidates = pgTable(
  'draft_candidates',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    openId: text('open_id')
      .notNull()
      .references(() => people.openId),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    sourceMessageId: text('source_message_id').notNull().unique(),
    /** Set when the candidate is a revision of a returned draft. */
    draftId: integer('draft_id').references(() => drafts.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    sourceType: text('source_type', { enum: SOURCE_TYPES }).notNull(),
    fileName: text('file_name'),
    blobSha256: text('blob_sha256').references(() => blobs.sha256),
    status: text('status', { enum: CANDIDATE_STATUSES }).notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('draft_candidates_open').on(t.openId, t.status)],
);
export type DraftCandidate = typeof draftCandidates.$inferSelect;

/**
 * An officer who tapped 提交修改稿 on a return notice: their next draft-like message is taken as the
 * revision of this draft instead of a new draft.
 */
export const revisionIntents = pgTable('revision_intents', {
  openId: text('open_id').primaryKey(),
  draftId: integer('draft_id')
    .notNull()
    .references(() => drafts.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
