import { eq, sql } from 'drizzle-orm';
import { isDatabaseUnavailable, rowsOf, withDatabaseDeadline, type Db, type DbOrTx, type Tx } from '../db/client.js';
import { inboxEvents } from '../db/schema/index.js';
import type { Clock } from './clock.js';
import type { MessageEvent } from './events.js';
import type { Logger } from './logger.js';
import { describeError } from './errors.js';
import { blankInboxPayload } from '../db/queries/retention.js';
import { insertRows } from '../db/insert-rows.js';
import { PollingWorker } from './polling-worker.js';

/** Messages of one chat are handled one at a time, in order: the chat (or, without one, the sender). */
export function orderKeyOf(event: MessageEvent): string {
  return event.chatId || event.senderOpenId;
}

/**
 * Stores a received message before it is acknowledged: pending for the inbox worker, or done when
 * it is handled in the same transaction. Returns false for a duplicate (Lark re-pushes after 15 s,
 * 5 min, 1 h and 6 h; the key survives restarts because it is in the database). `blank`: a message
 * handled at once from someone outside the roster is stored without what they wrote.
 */
export async function storeInbound(db: DbOrTx, event: MessageEvent, clock: Clock, o: { status?: 'pending' | 'done'; blank?: boolean } = {}): Promise<boolean> {
  return (await storeInboundMany(db, [{ event, ...o }], clock)).has(event.key);
}

/** storeInbound for several messages in one statement; returns the keys stored (the others were duplicates). */
export async function storeInboundMany(db: DbOrTx, items: { event: MessageEvent; status?: 'pending' | 'done'; blank?: boolean }[], clock: Clock): Promise<Set<string>> {
  const now = clock.now();
  const inserted = await insertRows(
    db,
    inboxEvents,
    items.map(({ event, status = 'pending', blank }) => ({
      key: event.key,
      eventType: 'im.message.receive_v1',
      orderKey: orderKeyOf(event),
      attachment: (ATTACHMENT_TYPES as readonly string[]).includes(event.messageType),
      payload: blank ? blankInboxPayload(event as unknown as Record<string, unknown>) : event,
      status,
      receivedAt: now,
      doneAt: status === 'done' ? now : null,
    })),
    sql`on conflict do nothing returning key`,
  );
  return new Set(inserted.map((r) => String(r.key)));
}

/**
 * Holds the chat until the transaction ends, so no two transactions handle messages of one chat
 * at once: the request that handles a message as it arrives and the inbox worker both take it.
 * (The two-key form of the advisory locks; other locks of the bot use the one-key form.)
 */
