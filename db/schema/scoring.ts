import { sql } from 'drizzle-orm';
import { check, date, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { CATEGORIES } from './drafts.js';
import { bulletinItems, LEVELS } from './desk.js';
import { drafts } from './drafts.js';
import { units } from './org.js';

export const SCORE_EVENT_KINDS = ['adoption', 'endorsement', 'media', 'topic_on_time', 'topic_late', 'topic_missing', 'cap', 'adjustment'] as const;

/**
 * The score ledger: every score event the rules give, priced and stored, so that rankings are sums
 * over an index instead of a replay of all history. It is derived data: the facts (bulletin items,
 * recognitions, topic outcomes, rule versions) stay the truth, triggers on their tables mark the
 * ledger stale from the earliest date a change can affect, and domain/scoring/ledger.ts re-prices
 * from the start of that quarter before anyone reads it. Dropping every row and marking it stale
 * from 1970 rebuilds it.
 */
export const scoreEvents = pgTable(
  'score_events',
  {
    /** Pricing order: rows are written in the order the engine priced them. */
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unitId: integer('unit_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    kind: text('kind', { enum: SCORE_EVENT_KINDS }).notNull(),
    level: text('level', { enum: LEVELS }),
    /** Points × 100: sums in SQL stay exact (prices such as 0.5 and 1.67 add up to the cent). */
    cents: integer('cents').notNull(),
    ruleVersion: integer('rule_version').notNull(),
    description: text('description').notNull(),
    /** `item:12` or `draft:34`: the piece an outlet event belongs to ("highest outlet" looks it up). */
    pieceKey: text('piece_key'),
    /** The piece's category (quotas such as research pieces adopted). */
    category: text('category', { enum: CATEGORIES }),
    itemId: integer('item_id'),
    draftId: integer('draft_id'),
    topicId: integer('topic_id'),
    /** Assessment section (考核项): the piece's category, 时效 for topics, an adjustment's own. */
    section: text('section'),
    adjustmentId: integer('adjustment_id'),
  },
  (t) => [
    index('score_events_at').on(t.at, t.unitId, t.cents, t.kind, t.level),
    index('score_events_unit_at').on(t.unitId, t.at),
    index('score_events_piece').on(t.pieceKey, t.at),
    // Quotas count adopted pieces at a level or above: an index-only scan over adoptions alone, one
    // range per level, so a quota of city pieces does not read the county's many.
    index('score_events_adoptions')
      .on(t.level, t.at, t.unitId, t.pieceKey, t.category)
      .where(sql`${t.kind} = 'adoption'`),
  ],
);
export type ScoreEventRow = typeof scoreEvents.$inferSelect;

/**
 * The ledger summed per unit and local month, written with `score_events` when quarters are priced
 * (a quarter is three whole months). A ranking sums these: a unit's year so far is at most twelve
 * rows instead of every event of the year.
 */
export const scoreMonths = pgTable(
  'score_months',
  {
    /** When the local month starts, in the timezone the ledger was priced in. */
    month: timestamp('month', { withTimezone: true }).notNull(),
    unitId: integer('unit_id').notNull(),
    cents: integer('cents').notNull(),
    /** Score events of the month, counting those worth 0 (a unit with any is active in it). */
    events: integer('events').notNull(),
    /** Adoption events by level. */
    adoptedCounty: integer('adopted_county').notNull(),
    adoptedCity: integer('adopted_city').notNull(),
    adoptedProvince: integer('adopted_province').notNull(),
    adoptedCentral: integer('adopted_central').notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.unitId] })],
);

/**
 * The ledger's officer credits: each outlet event's points shared among the authors of the piece in
 * the event's unit, a named officer's manual adjustment. Written and deleted with `score_events` when
 * a quarter is priced, so the officers' ranking is one range scan like the units'.
 */
export const scoreCredits = pgTable(
  'score_credits',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    officer: text('officer').notNull(),
    unitId: integer('unit_id').notNull(),
    kind: text('kind', { enum: SCORE_EVENT_KINDS }).notNull(),
    level: text('level', { enum: LEVELS }),
    pieceKey: text('piece_key'),
    /** Cents of the event shared by its authors (a third of a point is 33.33… cents). */
    cents: doublePrecision('cents').notNull(),
  },
  (t) => [index('score_credits_at').on(t.at, t.officer, t.cents, t.unitId, t.kind, t.level, t.pieceKey)],
);

/**
 * One row: from when the ledger is out of date (null: up to date) and the timezone it was priced in
 * (quarters and rule dates are local). Triggers lower `stale_from`; a refresh clears it.
 */
export const scoreLedger = pgTable(
  'score_ledger',
  {
    id: integer('id').primaryKey(),
    staleFrom: timestamp('stale_from', { withTimezone: true }),
    timezone: text('timezone'),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }),
  },
  (t) => [check('score_ledger_one_row', sql`${t.id} = 1`)],
);

export const ADJUSTMENT_STATUSES = ['active', 'revoked'] as const;

/**
 * Manual 加分/扣分 recorded by editors: scored facts like adoptions (priced into the ledger on their
 * date, marked by triggers). Revoked, never deleted.
 */
export const scoreAdjustments = pgTable(
  'score_adjustments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    /** Optionally the piece and the officer it concerns. */
    itemId: integer('item_id').references(() => bulletinItems.id),
    draftId: integer('draft_id').references(() => drafts.id),
    officerOpenId: text('officer_open_id'),
    section: text('section').notNull(),
    /** Points × 100, positive (加分) or negative (扣分). */
    cents: integer('cents').notNull(),
    reason: text('reason').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: ADJUSTMENT_STATUSES }).notNull().default('active'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedBy: text('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
  },
  (t) => [index('score_adjustments_on').on(t.status, t.occurredOn), check('score_adjustments_nonzero', sql`${t.cents} <> 0`)],
);
export type ScoreAdjustment = typeof scoreAdjustments.$inferSelect;
