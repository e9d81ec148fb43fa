import type { Db } from '../db/client.js';
import type { Who } from '../db/queries/roster.js';
import type { Card } from '../cards/elements.js';
import type { Config } from './config.js';
import type { Clock } from './clock.js';
import type { LarkApi } from './lark-api.js';
import type { Logger } from './logger.js';
import type { UnitOfWork } from './unit-of-work.js';
import type { OutboxRow } from '../db/schema/index.js';
import type { CardActionEvent, MessageEvent } from './events.js';
import type { Allow } from './declare.js';

/** What every handler may use; built once in main.ts (or by a test) and passed down. */
export type Deps = {
  db: Db;
  lark: LarkApi;
  clock: Clock;
  log: Logger;
  config: Config;
  /** The bot's own open_id (from /bot/v3/info, cached): tells @bot mentions apart. */
  botOpenId: () => Promise<string>;
};

export type Audience = 'anyone' | 'officer' | 'reviewer' | 'editor' | 'leader';

/**
 * A handler's unit of work (its transaction, the outbox bound to it, the app's services) with the
 * operator and a logger that names the event. Domain services take this or its `UnitOfWork` part.
 */
export type ServiceContext = UnitOfWork & {
  log: Logger;
  who: Who;
};

export type MessageContext = ServiceContext & {
  event: MessageEvent;
  /** Plain text of a text or post message, mention placeholders removed, trimmed. */
  text: string;
  /** Answers the sender where they wrote: in a private chat a new message, in a group a reply. */
  reply(content: string | Card): Promise<void>;
};

/**
 * What a help example may depend on: today, in the bot's timezone, and the role whose section of the
 * help shows it (a command several roles use may need a different example for each).
 */
export type ExampleContext = { year: number; month: number; day: number; later: (days: number) => string; role?: Audience };

export type Command = {
  name: string;
  aliases?: string[];
  /** One line for the help card. */
  summary: string;
  usage?: string;
  /**
   * One working example for the help card, built for the asker's clock (dates in it stay in the
   * future). Every example shown is sent through the webhook in tests/vocabulary/help-examples.test.ts.
   */
  example?: (c: ExampleContext) => string;
  /**
   * For a command that needs arguments: the answer to the bare command, how to write it with an
   * example. Someone who sends the name they saw in the help learns the form instead of an error.
   */
  guide?: string;
  /** Who sees it in help (by default the roles `allow` names). */
  audience: Audience[];
  /** Who may use it: checked by the dispatcher before `parse` and `run` (after the bare-name `guide`). */
  allow: Allow;
  /** Commands that work in the group with an @mention, not only in the private chat. */
  inGroup?: boolean;
  /** The text after the name, as typed arguments; throws a UserError with the usage when malformed. */
  parse(text: string): unknown;
  run(ctx: MessageContext, args: unknown): Promise<void>;
};

/**
 * What `prepare` returns when a closer look (a database read) shows the message is not this
 * handler's after all: the next handler that accepts it is tried, as if this one had not.
 */
export const NOT_MINE: unique symbol = Symbol('not this handler');

/**
 * A handler for messages that are not commands (a draft's text, a file, a document link). The
 * optional `prepare` runs outside the transaction, for slow reads such as downloading a file.
 */
export type MessageHandler<P = unknown> = {
  name: string;
  accepts(event: MessageEvent, who: Who): boolean;
  /**
   * Quick, and reads nothing from Lark: the message is handled in the request that delivered it
   * (webhook or long connection), in the transaction that records it, instead of being stored for
   * the inbox worker. Only for text and rich text, and never with `prepare`.
   */
  inline?: boolean;
  prepare?(event: MessageEvent, deps: Deps, who: Who): Promise<P | typeof NOT_MINE>;
  handle(ctx: MessageContext, prepared: P): Promise<void>;
  /**
   * For an inline handler: handles several messages of different chats that arrived together, in
   * one unit of work shared by their contexts, with the same effect as `handle` on each. If it
   * throws, its writes are rolled back and each message goes through `handle` instead.
   */
  handleMany?(ctxs: MessageContext[]): Promise<void>;
};

export type CardResponse = {
  toast?: { type: 'info' | 'success' | 'error' | 'warning'; content: string };
  card?: Card;
};

export type ActionContext = ServiceContext & {
  event: CardActionEvent;
};

/**
 * A card button or form; `id` is stored in the button's callback value as `a`. Declared with
 * `cardAction` (bot/declare.ts): the dispatcher checks `allow`, then `parse`s the callback value.
 */
export type CardAction = {
  id: string;
  allow: Allow;
  /**
   * The answer (or the card it redraws) shows a draft's text, title or excerpt: answered only on a
   * card the bot sent to the operator's private chat. Cards are shared (update_multi), so answering
   * on a group card would post the draft to the group; the dispatcher refuses such a tap with a toast.
   */
  privateChat?: boolean;
  /** The callback value (without the action id), checked; a stale or forged one throws a UserError. */
  parse(raw: Record<string, unknown>): unknown;
  run(ctx: ActionContext, args: unknown): Promise<CardResponse>;
};

export type Feature = {
  name: string;
  commands?: Command[];
  actions?: CardAction[];
  messageHandlers?: MessageHandler<any>[];
  /** Someone recalled (撤回) a message in Lark: runs in the transaction that records the recall. */
  onRecall?: (work: UnitOfWork, messageId: string) => Promise<void>;
  /** The outbox gave up on a message (`error` says why): runs in the transaction that marks it failed. */
  onGivenUp?: (work: UnitOfWork, row: OutboxRow, error: string) => Promise<void>;
};
