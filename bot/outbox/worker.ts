import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { DatabaseDeadlineError, isDatabaseUnavailable, withDatabaseDeadline, type Db, type Tx } from '../../db/client.js';
import { blobs, cardMessages, outbox, type OutboxRow } from '../../db/schema/index.js';
import type { Clock } from '../clock.js';
import { describeError } from '../errors.js';
import { CREDENTIALS_REFUSED, isLarkUnavailable, LarkApiError, LarkCredentialsError, LarkNetworkError, neverSent, type LarkApi, type MsgType, type ReceiveIdType, type UploadFileType } from '../lark-api.js';
import type { Logger } from '../logger.js';
import { RateLimiter } from './rate-limiter.js';
import { PollingWorker } from '../polling-worker.js';
import { metrics } from '../metrics.js';

export type OutboxWorkerOptions = {
  db: Db;
  lark: LarkApi;
  clock: Clock;
  log: Logger;
  /** App-wide sends per second (Lark allows 50; keep headroom for other tools of the tenant). */
  appRatePerSecond: number;
  /** How long a claimed row stays ours before another worker may take it over (crash recovery). */
  leaseMs?: number;
  pollMs?: number;
  batchSize?: number;
  /**
   * Longest wait for a tick or one row's delivery (default: derived from the PostgreSQL timeouts;
   * Lark calls time out well before). Past it the row is made pending again, as when the database
   * was unreachable: a query lost with its connection may never settle.
   */
  deadlineMs?: number;
  /** Told of database failures; true when it reported one itself (a full disk: DiskFullWatch.saw). */
  reported?: (err: unknown) => boolean;
  /**
   * Longest wait for recording a delivered row (default 15 s: two small updates). Past it the record
   * is kept in memory and written once the database answers, and the tick goes on.
   */
  recordDeadlineMs?: number;
  /** Told, in the transaction that marks a row failed, so that someone who can act on it hears of it. */
  onGivenUp?: (tx: Tx, row: OutboxRow, error: string) => Promise<void>;
};

const PER_CHAT_PER_SECOND = 5;
/** Lark lets an app call each message API 1,000 times a minute (besides 50 times a second). */
const PER_API_PER_MINUTE = 1000;
/**
 * Lark counts a call when it arrives, the worker when it starts it: a window a second longer than
 * Lark's keeps a late first call from getting the 1,001st refused.
 */
const MINUTE_WINDOW_MS = 61_000;
/** Lark's code for an app over an API's frequency limit (HTTP 429); 230020 is one chat's limit. */
const APP_RATE_LIMITED = 99991400;

/** The Lark API a row's delivery calls, which Lark's per-minute limit counts against. */
const API_OF: Record<OutboxRow['op'], string> = { send: 'send', send_file: 'send', reply: 'reply', patch: 'patch', urgent: 'urgent' };
const APIS = [...new Set(Object.values(API_OF))];
const OPS_OF_API = (api: string) => (Object.keys(API_OF) as OutboxRow['op'][]).filter((op) => API_OF[op] === api);
/** Lark: the message is older than 14 days and can no longer be updated. */
const CARD_TOO_OLD = 230031;

/** Errors that will not go away by retrying the same request. */
const isPermanent = (err: unknown) => !isLarkUnavailable(err);

export function backoffMs(attempt: number): number {
  // 1 s, 2 s, 4 s … capped at 10 min.
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 10 * 60_000);
}

/**
 * Lark sends at most one message per uuid within an hour: a row whose earlier attempt Lark may have
 * acted on is retried under its uuid only this long after that attempt (the hour less a margin for
 * clocks and the call's own time). Past it a retry could send the message twice, so the row fails.
 */
const UUID_WINDOW_MS = 55 * 60_000;
/**
 * A row whose attempts never reached Lark (the office's network down) keeps trying this long after
 * it was written: later than a day, what it says is stale, and the outage has long been noticed.
 */
const MAX_UNSENT_AGE_MS = 24 * 3600_000;

