import { randomUUID } from 'node:crypto';
import { and, eq, or, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../../db/client.js';
import { cardMessages, outbox } from '../../db/schema/index.js';
import type { Card } from '../../cards/elements.js';
import type { Clock } from '../clock.js';

export type Recipient = { openId: string } | { chatId: string };

export type TrackedCard = { purpose: string; entityType: string; entityId: string | number };

/** One message of several sent together: a text or a card to `to`; a card with `track` is remembered. */
export type Outgoing = { to: Recipient; content: string | Card; track?: TrackedCard };

/**
 * The only way the bot says anything: rows written in the caller's transaction, so a message exists
 * exactly when the state change it reports was committed. The outbox worker delivers them.
 */
export type Outbox = {
  sendText(to: Recipient, text: string): Promise<void>;
  /** Sends a card; with `track`, remembers the message so later changes can patch every copy. */
  sendCard(to: Recipient, card: Card, track?: TrackedCard): Promise<number | undefined>;
  /**
   * Sends several messages in one statement (a burst of messages answered together); each
   * recipient gets theirs in list order. Returns the card message id of each tracked card, in order.
   */
  sendMany(list: Outgoing[]): Promise<(number | undefined)[]>;
  /**
   * Replies to a message (Lark quotes it). `chatId` orders the reply among the chat's messages: the
   * chat's id, or for a private chat the bot reaches by open_id, that open_id.
   */
  replyText(messageId: string, chatId: string, text: string): Promise<void>;
  replyCard(messageId: string, chatId: string, card: Card): Promise<void>;
  /** Replaces a sent card. A patch still waiting for delivery is overwritten, so bursts coalesce. */
  patchCard(cardMessageId: number, card: Card): Promise<void>;
  /**
   * Replaces every tracked copy of each card (`track` as it was sent), except the one a callback is
   * answering: Lark shows the callback's own answer there. One read finds the copies of them all;
   * a card is drawn only when it has a copy to replace.
   */
  patchTracked(cards: { track: TrackedCard; draw: () => Card }[], exceptMessageId?: string): Promise<void>;
  /** Replaces a card known only by its message id (a card the bot did not track). */
  patchMessage(messageId: string, chatId: string, card: Card): Promise<void>;
  /** Uploads stored bytes (blobs table) through the file API, then sends them as a file message. */
  sendFile(to: Recipient, file: { blobSha256: string; fileName: string }): Promise<void>;
  /** Lark's in-app buzz on a card the bot sent. */
  urgent(cardMessageId: number, openIds: string[]): Promise<void>;
};

function target(to: Recipient) {
  return 'openId' in to
    ? { receiveIdType: 'open_id' as const, receiveId: to.openId }
    : { receiveIdType: 'chat_id' as const, receiveId: to.chatId };
}

export function createOutbox(db: DbOrTx, clock: Clock): Outbox {
  const row = (op: (typeof outbox.$inferInsert)['op'], orderKey: string, payload: Record<string, unknown>, cardMessageId?: number) => {
    const now = clock.now();
    return { uuid: randomUUID(), op, orderKey, payload, cardMessageId, nextAttemptAt: now, createdAt: now };
  };
  const insert = async (...args: Parameters<typeof row>) => {
    await db.insert(outbox).values(row(...args));
  };

  async function sendMany(list: Outgoing[]): Promise<(number | undefined)[]> {
    if (list.length === 0) return [];
    // One statement whatever the list: callers hold locks while they send (a submission holds the
    // serial counter), and every round trip is time others wait. A tracked card's record takes its id
    // from the sequence first, so its send refers to it without matching rows up afterwards; the
    // outbox ids follow the list (`i`), which keeps each recipient's messages in order.
    const now = clock.now().toISOString();
    const input = list.map(({ to, content, track }, i) => {
      const t = target(to);
      return {
        i,
        uuid: randomUUID(),
        order_key: t.receiveId,
        payload: typeof content === 'string' ? { ...t, msgType: 'text', content: { text: content } } : { ...t, msgType: 'interactive', content },
        ...(track && { purpose: track.purpose, entity_type: track.entityType, entity_id: String(track.entityId), recipient: t.receiveId }),
      };
    });
    const result = await db.execute(sql`
      with input as materialized (
        select u.*, case when u.purpose is not null then nextval(pg_get_serial_sequence('card_messages', 'id'))::int end as card_id
        from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
          as u(i int, uuid uuid, order_key text, payload jsonb, purpose text, entity_type text, entity_id text, recipient text)
      ), tracked as (
        insert into ${cardMessages} (id, purpose, entity_type, entity_id, recipient, created_at) overriding system value
        select card_id, purpose, entity_type, entity_id, recipient, ${now}::timestamptz from input where card_id is not null
      ), queued as (
        insert into ${outbox} (uuid, op, order_key, payload, card_message_id, next_attempt_at, created_at)
        select uuid, 'send', order_key, payload, card_id, ${now}::timestamptz, ${now}::timestamptz from input order by i
      )
      select card_id from input order by i`);
    return rowsOf<{ card_id: number | null }>(result).map((r) => (r.card_id === null ? undefined : Number(r.card_id)));
  }

  /**
   * A patch still waiting for delivery takes the new content (bursts coalesce); otherwise a new
   * patch is queued in the card's chat. One statement: callers patch while holding row locks.
   */
  async function patchCard(cardMessageId: number, card: Card): Promise<void> {
    const payload = JSON.stringify({ content: card });
    const now = clock.now().toISOString();
    const result = await db.execute(sql`
      with coalesced as (
        update ${outbox} set payload = ${payload}::jsonb
        where op = 'patch' and card_message_id = ${cardMessageId} and status = 'pending'
        returning id
      ), queued as (
        insert into ${outbox} (uuid, op, order_key, payload, card_message_id, next_attempt_at, created_at)
        select ${randomUUID()}::uuid, 'patch', recipient, ${payload}::jsonb, id, ${now}::timestamptz, ${now}::timestamptz
        from ${cardMessages} where id = ${cardMessageId} and not exists (select 1 from coalesced)
        returning id
      )
      select (select count(*) from coalesced)::int + (select count(*) from queued)::int as n`);
    if (rowsOf<{ n: number }>(result)[0]?.n !== 1) throw new Error(`unknown card message ${cardMessageId}`);
  }

  return {
    async sendText(to, text) {
      await sendMany([{ to, content: text }]);
    },
    async sendCard(to, card, track) {
      return (await sendMany([{ to, content: card, track }]))[0];
    },
    sendMany,
    async replyText(messageId, chatId, text) {
      await insert('reply', chatId, { messageId, msgType: 'text', content: { text } });
    },
    async replyCard(messageId, chatId, card) {
      await insert('reply', chatId, { messageId, msgType: 'interactive', content: card });
    },
    patchCard,
    async patchTracked(cards, exceptMessageId) {
      if (cards.length === 0) return;
      const same = (t: TrackedCard) => and(eq(cardMessages.purpose, t.purpose), eq(cardMessages.entityType, t.entityType), eq(cardMessages.entityId, String(t.entityId)));
      const copies = await db
        .select({ id: cardMessages.id, messageId: cardMessages.messageId, purpose: cardMessages.purpose, entityType: cardMessages.entityType, entityId: cardMessages.entityId })
        .from(cardMessages)
        .where(or(...cards.map((c) => same(c.track))))
        .orderBy(cardMessages.id);
      for (const { track, draw } of cards) {
        const mine = copies.filter(
          (cm) => cm.purpose === track.purpose && cm.entityType === track.entityType && cm.entityId === String(track.entityId) && !(exceptMessageId && cm.messageId === exceptMessageId),
        );
        if (mine.length === 0) continue;
        const card = draw();
        for (const cm of mine) await patchCard(cm.id, card);
      }
    },
    async patchMessage(messageId, chatId, card) {
      await insert('patch', chatId, { messageId, content: card });
    },
    async sendFile(to, file) {
      const t = target(to);
      await insert('send_file', t.receiveId, { ...t, ...file });
    },
    async urgent(cardMessageId, openIds) {
      const [cm] = await db.select().from(cardMessages).where(eq(cardMessages.id, cardMessageId));
      if (!cm) throw new Error(`unknown card message ${cardMessageId}`);
      await insert('urgent', cm.recipient, { openIds }, cardMessageId);
    },
  };
}

/** Where the tapped message stands among the bot's private sends to the operator (see privateSendOf). */
export type PrivateSend = 'sent' | 'in flight' | 'none';

/**
 * Whether the message `messageId` is one the bot sent to `openId` in their private chat (a send to
 * the open id; the p2p answer path never replies by chat id). Card callbacks name the tapped message,
 * which Lark fills in: the callback value cannot forge it.
 *
 * 'in flight' when it is not (yet) known but a send to `openId` is under way: Lark shows a card as
 * soon as it has stored it, before its answer (with the message id) reaches the bot and is committed,
 * so a quick tap can name a message the bot does not know it sent. A send whose answer was lost
 * counts too (pending again with `uncertain_since`: the retry under its uuid learns the id).
 */
export async function privateSendOf(db: DbOrTx, messageId: string, openId: string): Promise<PrivateSend> {
  if (!messageId || !openId) return 'none';
  // A send's order key is its receive id (an open id ou_…, or a chat id oc_…); the payload may be blanked by retention.
  // CASE looks for a send in flight only when the message is not known (the rare case).
  const [row] = rowsOf<{ send: PrivateSend }>(
    await db.execute(sql`select case
      when exists(select 1 from ${outbox} where ${outbox.resultMessageId} = ${messageId} and ${outbox.op} = 'send' and ${outbox.orderKey} = ${openId}) then 'sent'
      when exists(select 1 from ${outbox} where ${outbox.orderKey} = ${openId} and ${outbox.op} = 'send' and ${outbox.resultMessageId} is null
        and (${outbox.status} = 'sending' or (${outbox.status} = 'pending' and ${outbox.uncertainSince} is not null))) then 'in flight'
      else 'none' end as send`),
  );
  return row?.send ?? 'none';
}
