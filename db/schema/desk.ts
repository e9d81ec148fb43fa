import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { blobs, CATEGORIES, drafts } from './drafts.js';
import { publications, units } from './org.js';

export const ISSUE_STATUSES = ['open', 'published'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/**
 * A numbered issue of one publication (《XX组工信息》2026年第12期). The number is taken when the issue is
 * opened, under the desk lock, as max+1 of its publication's year: issues are never deleted and only
 * one per publication is open at a time, so published numbers have no gaps. The publishing date is
 * fixed when it is published.
 */
export const bulletinIssues = pgTable(
  'bulletin_issues',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    publicationId: integer('publication_id')
      .notNull()
      .references(() => publications.id),
    year: integer('year').notNull(),
    number: integer('number').notNull(),
    status: text('status', { enum: ISSUE_STATUSES }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    openedBy: text('opened_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: text('published_by'),
    /** Bumped by every change to the issue's content: a sign-off is valid only for the revision it saw. */
    revision: integer('revision').notNull().default(1),
    /** 编者按 for the whole issue, printed before the first item. */
    editorNote: text('editor_note'),
  },
  (t) => [
    unique('bulletin_issues_publication_year_number').on(t.publicationId, t.year, t.number),
    // The database itself refuses a second open issue of a publication, whatever the application does.
    uniqueIndex('bulletin_issues_one_open').on(t.publicationId).where(sql`${t.status} = 'open'`),
  ],
);
export type BulletinIssue = typeof bulletinIssues.$inferSelect;

export const ITEM_KINDS = ['single', 'merged'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/**
 * One piece in an issue, in order. The title and text are copied at adoption: the bulletin prints what
 * was adopted, even if a draft is revised later. A merged (综合) item has several sources.
 */
export const bulletinItems = pgTable(
  'bulletin_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    issueId: integer('issue_id')
      .notNull()
      .references(() => bulletinIssues.id),
    position: integer('position').notNull(),
    kind: text('kind', { enum: ITEM_KINDS }).notNull(),
    category: text('category', { enum: CATEGORIES }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    adoptedAt: timestamp('adopted_at', { withTimezone: true }).notNull(),
    adoptedBy: text('adopted_by').notNull(),
    /** The editorial version the title and body are (1 = as adopted); see bulletin_item_versions. */
    version: integer('version').notNull().default(1),
    /** 编者按 printed before this item. */
    editorNote: text('editor_note'),
  },
  (t) => [unique('bulletin_items_issue_position').on(t.issueId, t.position), index('bulletin_items_adopted').on(t.adoptedAt)],
);
export type BulletinItem = typeof bulletinItems.$inferSelect;

/** The drafts (and their units) an item was made from; a draft is adopted at most once. */
export const bulletinItemSources = pgTable(
  'bulletin_item_sources',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    itemId: integer('item_id')
      .notNull()
      .references(() => bulletinItems.id),
    draftId: integer('draft_id')
      .notNull()
      .references(() => drafts.id)
      .unique(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
  },
  (t) => [index('bulletin_item_sources_item').on(t.itemId), index('bulletin_item_sources_unit').on(t.unitId)],
);
export type BulletinItemSource = typeof bulletinItemSources.$inferSelect;

export const DISPOSITIONS = ['reserve', 'rejected'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/**
 * Why an approved draft was not adopted: kept in reserve (备用, may still be adopted later) or not
 * adopted (不采用). Appended, never updated: the latest row per draft is the current one.
 */
export const draftDispositions = pgTable(
  'draft_dispositions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    draftId: integer('draft_id')
      .notNull()
      .references(() => drafts.id),
    disposition: text('disposition', { enum: DISPOSITIONS }).notNull(),
    reason: text('reason').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by').notNull(),
  },
  (t) => [index('draft_dispositions_draft').on(t.draftId, t.id)],
);
export type DraftDisposition = typeof draftDispositions.$inferSelect;

export const RECOGNITION_KINDS = ['upper_adoption', 'endorsement', 'media'] as const;
export type RecognitionKind = (typeof RECOGNITION_KINDS)[number];
export const RECOGNITION_STATUSES = ['reported', 'confirmed', 'rejected'] as const;
export type RecognitionStatus = (typeof RECOGNITION_STATUSES)[number];
export const LEVELS = ['county', 'city', 'province', 'central'] as const;

/**
 * Recognition beyond the county bulletin: adoption by a higher level, a leader's endorsement (批示),
 * a publication in higher-level media. Recorded against the item when the draft is in one (so a merged
 * item credits all its units), otherwise against the approved draft. Only confirmed rows score.
 */
export const recognitions = pgTable(
  'recognitions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    itemId: integer('item_id').references(() => bulletinItems.id),
    draftId: integer('draft_id').references(() => drafts.id),
    kind: text('kind', { enum: RECOGNITION_KINDS }).notNull(),
    level: text('level', { enum: LEVELS }).notNull(),
    /** Outlet (刊物/媒体) name, or for an endorsement who endorsed it. */
    outlet: text('outlet'),
    /** The local date it happened (not when it was reported): it is scored on that date. */
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    link: text('link'),
    evidenceSha256: text('evidence_sha256').references(() => blobs.sha256),
    note: text('note'),
    status: text('status', { enum: RECOGNITION_STATUSES }).notNull(),
    reportedBy: text('reported_by').notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    /** Set when the piece was adopted as part of a whole issue sent up (报送登记 of an issue): rules may price that apart. */
    wholeIssueId: integer('whole_issue_id').references(() => bulletinIssues.id),
  },
  (t) => [
    check('recognitions_target', sql`${t.itemId} is not null or ${t.draftId} is not null`),
    index('recognitions_item').on(t.itemId),
    index('recognitions_draft').on(t.draftId),
    index('recognitions_status').on(t.status, t.occurredOn),
  ],
);
export type Recognition = typeof recognitions.$inferSelect;

/**
 * Editor-made versions of the scoring rules (the repository's default-rules.yaml is version 1). Each
 * version applies from its effective date; events are priced by the version in force on their date.
 */
export const scoreRuleVersions = pgTable('score_rule_versions', {
  version: integer('version').primaryKey(),
  effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
  yaml: text('yaml').notNull(),
  /** The validated rules, as the engine reads them. */
  rules: jsonb('rules').$type<Record<string, unknown>>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
export type ScoreRuleVersionRow = typeof scoreRuleVersions.$inferSelect;
