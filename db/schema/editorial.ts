import { index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { blobs } from './drafts.js';
import { bulletinIssues, bulletinItems } from './desk.js';

export const ITEM_VERSION_SOURCES = ['adopted', 'form', 'text', 'docx'] as const;
export type ItemVersionSource = (typeof ITEM_VERSION_SOURCES)[number];

/**
 * The editorial versions of a bulletin item. bulletin_items holds the current text (what is printed
 * and scored); every edit appends the text it produced here, and the first edit also records the text
 * as adopted (version 1). The officer's own text stays in draft_revisions, never touched.
 */
export const bulletinItemVersions = pgTable(
  'bulletin_item_versions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    itemId: integer('item_id')
      .notNull()
      .references(() => bulletinItems.id),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    editorNote: text('editor_note'),
    source: text('source', { enum: ITEM_VERSION_SOURCES }).notNull(),
    fileName: text('file_name'),
    blobSha256: text('blob_sha256').references(() => blobs.sha256),
    editedBy: text('edited_by').notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('bulletin_item_versions_item_version').on(t.itemId, t.version)],
);
export type BulletinItemVersion = typeof bulletinItemVersions.$inferSelect;

export const SIGNOFF_STATUSES = ['pending', 'signed', 'returned', 'superseded'] as const;
export type SignoffStatus = (typeof SIGNOFF_STATUSES)[number];

/**
 * One 送审 of an issue at one content revision. The issue is signed when its latest sign-off is
 * `signed` and was made at the issue's current revision: any later change voids it by itself.
 */
export const issueSignoffs = pgTable(
  'issue_signoffs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    issueId: integer('issue_id')
      .notNull()
      .references(() => bulletinIssues.id),
    revision: integer('revision').notNull(),
    status: text('status', { enum: SIGNOFF_STATUSES }).notNull(),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    comment: text('comment'),
  },
  (t) => [index('issue_signoffs_issue').on(t.issueId, t.id)],
);
export type IssueSignoff = typeof issueSignoffs.$inferSelect;

export type Distribution = { 报?: string; 送?: string; 发?: string };

/** One row: who signs issues and the distribution lines (from org.yaml `signers`, `distribution`). */
export const issueSettings = pgTable('issue_settings', {
  id: integer('id').primaryKey().default(1),
  /** open_ids; empty means every leader may sign. */
  signers: jsonb('signers').$type<string[]>().notNull(),
  distribution: jsonb('distribution').$type<Distribution>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const APPROVAL_STATUSES = ['pending', 'held', 'posted'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * A ranking bulletin prepared by its job and waiting for 审定: the card as it will be posted (with
 * the optional commentary), posted to the group at most once.
 */
export const bulletinApprovals = pgTable(
  'bulletin_approvals',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    job: text('job').notNull(),
    period: text('period').notNull(),
    title: text('title').notNull(),
    status: text('status', { enum: APPROVAL_STATUSES }).notNull(),
    card: jsonb('card').$type<Record<string, unknown>>().notNull(),
    comment: text('comment'),
    groupChatId: text('group_chat_id').notNull(),
    preparedAt: timestamp('prepared_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [unique('bulletin_approvals_job_period').on(t.job, t.period), index('bulletin_approvals_status').on(t.status)],
);
export type BulletinApproval = typeof bulletinApprovals.$inferSelect;