export async function lockChat(tx: Tx, orderKey: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAT_LOCK_SPACE}, hashtext(${orderKey}))`);
}

/**
 * Of `orderKeys`, the chats this transaction now holds and that have no message waiting for the
 * inbox worker: a message of those may be handled here and now. Takes each chat's lock without
 * waiting: a group of messages answered as they arrive does not wait for a chat another
 * transaction is busy with (the inbox worker on that chat's previous message); that chat's message
 * queues for the inbox worker instead, which keeps the order, and the rest of the group goes on.
 * Nothing waits, so two groups cannot deadlock. The queue is looked at only once the lock is held.
 */
export async function lockFreeChats(tx: Tx, orderKeys: string[]): Promise<Set<string>> {
  const result = await tx.execute(sql`
    select key from (
      select k as key, pg_try_advisory_xact_lock(${CHAT_LOCK_SPACE}, hashtext(k)) as locked
      from unnest(${sql.param(orderKeys)}::text[]) as k offset 0) as attempt
    where locked and not exists (select 1 from ${inboxEvents} where status = 'pending' and order_key = attempt.key)`);
  return new Set(rowsOf<{ key: string }>(result).map((r) => r.key));
}

/** The first key of the per-chat advisory locks ("gj"). */
const CHAT_LOCK_SPACE = 0x676a;

/** Records a handled event key inside the handler's transaction; false if it was handled before. */
export async function claimEventKey(tx: Tx, key: string, eventType: string, clock: Clock): Promise<boolean> {
  const now = clock.now();
  const inserted = await tx
    .insert(inboxEvents)
    .values({ key, eventType, orderKey: key, payload: {}, status: 'done', receivedAt: now, doneAt: now })
    .onConflictDoNothing()
    .returning({ key: inboxEvents.key });
  return inserted.length > 0;
}

export type InboxRow = typeof inboxEvents.$inferSelect;

export type InboxWorkerOptions = {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Handles one stored event; must mark it done in the same transaction as its effects. */
  process: (row: InboxRow) => Promise<void>;
  leaseMs?: number;
  pollMs?: number;
  /**
   * Longest wait for a tick or for one message's handling (default: derived from the PostgreSQL
   * timeouts). Past it the message's slot is freed and the message handed back, as when the
   * database was unreachable: a query lost with its connection may never settle.
   */
  deadlineMs?: number;
  /** Messages handled at once (default 8). */
  concurrency?: number;
  /** Of those, messages with an attachment (downloaded, parsed) at once (default 2). */
  fileConcurrency?: number;
  /** Told of database failures; true when it reported one itself (a full disk: DiskFullWatch.saw). */
  reported?: (err: unknown) => boolean;
};

/** Message types whose handling downloads a resource from Lark: they take a file slot. */
const ATTACHMENT_TYPES = ['file', 'image', 'media', 'audio'] as const;

type InHand = { orderKey: string; attachment: boolean; done: Promise<void> };

/**
 * Runs stored messages through the dispatcher as a pool: a message starts as soon as a slot is
 * free, so one slow message (a large file, a hung download) holds only its own slot and its own
 * chat. A chat's messages run one at a time, in the order they arrived: only a chat's oldest
 * pending message is ever taken, and it stays pending until handled. Messages with an attachment
 * also need one of the few file slots. Rows left pending by a crash are picked up after restart.
 */
export class InboxWorker extends PollingWorker {
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly fileConcurrency: number;
  private readonly inHand = new Map<string, InHand>();
  /** Rows whose handling the database's absence interrupted: handed back as soon as it answers. */
  private readonly interrupted = new Set<string>();
  /**
   * Leases of claims whose answer the lost connection swallowed: the update may have committed
   * without us learning which rows it took. The lease instant names them (one per claim).
   */
  private readonly lostClaims = new Set<string>();
  /**
   * A full disk interrupted a handler: the next tick fails with it, so the worker backs off. The
   * claim and the hand-back still fit on the disk while the handler's writes do not, so without
   * this the same messages would be taken and handed back in a busy loop.
   */
  private diskFull: unknown;

  constructor(private readonly o: InboxWorkerOptions) {
    super('inbox', o.pollMs ?? 1000, o.log, o.deadlineMs, o.reported);
    this.leaseMs = o.leaseMs ?? 120_000;
    this.concurrency = o.concurrency ?? 8;
    this.fileConcurrency = Math.min(o.fileConcurrency ?? 2, this.concurrency);
  }

  /**
   * Takes the head message of as many chats as there are free slots and starts them; returns how
   * many it started. It does not wait for them: each one kicks the worker when it finishes.
   */
  override async tick(): Promise<number> {
    // While the database is down this throws, and the worker backs off until it is back.
    if (this.diskFull) {
      const err = this.diskFull;
      this.diskFull = undefined;
      throw err;
    }
    if (this.interrupted.size) {
      // Only the keys released: a handler failing meanwhile adds its own, which must not be lost.
      const keys = [...this.interrupted];
      await this.release(keys);
      for (const k of keys) this.interrupted.delete(k);
    }
    for (const lease of this.lostClaims) {
      const mine = [...this.inHand.keys()];
      await this.o.db.execute(sql`
        update ${inboxEvents} set locked_until = null, attempts = greatest(attempts - 1, 0)
        where status = 'pending' and locked_until = ${lease}::timestamptz
          ${mine.length ? sql`and key not in (${sql.join(mine.map((k) => sql`${k}`), sql`, `)})` : sql``}`);
      this.lostClaims.delete(lease);
    }
    const free = this.concurrency - this.inHand.size;
    if (free <= 0) return 0;
    const filesInHand = [...this.inHand.values()].filter((r) => r.attachment).length;
    const fileFree = Math.min(free, this.fileConcurrency - filesInHand);
    // Each batch starts as soon as it is leased, so a failing second query strands nothing.
    const files = fileFree > 0 ? this.startAll(await this.claim(fileFree, true), true) : 0;
    const others = free - files > 0 ? this.startAll(await this.claim(free - files, false), false) : 0;
    return files + others;
  }

  private startAll(rows: InboxRow[], attachment: boolean): number {
    rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    for (const row of rows) this.begin(row, attachment);
    return rows.length;
  }

  /** Resolves when every message in hand is finished (stop() and drivers of tick() wait on it). */
  async idle(): Promise<void> {
    while (this.inHand.size > 0) await Promise.all([...this.inHand.values()].map((r) => r.done));
  }

  /** Stops taking messages, then lets the ones in hand finish. */
  override async stop() {
    await super.stop();
    await this.idle();
    // Best effort: a database still down leaves them to their leases.
    if (this.interrupted.size) await this.release([...this.interrupted]).catch(() => 0);
  }

  /**
   * Hands back the messages still in hand when a shutdown cannot wait for them any longer: their
   * lease ends now, so another process (or this one restarted) takes them at once instead of after
   * the lease. The interrupted try is not counted against the message (the process gave up, not the
   * message). A handler that still commits meanwhile is harmless: the row lock and status check in
   * the dispatcher let only one outcome through. Returns how many rows were released.
   */
  async releaseHeld(): Promise<number> {
    return this.release([...this.inHand.keys(), ...this.interrupted]);
  }

  private async release(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const result = await this.o.db.execute(sql`
      update ${inboxEvents} set locked_until = null, attempts = greatest(attempts - 1, 0)
      where status = 'pending' and key in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})
      returning key`);
    return rowsOf(result).length;
  }

  private begin(row: InboxRow, attachment: boolean) {
    // A handler stuck on a lost connection would hold its slot and its chat for good.
    const done = withDatabaseDeadline(this.o.process(row), this.deadlineMs, `inbox event ${row.key}`)
      .catch((err: unknown) => {
        if (!isDatabaseUnavailable(err)) return this.o.log.error({ err, eventKey: row.key }, 'inbox event failed');
        // Its lease would keep it (and its chat) waiting for minutes after the database is back.
        this.interrupted.add(row.key);
        if (this.reported(err)) {
          this.diskFull = err;
          return this.o.log.debug({ eventKey: row.key }, 'disk full; the event will be handled again when there is room');
        }
        this.o.log.warn({ eventKey: row.key, reason: describeError(err) }, 'database unavailable; the event will be handled again when it is back');
      })
      .finally(() => {
        this.inHand.delete(row.key);
        this.kick();
      });
    this.inHand.set(row.key, { orderKey: row.orderKey, attachment, done });
  }

  /**
   * Leases up to `limit` chat heads with (or without) an attachment. Chats with a message in hand
   * here are skipped even if its lease ran out, so this process never runs a chat twice at once.
   * The attempt is counted when the row is claimed: a message that kills the process (a hostile
   * file) is not taken forever after each restart, the dispatcher gives it up.
   */
  private async claim(limit: number, attachment: boolean): Promise<InboxRow[]> {
    const now = this.o.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const busy = [...new Set([...this.inHand.values()].map((r) => r.orderKey))];
    const notBusy = busy.length ? sql`and i.order_key not in (${sql.join(busy.map((k) => sql`${k}`), sql`, `)})` : sql``;
    // Oldest first along inbox_events_pending_by_age, stopping at the limit: the rows passed over
    // are the few chats in hand and the later messages of chats whose head is taken, so a claim
    // does not grow with the backlog. The rows come back whole: no second read.
    const claimed = this.o.db
      .update(inboxEvents)
      .set({ lockedUntil: lease, attempts: sql`${inboxEvents.attempts} + 1` })
      .where(
        sql`${inboxEvents.key} in (
        select i.key from ${inboxEvents} i
        where i.status = 'pending' and i.attachment = ${attachment}
          and (i.locked_until is null or i.locked_until <= ${now.toISOString()}::timestamptz) ${notBusy}
          and not exists (
            select 1 from ${inboxEvents} p
            where p.status = 'pending' and p.order_key = i.order_key
              -- Two messages stored in the same millisecond: the key decides, so only one is a head.
              and (p.received_at < i.received_at or (p.received_at = i.received_at and p.key < i.key)))
        order by i.received_at
        limit ${limit}
        for update skip locked)`,
      )
      .returning();
    return withDatabaseDeadline(claimed, this.deadlineMs, 'inbox claim').catch((err: unknown) => {
      if (isDatabaseUnavailable(err)) this.lostClaims.add(lease.toISOString());
      throw err;
    });
  }
}

export async function markInboxDone(tx: Tx, key: string, clock: Clock) {
  await tx.update(inboxEvents).set({ status: 'done', doneAt: clock.now(), lockedUntil: null }).where(eq(inboxEvents.key, key));
}
