import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/**
 * Every inbound Lark event, stored before it is acknowledged. The key dedupes Lark's re-pushes
 * (message_id for received messages, event_id otherwise); a pending row survives a crash and is
 * processed after restart.
 */
export const inboxEvents = pgTable(
  'inbox_events',
  {
    key: text('key').primaryKey(),
    eventType: text('event_type').notNull(),
    /** Events from one chat are handled in order. */
    orderKey: text('order_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /**
     * The message carries a file, image, audio or video to download: it waits for one of the few
     * file slots. A column, not the payload's JSON, so the claim reads it from the index.
     */
    attachment: boolean('attachment').notNull().default(false),
    status: text('status', { enum: ['pending', 'done', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [
    // Is this message its chat's oldest pending one?
    index('inbox_events_pending').on(t.orderKey, t.receivedAt).where(sql`${t.status} = 'pending'`),
    // The claim walks the pending messages of one kind oldest first and stops at its limit, so
    // taking a message costs the same with 10 or 10,000 waiting.
    index('inbox_events_pending_by_age').on(t.attachment, t.receivedAt).where(sql`${t.status} = 'pending'`),
  ],
);

export const OUTBOX_OPS = ['send', 'reply', 'patch', 'send_file', 'urgent'] as const;
export type OutboxOp = (typeof OUTBOX_OPS)[number];

/**
 * Every outbound Lark call, written in the same transaction as the state change it reports and
 * delivered by the outbox worker. `uuid` is passed to Lark so a retry after a crash cannot duplicate.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    uuid: uuid('uuid').notNull().unique(),
    op: text('op', { enum: OUTBOX_OPS }).notNull(),
    /** Rows with the same key are delivered in id order (one chat, or one card message). */
    orderKey: text('order_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** For sends of a card: the card_messages row that learns the message_id; for patches: the target. */
    cardMessageId: integer('card_message_id'),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    /**
     * The first attempt Lark may have acted on without our learning it (a timeout, a reset, a 5xx,
     * a process that died while sending). Lark sends one message per uuid within an hour, so the
     * row is retried under its uuid only within that hour from here; null while every failure was a
     * connection never made.
     */
    uncertainSince: timestamp('uncertain_since', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    resultMessageId: text('result_message_id'),
  },
  (t) => [
    // Partial indexes: delivered rows pile up forever, the worker only ever looks at live ones.
    index('outbox_live_due').on(t.nextAttemptAt).where(sql`${t.status} in ('pending','sending')`),
    // The claim walks live rows in id order: along the primary key it would pass every row ever sent.
    index('outbox_live_id').on(t.id).where(sql`${t.status} in ('pending','sending')`),
    index('outbox_live_order').on(t.orderKey, t.id).where(sql`${t.status} in ('pending','sending')`),
    index('outbox_failed').on(t.id).where(sql`${t.status} = 'failed'`),
    // Which message a card action was tapped on, and whom the bot had sent it to (private-chat check).
    index('outbox_result_message').on(t.resultMessageId).where(sql`${t.resultMessageId} is not null`),
  ],
);
export type OutboxRow = typeof outbox.$inferSelect;

/**
 * A card the bot sent about something (a draft's review card for one reviewer, a topic board, …),
 * so later state changes can patch every copy. message_id is filled in when the outbox delivers it.
 */
export const cardMessages = pgTable(
  'card_messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    purpose: text('purpose').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    recipient: text('recipient').notNull(),
    messageId: text('message_id').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('card_messages_entity').on(t.entityType, t.entityId, t.purpose)],
);
export type CardMessage = typeof cardMessages.$inferSelect;

/**
 * One row per (job, slot) that ran: the unique key makes a schedule fire once across bot processes
 * sharing the database, and lets a restarted bot see which slots it missed.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    job: text('job').notNull(),
    slot: text('slot').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    outcome: text('outcome'),
  },
  (t) => [unique('job_runs_job_slot').on(t.job, t.slot)],
);