export class OutboxWorker extends PollingWorker {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly perChat: RateLimiter;
  private readonly perApp: RateLimiter;
  private readonly perApiMinute: RateLimiter;
  /** APIs Lark refused app-wide (99991400), until the instant its x-ogw-ratelimit-reset named. */
  private readonly pausedUntil = new Map<string, number>();
  /** Rows this process claimed and has not settled yet (released at a shutdown that cannot wait). */
  private readonly held = new Set<number>();
  /**
   * Rows the database's absence left unsettled: delivered to Lark but not yet recorded as sent
   * (`messageId` present), or not delivered and to be made pending again. Settled first thing
   * once the database answers, instead of waiting out the lease and sending again.
   */
  private readonly unsettled = new Map<number, { sent?: { row: OutboxRow; messageId: string | undefined } }>();
  /** Leases of claims whose answer a lost connection swallowed (see InboxWorker.lostClaims). */
  private readonly lostClaims = new Set<string>();

  constructor(private readonly o: OutboxWorkerOptions) {
    super('outbox', o.pollMs ?? 1000, o.log, o.deadlineMs, o.reported);
    this.leaseMs = o.leaseMs ?? 60_000;
    this.batchSize = o.batchSize ?? 20;
    const now = () => o.clock.now().getTime();
    this.perChat = new RateLimiter(PER_CHAT_PER_SECOND, 1000, now);
    this.perApp = new RateLimiter(o.appRatePerSecond, 1000, now);
    this.perApiMinute = new RateLimiter(PER_API_PER_MINUTE, MINUTE_WINDOW_MS, now);
  }

  /**
   * APIs that cannot be called now: their minute's budget is spent, or Lark refused the app and
   * said when to come back. Their rows are not claimed meanwhile: claiming them only to put them
   * back (or to be refused again) would cost a claim, a request and an update each.
   */
  private blockedApis(): string[] {
    const t = this.o.clock.now().getTime();
    return APIS.filter((api) => this.perApiMinute.available(api) === 0 || (this.pausedUntil.get(api) ?? 0) > t);
  }

  /**
   * Claims the head row of every chat that has one due, and delivers them. Returns how many rows it
   * worked on (delivered or rescheduled). Exposed for tests and the `job` CLI's drain.
   */
  override async tick(): Promise<number> {
    // Claim no more than the app-wide budget lets us send this second: rows claimed only to be
    // released again would cost two writes each while a backlog drains.
    // While the database is down this throws, and the worker backs off until it is back.
    await this.settle();
    const budget = Math.min(this.batchSize, this.perApp.available('app'));
    if (budget === 0) return 0;
    const blocked = this.blockedApis();
    if (blocked.length === APIS.length) return 0;
    const rows = await this.claim(budget, blocked.flatMap(OPS_OF_API));
    this.perChat.prune();
    await Promise.all(
      rows.map(async (row) => {
        this.held.add(row.id);
        try {
          await withDatabaseDeadline(this.deliver(row), this.deadlineMs, `outbox row ${row.id}`);
        } catch (err) {
          if (!isDatabaseUnavailable(err)) throw err;
          if (err instanceof DatabaseDeadlineError) {
            // Lark may already have it (only our record of it was lost): then it is recorded, not sent again.
            const delivered = Boolean(this.unsettled.get(row.id)?.sent);
            this.o.log.warn({ outboxId: row.id, reason: err.message }, delivered ? 'outbox delivery not recorded yet; recorded when the database answers' : 'outbox delivery given up; the row will be sent again');
          }
          if (!this.unsettled.has(row.id)) this.unsettled.set(row.id, {});
        } finally {
          this.held.delete(row.id);
        }
      }),
    );
    return rows.length;
  }

