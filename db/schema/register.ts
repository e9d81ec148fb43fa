import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bulletinIssues, bulletinItems, recognitions } from './desk.js';
import { drafts } from './drafts.js';

export const UPWARD_LEVELS = ['city', 'province', 'central'] as const;
export const UPWARD_CHANNELS = ['系统报送', '邮件', '纸质'] as const;
export const UPWARD_OUTCOMES = ['pending', 'adopted', 'not_adopted'] as const;

/**
 * The upward register (报送登记): what the county sends to higher levels, a piece or a whole issue of
 * one of its publications, and whether they adopt it. An adoption recorded here is a confirmed
 * recognition (`recognition_id`; for a whole issue, one per item, each naming the issue in
 * `whole_issue_id`, and this links to the first), the one fact that scores: the register only links.
 */
export const upwardSubmissions = pgTable(
  'upward_submissions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    draftId: integer('draft_id').references(() => drafts.id),
    /** The county bulletin item the piece is in: only what the county adopted is sent up. */
    itemId: integer('item_id').references(() => bulletinItems.id),
    /** A whole published issue sent up instead of one piece. */
    issueId: integer('issue_id').references(() => bulletinIssues.id),
    level: text('level', { enum: UPWARD_LEVELS }).notNull(),
    /** To whom: 市委组织部, 自治区党委组织部, a newspaper or journal. */
    recipient: text('recipient').notNull(),
    channel: text('channel', { enum: UPWARD_CHANNELS }).notNull(),
    sentOn: date('sent_on', { mode: 'string' }).notNull(),
    outcome: text('outcome', { enum: UPWARD_OUTCOMES }).notNull().default('pending'),
    recognitionId: integer('recognition_id').references(() => recognitions.id),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('upward_submissions_sent').on(t.sentOn),
    index('upward_submissions_item').on(t.itemId),
    check(
      'upward_submissions_target',
      sql`(${t.issueId} is null and ${t.itemId} is not null and ${t.draftId} is not null) or (${t.issueId} is not null and ${t.itemId} is null and ${t.draftId} is null)`,
    ),
  ],
);
export type UpwardSubmission = typeof upwardSubmissions.$inferSelect;
