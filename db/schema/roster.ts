import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { drafts } from './drafts.js';
import { people, units } from './org.js';

export const JOIN_ROLES = ['officer', 'reviewer'] as const;
export type JoinRole = (typeof JOIN_ROLES)[number];
export const REQUEST_STATUSES = ['pending', 'approved', 'declined'] as const;

/**
 * Someone not in the roster asking to join a unit (申请加入). Only what the request needs is kept:
 * who, the name they gave, unit and role; never their messages.
 */
export const joinRequests = pgTable(
  'join_requests',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    openId: text('open_id').notNull(),
    name: text('name').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    role: text('role', { enum: JOIN_ROLES }).notNull(),
    status: text('status', { enum: REQUEST_STATUSES }).notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    declineReason: text('decline_reason'),
  },
  (t) => [uniqueIndex('join_requests_one_pending').on(t.openId).where(sql`${t.status} = 'pending'`)],
);
export type JoinRequest = typeof joinRequests.$inferSelect;

/**
 * 专职信息员 changes (报部研究室备案): proposed by the unit's reviewer, approved or declined by an
 * editor. Approved rows are the 备案 history; nothing is deleted.
 */
export const designationChanges = pgTable(
  'designation_changes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    fromOpenId: text('from_open_id'),
    toOpenId: text('to_open_id')
      .notNull()
      .references(() => people.openId),
    reason: text('reason').notNull(),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: REQUEST_STATUSES }).notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    declineReason: text('decline_reason'),
  },
  (t) => [
    index('designation_changes_unit').on(t.unitId, t.proposedAt),
    uniqueIndex('designation_changes_one_pending').on(t.unitId).where(sql`${t.status} = 'pending'`),
  ],
);
export type DesignationChange = typeof designationChanges.$inferSelect;

/**
 * Who was each unit's 专职信息员 when: one row per stretch, `until` null while it lasts. Written by
 * a trigger on role_assignments (migration 0010), so every path that designates or undesignates
 * (a 备案 approval, the roster commands, org:import, revoking the officer role) is recorded; a past
 * period's ranking names the officer of that period, not today's. A unit's first stretch, and those
 * begun before the table existed, start at 1970-01-01: nobody earlier is known.
 */
export const designationPeriods = pgTable(
  'designation_periods',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    openId: text('open_id')
      .notNull()
      .references(() => people.openId),
    since: timestamp('since', { withTimezone: true }).notNull(),
    until: timestamp('until', { withTimezone: true }),
  },
  (t) => [index('designation_periods_unit').on(t.unitId, t.since)],
);

/** 请假: until `untilDate` (local yyyy-mm-dd, inclusive) the reviewer's new drafts go to others; 销假 ends it early. */
export const reviewerLeaves = pgTable(
  'reviewer_leaves',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    openId: text('open_id')
      .notNull()
      .references(() => people.openId),
    untilDate: text('until_date').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('reviewer_leaves_person').on(t.openId)],
);
export type ReviewerLeave = typeof reviewerLeaves.$inferSelect;

export const HANDOFF_KINDS = ['transfer', 'cosign', 'pass'] as const;
export type HandoffKind = (typeof HANDOFF_KINDS)[number];
export const HANDOFF_STATUSES = ['pending', 'done', 'cancelled'] as const;

/**
 * Who else takes part in one revision's review. `transfer` (转交, done at once): `to` may decide it as
 * a reviewer would. `cosign` (加签, pending until `to` passes it): the draft passes only when it is
 * done. `pass`: a reviewer's 通过 recorded while a 加签 is still pending.
 */
export const reviewHandoffs = pgTable(
  'review_handoffs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    draftId: integer('draft_id')
      .notNull()
      .references(() => drafts.id),
    revision: integer('revision').notNull(),
    kind: text('kind', { enum: HANDOFF_KINDS }).notNull(),
    fromOpenId: text('from_open_id').notNull(),
    toOpenId: text('to_open_id').notNull(),
    status: text('status', { enum: HANDOFF_STATUSES }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [index('review_handoffs_draft').on(t.draftId, t.revision), index('review_handoffs_to').on(t.toOpenId, t.status)],
);
export type ReviewHandoff = typeof reviewHandoffs.$inferSelect;
