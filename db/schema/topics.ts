import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { CATEGORIES, drafts } from './drafts.js';
import { people, units } from './org.js';

export const TOPIC_STATUSES = ['open', 'closed'] as const;
export type TopicStatus = (typeof TOPIC_STATUSES)[number];

export const TOPIC_OUTCOMES = ['on_time', 'late', 'missing'] as const;
export type TopicOutcome = (typeof TOPIC_OUTCOMES)[number];

/**
 * A topic assignment (点题 / 约稿). Its id is also its short number: T12 is topics.id = 12.
 * A topic stays answerable after its deadline (answers count as late) until an editor closes it.
 */
export const topics = pgTable(
  'topics',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    brief: text('brief').notNull().default(''),
    category: text('category', { enum: CATEGORIES }).notNull(),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    /**
     * When the current deadline was set (creation or the last 延期). A reminder whose lead time had
     * already begun at that moment is skipped: the post or the extension notice told people already.
     */
    deadlineSetAt: timestamp('deadline_set_at', { withTimezone: true }).notNull(),
    /**
     * Set for a unit-level topic (a reviewer's 点题 for their own unit's officers): its only target is
     * that unit, it is not posted in the department group. Null: the department's topic.
     */
    unitId: integer('unit_id').references(() => units.id),
    /** Targets every active unit (the target rows list them as of creation). */
    allUnits: boolean('all_units').notNull(),
    /** Pieces wanted per unit, when the editor asked for a number. */
    piecesPerUnit: integer('pieces_per_unit'),
    status: text('status', { enum: TOPIC_STATUSES }).notNull().default('open'),
    createdBy: text('created_by')
      .notNull()
      .references(() => people.openId),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Set once the deadline was processed: outcomes recorded and editors told, exactly once. */
    settledAt: timestamp('settled_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: text('closed_by'),
    /** Nonce of the creating form: a double-tapped 发布 creates one topic. */
    sourceKey: text('source_key').unique(),
  },
  (t) => [index('topics_status_deadline').on(t.status, t.deadline)],
);
export type Topic = typeof topics.$inferSelect;

/** One row per unit a topic targets: who claimed it for the unit, and the unit's timeliness. */
export const topicTargets = pgTable(
  'topic_targets',
  {
    topicId: integer('topic_id')
      .notNull()
      .references(() => topics.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    claimedBy: text('claimed_by').references(() => people.openId),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** Recorded when the deadline passes (on_time / missing) and when a missing unit answers late. */
    outcome: text('outcome', { enum: TOPIC_OUTCOMES }),
    /** The answer's time for on_time and late; the deadline for missing. */
    outcomeAt: timestamp('outcome_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.unitId] }), index('topic_targets_unit').on(t.unitId)],
);
export type TopicTarget = typeof topicTargets.$inferSelect;

/**
 * A draft linked to a topic, with when it was linked: timeliness is judged by the link time (a draft
 * sent early but linked after the deadline answered late). Relinking ends the row instead of deleting it.
 */
export const topicAnswers = pgTable(
  'topic_answers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    topicId: integer('topic_id')
      .notNull()
      .references(() => topics.id),
    draftId: integer('draft_id')
      .notNull()
      .references(() => drafts.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
    linkedBy: text('linked_by').notNull(),
    unlinkedAt: timestamp('unlinked_at', { withTimezone: true }),
  },
  (t) => [
    index('topic_answers_topic').on(t.topicId, t.unitId),
    uniqueIndex('topic_answers_live_draft').on(t.draftId).where(sql`${t.unlinkedAt} is null`),
  ],
);
export type TopicAnswer = typeof topicAnswers.$inferSelect;

/**
 * Reminders already sent, by a key naming what and when (e.g. `topic:12:24h:<deadline>`): inserted
 * in the transaction that sends the reminder, so however many schedulers scan, each goes out once.
 */
export const sentReminders = pgTable('sent_reminders', {
  key: text('key').primaryKey(),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
});
