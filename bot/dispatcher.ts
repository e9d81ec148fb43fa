import { NOT_IN_ROSTER_TEXT } from '../domain/roster/permissions.js';
import { metrics } from './metrics.js';
import { blankedInboxPayload } from '../db/queries/retention.js';
import { and, eq, sql } from 'drizzle-orm';
import { inboxEvents } from '../db/schema/index.js';
import { isDatabaseUnavailable, type Tx } from '../db/client.js';
import { loadWho, loadWhoMany, type Who } from '../db/queries/roster.js';
import type { Card } from '../cards/elements.js';
import { describeError, GENERIC_FAILURE, UserError } from './errors.js';
import { isLarkUnavailable, LarkApiError } from './lark-api.js';
import type { CardActionEvent, LarkEvent, MessageEvent, RecallEvent } from './events.js';
import { NOT_MINE, type CardResponse, type Deps, type MessageContext, type MessageHandler } from './handlers.js';
import { checkAllowed } from './declare.js';
import { claimEventKey, lockChat, lockFreeChats, markInboxDone, orderKeyOf, storeInbound, storeInboundMany, type InboxRow } from './inbox.js';
import { menuAsMessage } from './menu.js';
import { plainText } from './message-text.js';
import { privateSendOf } from './outbox/enqueue.js';
import { inSavepoint, inTransaction, type UnitOfWork } from './unit-of-work.js';
import type { Registry } from './registry.js';

export type IngestResult = 'accepted' | 'duplicate' | 'ignored';

export type Dispatcher = {
  /** The acknowledgement path: store the message (deduped) and return; handling happens after. */
  ingest(event: LarkEvent): Promise<IngestResult>;
  /** Card callbacks are answered synchronously (Lark never retries them, and waits for the card). */
  handleCardAction(event: CardActionEvent): Promise<CardResponse>;
  /** Handles one stored message; called by the inbox worker. */
  processInbound(row: InboxRow): Promise<void>;
};

export type DispatcherOptions = {
  deps: Deps;
  registry: Registry;
  /** Wakes the inbox worker after a new message is stored. */
  onStored: () => void;
  /** Wakes the outbox worker after a transaction that may have enqueued messages. */
  onCommitted: () => void;
  /** Attempts before a message that keeps failing is given up (and the sender told). */
  maxAttempts?: number;
};