  /**
   * Only the oldest live row of each order key is claimable, which keeps per-chat order even with
   * several workers; SKIP LOCKED lets workers in other processes take other chats. A row stuck in
   * 'sending' past its lease belongs to a worker that died and is taken over.
   *
   * The heads are found by walking the live rows' chats through the (order_key, id) index, one
   * probe for the next chat and one for its oldest row: the cost follows the number of chats with
   * something to send, not the backlog. Testing every live row for an older one in its chat cost
   * 61 ms per claim with 6,800 rows waiting for 203 chats (the minute's budget of sends spent).
   * The heads go in as an array of ids, so the rows are fetched by id whatever the statistics say
   * (a plan cached while the table was small otherwise scanned every live row). The due and lease
   * conditions are checked again on the rows as locked.
   */
  private async claim(limit: number, skipOps: string[]): Promise<OutboxRow[]> {
    const now = this.o.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const skip = skipOps.length ? sql`and o.op not in (${sql.join(skipOps.map((op) => sql`${op}`), sql`, `)})` : sql``;
    // Claimed and read in one statement: the rows come back whole.
    const claiming = this.o.db
      .update(outbox)
      .set({
        status: 'sending',
        lockedUntil: lease,
        // Taken over from a worker that died while sending: Lark may have that call.
        uncertainSince: sql`case when ${outbox.status} = 'sending'
          then coalesce(${outbox.uncertainSince}, ${outbox.lockedUntil} - ${this.leaseMs} * interval '1 millisecond') else ${outbox.uncertainSince} end`,
      })
      .where(
        sql`${outbox.id} in (
        select o.id from ${outbox} o
        where o.id = any (array(
            with recursive chats(order_key) as (
              (select x.order_key from ${outbox} x where x.status in ('pending', 'sending') order by x.order_key limit 1)
              union all
              select (select x.order_key from ${outbox} x where x.status in ('pending', 'sending') and x.order_key > c.order_key order by x.order_key limit 1)
              from chats c where c.order_key is not null)
            select h.id from chats c cross join lateral (
              select x.id from ${outbox} x where x.order_key = c.order_key and x.status in ('pending', 'sending') order by x.id limit 1) h))
          and o.status in ('pending', 'sending')
          and ((o.status = 'pending' and o.next_attempt_at <= ${now.toISOString()}::timestamptz)
            or (o.status = 'sending' and o.locked_until < ${now.toISOString()}::timestamptz)) ${skip}
        order by o.id
        limit ${limit}
        for update skip locked)`,
      )
      .returning();
    const claimed = await withDatabaseDeadline(claiming, this.deadlineMs, 'outbox claim').catch((err: unknown) => {
      if (isDatabaseUnavailable(err)) this.lostClaims.add(lease.toISOString());
      throw err;
    });
    return claimed.sort((a, b) => a.id - b.id);
  }

  /**
   * Hands back the rows whose delivery is still in flight when a shutdown cannot wait for Lark any
   * longer: they become pending again now, so another process (or this one restarted) sends them
   * at once instead of after the lease. A call that did reach Lark is sent again with the same
   * uuid, which Lark deduplicates. Returns how many rows were released.
   */
  async releaseHeld(): Promise<number> {
    await this.settle().catch(() => {});
    const ids = [...this.held];
    if (ids.length === 0) return 0;
    const released = await this.o.db
      .update(outbox)
      .set({ status: 'pending', lockedUntil: null, uncertainSince: sql`coalesce(${outbox.uncertainSince}, ${this.o.clock.now().toISOString()}::timestamptz)` })
      .where(and(inArray(outbox.id, ids), eq(outbox.status, 'sending')))
      .returning({ id: outbox.id });
    return released.length;
  }

  private async deliver(row: OutboxRow) {
    // Every budget is checked before any is taken, so a row put back spends none of them.
    const api = API_OF[row.op];
    const budgets: [RateLimiter, string][] = [[this.perChat, row.orderKey], [this.perApiMinute, api], [this.perApp, 'app']];
    const wait = Math.max(
      (this.pausedUntil.get(api) ?? 0) - this.o.clock.now().getTime(),
      ...budgets.map(([limiter, key]) => limiter.waitFor(key)),
    );
    if (wait > 0) {
      await this.release(row, wait, false, undefined);
      return;
    }
    for (const [limiter, key] of budgets) limiter.tryTake(key);
    let messageId: string | undefined;
    try {
      messageId = await this.perform(row);
    } catch (err) {
      // A read of our own database failed (a file's bytes, a card's id): not the row's fault.
      if (isDatabaseUnavailable(err)) throw err;
      await this.onFailure(row, err);
      return;
    }
    try {
      // A write lost with its connection (a restarted database) may never settle: give it up soon,
      // and record it once the database answers, instead of holding this tick, and with it every
      // other delivery, until the general deadline.
      await withDatabaseDeadline(this.recordSent(row, messageId), this.o.recordDeadlineMs ?? 15_000, `outbox row ${row.id} record`);
    } catch (err) {
      // Lark has it; only our record is missing. Recorded when the database is back, not sent again.
      if (isDatabaseUnavailable(err)) this.unsettled.set(row.id, { sent: { row, messageId } });
      throw err;
    }
    metrics.outboxSent.inc({ op: row.op });
  }

