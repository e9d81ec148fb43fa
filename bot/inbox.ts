import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { inboxEvents } from '../db/schema/index.js';
import type { Clock } from './clock.js';
import type { MessageEvent } from './events.js';
import type { Logger } from './logger.js';
import { rowsOf } from './outbox/worker.js';
import { PollingWorker } from './polling-worker.js';

/**
 * Stores a received message before it is acknowledged. Returns false for a duplicate (Lark
 * re-pushes after 15 s, 5 min, 1 h and 6 h; the key survives restarts because it is in the database).
 */
export async function storeInbound(db: Db, event: MessageEvent, clock: Clock): Promise<boolean> {
  const inserted = await db
    .insert(inboxEvents)
    .values({
      key: event.key,
      eventType: 'im.message.receive_v1',
      orderKey: event.chatId || event.senderOpenId,
      payload: event as unknown as Record<string, unknown>,
      status: 'pending',
      receivedAt: clock.now(),
    })
    .onConflictDoNothing()
    .returning({ key: inboxEvents.key });
  return inserted.length > 0;
}

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
};

/**
 * Runs stored messages through the dispatcher, one at a time per chat so a chat's messages are
 * handled in the order they arrived. Rows left pending by a crash are picked up after restart.
 */
export class InboxWorker extends PollingWorker {
  private readonly leaseMs: number;

  constructor(private readonly o: InboxWorkerOptions) {
    super('inbox', o.pollMs ?? 1000, o.log);
    this.leaseMs = o.leaseMs ?? 120_000;
  }

  /**
   * Processes the head event of every chat that has one; returns how many it took. The attempt is
   * counted when the row is claimed: a message that kills the process (a hostile file) is not taken
   * forever after each restart, the dispatcher gives it up.
   */
  override async tick(): Promise<number> {
    const now = this.o.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const result = await this.o.db.execute(sql`
      update ${inboxEvents} set locked_until = ${lease.toISOString()}::timestamptz, attempts = attempts + 1
      where key in (
        select i.key from ${inboxEvents} i
        where i.status = 'pending' and (i.locked_until is null or i.locked_until <= ${now.toISOString()}::timestamptz)
          and not exists (
            select 1 from ${inboxEvents} p
            where p.status = 'pending' and p.order_key = i.order_key and p.received_at < i.received_at)
        order by i.received_at
        limit 20
        for update skip locked)
      returning key`);
    const keys = rowsOf<{ key: string }>(result).map((r) => r.key);
    if (keys.length === 0) return 0;
    const rows = await this.o.db.query.inboxEvents.findMany({ where: (t, { inArray }) => inArray(t.key, keys) });
    await Promise.all(rows.map((row) => this.o.process(row)));
    return rows.length;
  }
}

export async function markInboxDone(tx: Tx, key: string, clock: Clock) {
  await tx.update(inboxEvents).set({ status: 'done', doneAt: clock.now(), lockedUntil: null }).where(eq(inboxEvents.key, key));
}