export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const { deps, registry } = o;
  const maxAttempts = o.maxAttempts ?? 3;

  async function ingest(received: LarkEvent): Promise<IngestResult> {
    const result = await store(received);
    metrics.eventsReceived.inc({ type: received.kind, result });
    return result;
  }

  async function store(received: LarkEvent): Promise<IngestResult> {
    if (received.kind === 'recall') return recall(received);
    if (received.kind === 'menu' && !received.operatorOpenId) return 'ignored';
    const event = received.kind === 'menu' ? menuAsMessage(received) : received;
    if (event.kind !== 'message') return 'ignored';
    // Lark does not deliver other bots' messages, but our own can echo back in some tenants.
    if (event.senderType !== 'user' || !event.senderOpenId) return 'ignored';
    if (event.senderOpenId === (await deps.botOpenId().catch(() => ''))) return 'ignored';
    const answered = INLINE_TYPES.includes(event.messageType) ? await handleInline(event) : undefined;
    if (answered) return answered;
    const stored = await storeInbound(deps.db, event, deps.clock);
    if (stored) o.onStored();
    return stored ? 'accepted' : 'duplicate';
  }

  /**
   * 撤回 in Lark: the message is not handled any more if it still waits in the inbox, and the
   * features undo what they made of it (`onRecall`). Deduped by the event's key.
   */
  async function recall(event: RecallEvent): Promise<IngestResult> {
    const log = deps.log.child({ eventKey: event.key });
    return inTransaction(
      deps,
      async (work): Promise<IngestResult> => {
        if (!(await claimEventKey(work.tx, event.key, 'im.message.recalled_v1', deps.clock))) return 'duplicate';
        // A handler of that message still running holds its row: this waits for it, then finds what it made.
        await work.tx
          .update(inboxEvents)
          .set({ status: 'done', doneAt: deps.clock.now(), lockedUntil: null, lastError: 'recalled by its sender' })
          .where(and(eq(inboxEvents.key, `msg:${event.messageId}`), eq(inboxEvents.status, 'pending')));
        for (const onRecall of registry.recallHandlers) await onRecall({ ...work, deps: { ...deps, log } }, event.messageId);
        return 'accepted';
      },
      o.onCommitted,
    );
  }

  /**
   * Handles a message in the request that delivered it, in one transaction with the record that
   * dedupes it, when its handler says it is quick and reads nothing from Lark (a draft's text; the
   * answer to what the bot does not understand). The chat's lock and its queue keep the order: a
   * chat with a message still waiting, or that another transaction holds (the inbox worker on its
   * previous message), queues this one behind it instead of waiting. Returns undefined when the message
   * is for the inbox worker after all (another handler, or this one failed: it is tried again there).
   *
   * Messages that arrive while earlier ones are being handled are handled together, as a group in
   * one transaction (at most INLINE_GROUPS groups at once): a burst then costs a few statements per
   * group instead of a dozen per message. A group holds one message per chat, and a chat whose
   * message is in a running group waits for it, so a chat's messages are still handled in order.
   */
  function handleInline(event: MessageEvent): Promise<IngestResult | undefined> {
    return new Promise((resolve, reject) => {
      waiting.push({ event, resolve, reject });
      metrics.inlineWaiting.inc();
      startGroups();
    });
  }

  type Waiting = { event: MessageEvent; resolve: (r: IngestResult | undefined) => void; reject: (err: unknown) => void };
  const waiting: Waiting[] = [];
  /** Chats with a message in a running group. */
  const busyChats = new Set<string>();
  let groupsRunning = 0;

  function startGroups() {
    while (groupsRunning < INLINE_GROUPS) {
      if (groupsRunning > 0 && waiting.length < SECOND_GROUP_MIN) return;
      const group: Waiting[] = [];
      const chats = new Set<string>();
      for (let i = 0; i < waiting.length && group.length < INLINE_GROUP_MAX; ) {
        const chat = orderKeyOf(waiting[i]!.event);
        if (busyChats.has(chat) || chats.has(chat)) {
          i++;
          continue;
        }
        chats.add(chat);
        group.push(...waiting.splice(i, 1));
      }
      if (group.length === 0) return;
      metrics.inlineWaiting.dec(group.length);
      groupsRunning++;
      for (const chat of chats) busyChats.add(chat);
      void runGroup(group).finally(() => {
        groupsRunning--;
        for (const chat of chats) busyChats.delete(chat);
        startGroups();
      });
    }
  }

  async function runGroup(group: Waiting[]): Promise<void> {
    try {
      const results = await handleGroup(group.map((w) => w.event));
      group.forEach((w, i) => w.resolve(results[i]));
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        for (const w of group) w.reject(err);
        return;
      }
      if (group.length > 1) {
        // One message's handler failed the transaction: each is handled alone, so the others are
        // still answered now and only that one goes to the inbox worker.
        deps.log.warn({ err, messages: group.length }, 'a group of messages failed; handling each alone');
        for (const w of group) await runGroup([w]);
        return;
      }
      deps.log.child({ eventKey: group[0]!.event.key }).error({ err }, 'message handler failed; the inbox worker tries it again');
      metrics.eventsHandled.inc({ type: 'message', outcome: 'error' });
      group[0]!.resolve(undefined);
    }
  }

  type Taken = { event: MessageEvent; who: Who; route: Extract<Route, { kind: 'handler' }> | undefined; log: Deps['log'] };

  /** One group: each message's result, undefined for those left to the inbox worker. Throws if the transaction failed. */
  async function handleGroup(events: MessageEvent[]): Promise<(IngestResult | undefined)[]> {
    // A command is the inbox worker's: known from the text alone, before the roster is read. The
    // others go to the message handlers (or to nobody, for a group message not addressed to the bot).
    const byText = await Promise.all(events.map((e) => routeByText(e)));
    const open = events.flatMap((event, i) => (!byText[i] || byText[i] === HANDLERS ? [{ event, addressed: Boolean(byText[i]) }] : []));
    if (open.length === 0) return events.map(() => undefined);
    let list: Taken[] = [];
    const done = metrics.handlerSeconds.startTimer({ type: 'message' });
    let outcomes: ('accepted' | 'duplicate' | 'queued')[];
    try {
      outcomes = await inTransaction(
        deps,
        async (work) => {
          // The senders' roster entries and the chats' locks in one round trip. A chat whose message
          // turns out to be the inbox worker's stays locked until this transaction ends: harmless.
          const [whos, free] = await Promise.all([
            loadWhoMany(
              work.tx,
              open.map((m) => m.event.senderOpenId),
            ),
            // A chat another transaction holds, or with a message still waiting: its message queues behind.
            lockFreeChats(
              work.tx,
              open.map((m) => orderKeyOf(m.event)),
            ),
          ]);
          list = open.flatMap(({ event, addressed }) => {
            const who = whos.get(event.senderOpenId)!;
            const route = addressed ? handlerRoute(event, who) : undefined;
            if (route && !(route.handler.inline && !route.handler.prepare)) return [];
            return [{ event, who, route, log: deps.log.child({ eventKey: event.key, chatType: event.chatType }) }];
          });
          const queues = list.map((t) => !free.has(orderKeyOf(t.event)));
          const stored = await storeInboundMany(
            work.tx,
            list.map((t, i) => (queues[i] ? { event: t.event } : { event: t.event, status: 'done' as const, blank: !t.who.known })),
            deps.clock,
          );
          const result = list.map((t, i) => (!stored.has(t.event.key) ? 'duplicate' : queues[i] ? 'queued' : 'accepted'));
          await runRoutes(
            work,
            list.filter((t, i) => result[i] === 'accepted' && t.route),
          );
          return result;
        },
        o.onCommitted,
      );
    } finally {
      for (const _ of list) done();
    }
    if (list.length > 0) metrics.inlineGroupMessages.observe(list.length);
    if (outcomes.includes('queued')) o.onStored();
    const indexOf = new Map(list.map((t, i) => [t.event, i]));
    list.forEach((t, i) => {
      if (outcomes[i] !== 'accepted') return;
      t.log.info({ route: t.route ? routeName(t.route) : 'not addressed' }, 'message handled');
      metrics.eventsHandled.inc({ type: 'message', outcome: 'ok' });
    });
    return events.map((e) => {
      const i = indexOf.get(e);
      return i === undefined ? undefined : outcomes[i] === 'duplicate' ? 'duplicate' : 'accepted';
    });
  }

  /**
   * Runs the messages' routes in the group's transaction: those of a handler with `handleMany`
   * together, the others one by one, each in its savepoint. If `handleMany` throws, the group's
   * transaction fails and runGroup handles each message alone (through `handle`), so it needs no
   * savepoint of its own.
   */
  async function runRoutes(work: UnitOfWork, list: Taken[]) {
    const byHandler = new Map<MessageHandler, Taken[]>();
    for (const t of list) {
      const handler = t.route!.handler;
      const mine = byHandler.get(handler);
      if (mine) mine.push(t);
      else byHandler.set(handler, [t]);
    }
    for (const [handler, mine] of byHandler) {
      if (handler.handleMany && mine.length > 1) await handler.handleMany(mine.map((t) => messageContext(work, t.event, t.who, t.log)));
      else for (const t of mine) await runRoute(work, t.event, t.who, t.log, t.route!, undefined, undefined);
    }
  }

  async function processInbound(row: InboxRow): Promise<void> {
    const event = row.payload as unknown as MessageEvent;
    event.createTime = new Date(event.createTime);
    const log = deps.log.child({ eventKey: row.key, chatType: event.chatType });
    if (row.attempts > maxAttempts) {
      // Claimed this often without an outcome: earlier attempts died with the process (or outran
      // their lease). Do not try again.
      await recordFailure(row, event, new Error(`abandoned after ${row.attempts - 1} attempts without an outcome`), log, ABANDONED);
      return;
    }
    const timer = metrics.handlerSeconds.startTimer({ type: 'message' });
    try {
      const who = await loadWho(deps.db, event.senderOpenId);
      const route = await resolve(event, who);
      if (!route) {
        await commitWith(row, who, async () => {});
        return;
      }
      let prepared: unknown;
      let prepareError: unknown;
      if (route.kind === 'handler') {
        for (const handler of route.handlers) {
          route.handler = handler;
          if (!handler.prepare) break;
          try {
            prepared = await handler.prepare(event, deps, who);
          } catch (err) {
            if (!(err instanceof UserError)) throw err;
            prepareError = err;
            break;
          }
          if (prepared !== NOT_MINE) break;
        }
      }
      await commitWith(row, who, (work) => runRoute(work, event, who, log, route, prepared, prepareError));
      log.info({ route: routeName(route) }, 'message handled');
      metrics.eventsHandled.inc({ type: 'message', outcome: 'ok' });
    } catch (err) {
      // The database went away: not the message's fault, and nothing can be recorded now. The
      // inbox worker hands the row back once the database answers again.
      if (isDatabaseUnavailable(err)) {
        metrics.eventsHandled.inc({ type: 'message', outcome: 'database_unavailable' });
        throw err;
      }
      metrics.eventsHandled.inc({ type: 'message', outcome: 'error' });
      await recordFailure(row, event, err, log);
    } finally {
      timer();
    }
  }

  type Route =
    | { kind: 'command'; command: import('./handlers.js').Command; args: string }
    /** The handlers that accept the message, in order, ending with the fallback; `handler` is the one that takes it. */
    | { kind: 'handler'; handlers: MessageHandler[]; handler: MessageHandler };

  async function resolve(event: MessageEvent, who: Who): Promise<Route | undefined> {
    const byText = await routeByText(event);
    return byText === HANDLERS ? handlerRoute(event, who) : byText;
  }

  /**
   * What the text alone decides: nothing when a group message does not address the bot, a command,
   * or HANDLERS when the message handlers (which look at the sender) decide.
   */
  async function routeByText(event: MessageEvent): Promise<Extract<Route, { kind: 'command' }> | typeof HANDLERS | undefined> {
    if (event.chatType === 'group') {
      // In groups the bot only answers when addressed; Lark may deliver all group messages with the
      // group_msg scope, and those are not for us.
      const bot = await deps.botOpenId();
      if (!event.mentions.some((m) => m.openId === bot)) return undefined;
    }
    const text = event.messageType === 'text' || event.messageType === 'post' ? plainText(event) : '';
    const found = registry.findCommand(text);
    if (found && (event.chatType === 'p2p' || found.command.inGroup)) return { kind: 'command', ...found };
    return HANDLERS;
  }

  function handlerRoute(event: MessageEvent, who: Who): Extract<Route, { kind: 'handler' }> {
    const handlers = [...registry.messageHandlers.filter((h) => h.accepts(event, who)), fallbackHandler];
    return { kind: 'handler', handlers, handler: handlers[0]! };
  }

  /** Runs the handler in a transaction with the inbox row marked done in the same commit. */
  async function commitWith(row: InboxRow, who: Who, fn: (work: UnitOfWork) => Promise<void>) {
    await inTransaction(
      deps,
      async (work) => {
        const { tx } = work;
        await lockChat(tx, row.orderKey);
        const [current] = await tx.select({ status: inboxEvents.status }).from(inboxEvents).where(eq(inboxEvents.key, row.key)).for('update');
        if (current?.status !== 'pending') return; // another worker finished it first
        await fn(work);
        await markInboxDone(tx, row.key, deps.clock);
        if (!who.known) await forget(tx, row.key);
      },
      o.onCommitted,
    );
  }

  /**
   * Runs the route's handler or command in a savepoint. A UserError rolls back the handler's own
   * writes but still answers the user, and the message counts as handled.
   */
  async function runRoute(work: UnitOfWork, event: MessageEvent, who: Who, log: Deps['log'], route: Route, prepared: unknown, prepareError: unknown) {
    try {
      await inSavepoint(work, async (sp) => {
        const ctx = messageContext(sp, event, who, log);
        if (prepareError) throw prepareError;
        if (route.kind === 'handler') return route.handler.handle(ctx, prepared);
        const { command, args } = route;
        // The bare name someone saw in the help is answered with how to write it, whoever asks.
        if (command.guide && !args.trim()) return ctx.reply(command.guide);
        checkAllowed(ctx.who, command.allow);
        await command.run(ctx, command.parse(args));
      });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      log.info({ code: err.code }, 'user error answered');
      await messageContext(work, event, who, log).reply(err.userMessage);
    }
  }

  function messageContext(work: UnitOfWork, event: MessageEvent, who: Who, log: Deps['log']): MessageContext {
    const { out } = work;
    return {
      ...work,
      log,
      who,
      event,
      text: event.messageType === 'text' || event.messageType === 'post' ? plainText(event) : '',
      async reply(content: string | Card) {
        if (event.chatType === 'p2p') {
          if (typeof content === 'string') await out.sendText({ openId: event.senderOpenId }, content);
          else await out.sendCard({ openId: event.senderOpenId }, content);
        } else if (typeof content === 'string') await out.replyText(event.messageId, event.chatId, content);
        else await out.replyCard(event.messageId, event.chatId, content);
      },
    };
  }

  /**
   * `row.attempts` already counts this attempt (counted when the row was claimed). While Lark itself
   * is away (a download answered 5xx, 429 or nothing), the try is not counted: the message waits for
   * Lark, half as long again as it has waited so far (5 s to 5 min), for up to an hour after it came.
   */
  async function recordFailure(row: InboxRow, event: MessageEvent, err: unknown, log: Deps['log'], apology = GENERIC_FAILURE) {
    const now = deps.clock.now().getTime();
    const waited = now - row.receivedAt.getTime();
    const larkAway = isLarkUnavailable(err) && waited < LARK_PATIENCE_MS;
    const attempts = row.attempts;
    const giveUp = !larkAway && attempts >= maxAttempts;
    // Back off before the next attempt: 5 s, then 25 s; or as long as Lark asked, or half the wait so far.
    const rateLimit = err instanceof LarkApiError ? (err.retryAfterSeconds ?? 0) * 1000 : 0;
    const waitMs = larkAway ? Math.max(rateLimit, Math.min(Math.max(waited / 2, 5000), 5 * 60_000)) : 5000 * 5 ** (attempts - 1);
    if (larkAway) log.warn({ reason: describeError(err), waitMs }, 'Lark unavailable; the message waits for it');
    else log.error({ err, attempts, giveUp }, 'message handler failed');
    try {
      await inTransaction(
        deps,
        async (work) => {
          await work.tx
            .update(inboxEvents)
            .set({
              lastError: describeError(err),
              status: giveUp ? 'failed' : 'pending',
              lockedUntil: giveUp ? null : new Date(now + waitMs),
              ...(larkAway ? { attempts: sql`greatest(${inboxEvents.attempts} - 1, 0)` } : {}),
            })
            .where(eq(inboxEvents.key, row.key));
          if (giveUp) await messageContext(work, event, await loadWho(work.tx, event.senderOpenId), log).reply(apology);
        },
        o.onCommitted,
      );
    } catch (e) {
      log.error({ err: e }, 'could not record handler failure');
    }
  }

  async function handleCardAction(event: CardActionEvent): Promise<CardResponse> {
    const log = deps.log.child({ eventKey: event.key, action: String(event.value.a ?? '') });
    const { a, ...args } = event.value;
    const action = typeof a === 'string' ? registry.action(a) : undefined;
    if (!action) {
      log.warn('card action without a known id');
      return { toast: { type: 'error', content: '这张卡片已失效，请重新发起操作。' } };
    }
    const timer = metrics.handlerSeconds.startTimer({ type: 'card_action' });
    try {
      const refusal = action.privateChat ? await privateChatRefusal(event) : undefined;
      if (refusal) {
        // The answer would show a draft's text on a card others can see: refuse before anything runs.
        log.warn({ chat: event.openChatId, refusal }, 'draft action not known to be in the private chat refused');
        return { toast: { type: 'error', content: refusal } };
      }
      const response = await inTransaction(
        deps,
        async (work): Promise<CardResponse> => {
          if (!(await claimEventKey(work.tx, event.key, 'card.action.trigger', deps.clock))) {
            return { toast: { type: 'info', content: '该操作已处理。' } };
          }
          const who = await loadWho(work.tx, event.operatorOpenId);
          try {
            checkAllowed(who, action.allow);
            const parsed = action.parse(args);
            return await inSavepoint(work, (sp) => action.run({ ...sp, log, who, event }, parsed));
          } catch (err) {
            if (err instanceof UserError) return { toast: { type: 'error', content: err.userMessage } };
            throw err;
          }
        },
        o.onCommitted,
      );
      log.info({ toast: response.toast?.type }, 'card action handled');
      metrics.eventsHandled.inc({ type: 'card_action', outcome: response.toast?.type === 'error' ? 'refused' : 'ok' });
      return response;
    } catch (err) {
      log.error({ err }, 'card action failed');
      metrics.eventsHandled.inc({ type: 'card_action', outcome: 'error' });
      return { toast: { type: 'error', content: GENERIC_FAILURE } };
    } finally {
      timer();
    }
  }

  /**
   * Why a draft action on this card is refused, if it is: the card is not one the bot sent the
   * operator privately. A tap on a card whose send the bot has not yet seen confirmed waits for it
   * (polling, outside any transaction) for a while that keeps the answer inside Lark's 3 s.
   */
  async function privateChatRefusal(event: CardActionEvent): Promise<string | undefined> {
    const started = Date.now();
    for (;;) {
      const send = await privateSendOf(deps.db, event.openMessageId, event.operatorOpenId);
      if (send === 'sent') return undefined;
      if (send === 'none') return PRIVATE_CHAT_ONLY;
      if (Date.now() - started >= SEND_CONFIRMATION_WAIT_MS) return CARD_STILL_ARRIVING;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return { ingest, handleCardAction, processInbound };
}

/** To the sender of a message whose handling kept dying with the process (a hostile or broken file). */
export const ABANDONED = '这条消息多次处理都未能完成（可能是文件过大、页数过多或格式异常），已停止处理。请检查后重新发送，如仍有问题请联系研究室。';

/** routeByText's answer when the message handlers decide. */
const HANDLERS = Symbol('handlers');

/**
 * Groups of messages answered as they arrive that run at once, and the most messages in one: enough
 * that a burst is answered in a few transactions, while the pool keeps connections for the workers.
 */
const INLINE_GROUPS = 2;
const INLINE_GROUP_MAX = 50;
/**
 * Messages that must be waiting before a group starts beside a running one (the running one takes
 * the rest when it ends). A group costs the same few round trips whatever its size, and a group of
 * one or two started beside a full one takes the thread from it: bursts then ran as alternating
 * groups of 1 and ~22, and the bench's end-to-end rate was ~25 % lower than with this floor.
 */
const SECOND_GROUP_MIN = 16;

/** Message types a handler may answer in the request that delivered them (no attachment to download). */
const INLINE_TYPES = ['text', 'post'];

const routeName = (route: { kind: 'command'; command: { name: string } } | { kind: 'handler'; handler: { name: string } }) =>
  route.kind === 'command' ? route.command.name : route.handler.name;

/** Someone outside the roster: what they wrote is no record of anything, so it is not kept. */
async function forget(tx: Tx, key: string) {
  await tx.execute(sql`update inbox_events set payload = ${blankedInboxPayload()} where key = ${key}`);
}

/** How long a message needing Lark (a file to download) waits out Lark being away before it fails. */
const LARK_PATIENCE_MS = 60 * 60_000;

export const PRIVATE_CHAT_ONLY = '此操作会显示稿件内容，只能在与机器人的私聊中进行，未做任何修改。';
export const CARD_STILL_ARRIVING = '这张卡片刚刚送达，机器人还在确认，请过几秒再点一次。未做任何修改。';

/** How long a draft action on a card whose send is still being confirmed waits for the confirmation. */
const SEND_CONFIRMATION_WAIT_MS = 1500;

const fallbackHandler: MessageHandler = {
  name: 'fallback',
  inline: true,
  accepts: () => true,
  async handle(ctx) {
    if (ctx.event.chatType === 'group') {
      await ctx.reply('我没有听懂。请 @我 并发送“帮助”查看可用的命令。');
      return;
    }
    if (!ctx.who.known) {
      await ctx.reply(NOT_IN_ROSTER_TEXT);
      return;
    }
    await ctx.reply('我没有听懂这条消息。发送“帮助”查看可用的命令。');
  },
};