  /**
   * One statement, atomic without a transaction of its own: a transaction would cost its begin and
   * commit as round trips of their own, for every message sent.
   */
  private async recordSent(row: OutboxRow, messageId: string | undefined) {
    const sent = sql`update ${outbox} set status = 'sent', sent_at = ${this.o.clock.now().toISOString()}::timestamptz, locked_until = null,
      result_message_id = ${messageId ?? null}, attempts = ${row.attempts + 1} where id = ${row.id}`;
    // A card's first send names the message later patches update.
    if (messageId && row.cardMessageId && (row.op === 'send' || row.op === 'reply')) {
      await this.o.db.execute(sql`with sent as (${sent}) update ${cardMessages} set message_id = ${messageId} where id = ${row.cardMessageId}`);
    } else {
      await this.o.db.execute(sent);
    }
  }

  /** Settles what the database's absence left over (see `unsettled`); throws while it is still down. */
  private async settle() {
    for (const [id, { sent }] of this.unsettled) {
      if (sent) {
        await this.recordSent(sent.row, sent.messageId);
        metrics.outboxSent.inc({ op: sent.row.op });
      } else {
        await this.o.db.update(outbox).set({ status: 'pending', lockedUntil: null }).where(and(eq(outbox.id, id), eq(outbox.status, 'sending')));
      }
      this.unsettled.delete(id);
    }
    for (const lease of this.lostClaims) {
      const mine = [...this.held];
      await this.o.db
        .update(outbox)
        .set({ status: 'pending', lockedUntil: null })
        .where(and(eq(outbox.status, 'sending'), eq(outbox.lockedUntil, new Date(lease)), mine.length ? notInArray(outbox.id, mine) : undefined));
      this.lostClaims.delete(lease);
    }
  }

  /** Stops after the deliveries in flight, settling what a database outage left over if it can. */
  override async stop() {
    await super.stop();
    await this.settle().catch(() => {});
  }

  private async onFailure(row: OutboxRow, err: unknown) {
    const log = this.o.log.child({ outboxId: row.id, op: row.op });
    metrics.outboxFailures.inc(
      err instanceof LarkApiError
        ? { code: String(err.code ?? err.httpStatus), kind: err.isRateLimit ? 'rate_limit' : err.isServerError ? 'server' : 'api' }
        : err instanceof LarkNetworkError
          ? { code: 'network', kind: 'network' }
          : { code: 'other', kind: 'other' },
    );
    if (err instanceof LarkApiError && err.isRateLimit) {
      // Lark said when to come back; that is not a failure of the row.
      const waitMs = err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : 1000;
      // The whole app is over this API's limit: every row calling it would be refused until then.
      if (err.code === APP_RATE_LIMITED) this.pausedUntil.set(API_OF[row.op], this.o.clock.now().getTime() + waitMs);
      log.warn({ code: err.code, waitMs }, 'outbox rate limited by Lark');
      await this.release(row, waitMs, false, err.message);
      return;
    }
    const attempts = row.attempts + 1;
    const now = this.o.clock.now().getTime();
    // Lark may have acted on a call it did not answer: not on a refusal, nor on one never sent.
    const unanswered = isLarkUnavailable(err) && !neverSent(err);
    const uncertainSince = row.uncertainSince?.getTime() ?? (unanswered ? now : undefined);
    const nextAt = now + backoffMs(attempts);
    const why = isPermanent(err)
      ? 'Lark refused it'
      : uncertainSince !== undefined && nextAt - uncertainSince > UUID_WINDOW_MS
        ? 'a retry could send it twice'
        : nextAt - row.createdAt.getTime() > MAX_UNSENT_AGE_MS
          ? 'stale'
          : undefined;
    if (why) {
      log.error({ err, attempts, why }, 'outbox row failed permanently');
      await this.o.db.transaction(async (tx) => {
        await tx
          .update(outbox)
          .set({ status: 'failed', attempts, lockedUntil: null, lastError: describeError(err), ...(uncertainSince !== undefined ? { uncertainSince: new Date(uncertainSince) } : {}) })
          .where(eq(outbox.id, row.id));
        await this.o.onGivenUp?.(tx, row, describeError(err));
      });
      // What onGivenUp enqueued goes out without waiting for the next poll.
      if (this.o.onGivenUp) this.kick();
      return;
    }
    // Every message waits on this one fix: say it where the operator looks.
    if (err instanceof LarkCredentialsError) log.error({ code: err.code, attempts }, CREDENTIALS_REFUSED);
    else log.warn({ err: describeError(err), attempts }, 'outbox delivery failed, will retry');
    await this.release(row, nextAt - now, true, describeError(err), uncertainSince);
  }

  private async release(row: OutboxRow, delayMs: number, countAttempt: boolean, lastError: string | undefined, uncertainSince?: number) {
    await this.o.db
      .update(outbox)
      .set({
        status: 'pending',
        lockedUntil: null,
        nextAttemptAt: new Date(this.o.clock.now().getTime() + delayMs),
        ...(countAttempt ? { attempts: row.attempts + 1 } : {}),
        ...(lastError ? { lastError } : {}),
        ...(uncertainSince !== undefined && !row.uncertainSince ? { uncertainSince: new Date(uncertainSince) } : {}),
      })
      .where(eq(outbox.id, row.id));
  }

  /** Makes the Lark call for one row; returns the message id for sends and replies. */
  private async perform(row: OutboxRow): Promise<string | undefined> {
    const p = row.payload as Record<string, unknown>;
    const content = (c: unknown) => JSON.stringify(c);
    switch (row.op) {
      case 'send': {
        const r = await this.o.lark.sendMessage({
          receiveIdType: p.receiveIdType as ReceiveIdType,
          receiveId: p.receiveId as string,
          msgType: p.msgType as MsgType,
          content: content(p.content),
          uuid: row.uuid,
        });
        return r.messageId;
      }
      case 'reply': {
        const r = await this.o.lark.replyMessage({
          messageId: p.messageId as string,
          msgType: p.msgType as MsgType,
          content: content(p.content),
          uuid: row.uuid,
        });
        return r.messageId;
      }
      case 'patch': {
        const messageId = typeof p.messageId === 'string' ? p.messageId : await this.cardMessageIdOf(row);
        try {
          await this.o.lark.patchCard(messageId, content(p.content));
        } catch (err) {
          // Lark only updates cards for 14 days (230031). A tracked card (a topic board, a receipt)
          // must still show the truth, so a fresh copy is posted and becomes the card to update.
          if (!(err instanceof LarkApiError && err.code === CARD_TOO_OLD && row.cardMessageId)) throw err;
          return this.repost(row, content(p.content));
        }
        return undefined;
      }
      case 'urgent': {
        const messageId = await this.cardMessageIdOf(row);
        await this.o.lark.urgentApp(messageId, p.openIds as string[]);
        return undefined;
      }
      case 'send_file': {
        const [blob] = await this.o.db.select().from(blobs).where(eq(blobs.sha256, p.blobSha256 as string));
        if (!blob) throw new Error(`blob ${p.blobSha256} missing`);
        const fileName = p.fileName as string;
        const { fileKey } = await this.o.lark.uploadFile({ fileName, fileType: uploadTypeOf(fileName), bytes: blob.bytes });
        const r = await this.o.lark.sendMessage({
          receiveIdType: p.receiveIdType as ReceiveIdType,
          receiveId: p.receiveId as string,
          msgType: 'file',
          content: content({ file_key: fileKey }),
          uuid: row.uuid,
        });
        return r.messageId;
      }
    }
  }

  private async repost(row: OutboxRow, content: string): Promise<undefined> {
    const [cm] = await this.o.db.select().from(cardMessages).where(eq(cardMessages.id, row.cardMessageId!));
    const r = await this.o.lark.sendMessage({
      receiveIdType: cm!.recipient.startsWith('oc_') ? 'chat_id' : 'open_id',
      receiveId: cm!.recipient,
      msgType: 'interactive',
      content,
      uuid: row.uuid,
    });
    await this.o.db.update(cardMessages).set({ messageId: r.messageId }).where(eq(cardMessages.id, cm!.id));
    return undefined;
  }

  private async cardMessageIdOf(row: OutboxRow): Promise<string> {
    const [cm] = row.cardMessageId
      ? await this.o.db.select().from(cardMessages).where(eq(cardMessages.id, row.cardMessageId))
      : [];
    // The send it patches is earlier in the same order key, so it was delivered or failed already.
    if (!cm?.messageId) throw new Error(`card message ${row.cardMessageId} was never delivered`);
    return cm.messageId;
  }
}

function uploadTypeOf(fileName: string): UploadFileType {
  const ext = fileName.toLowerCase().split('.').pop();
  if (ext === 'pdf') return 'pdf';
  if (ext === 'doc' || ext === 'docx') return 'doc';
  if (ext === 'xls' || ext === 'xlsx') return 'xls';
  if (ext === 'ppt' || ext === 'pptx') return 'ppt';
  return 'stream';
}
