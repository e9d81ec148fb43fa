/**
 * Builders for what Lark POSTs to a bot: `im.message.receive_v1` events,
 * `card.action.trigger` callbacks and the URL-verification challenge, plus
 * {@link buildSignedRequest}, which turns any of them into the exact bytes and
 * headers the platform sends.
 *
 * Shapes follow Lark's event and callback documentation. Every
 * builder takes overrides, so tests state only what they care about.
 */
import { randomBytes } from 'node:crypto';
import { encryptPayload, signBody } from './lark-crypto.js';

/** A `@` mention inside a received message (`mentions[].id` is an object). */
export interface MentionInput {
  openId: string;
  name: string;
  /** Defaults to `@_user_<n>` in array order. */
  key?: string;
  unionId?: string;
  userId?: string;
}

export interface MessageEventInput {
  senderOpenId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  messageType: string;
  /** The message content object; serialized to the JSON string Lark sends. */
  content: unknown;
  appId: string;
  /** Verification Token, sent as `header.token`. */
  token: string;
  messageId?: string;
  mentions?: MentionInput[];
  eventId?: string;
  /** Milliseconds since the epoch (header and message use ms strings). */
  createTime?: number;
  tenantKey?: string;
  senderUnionId?: string;
  senderUserId?: string;
  rootId?: string;
  parentId?: string;
  threadId?: string;
}

export interface MessageReceiveEvent {
  schema: '2.0';
  header: EventHeader;
  event: {
    sender: {
      sender_id: { union_id: string; user_id: string; open_id: string };
      sender_type: 'user';
      tenant_key: string;
    };
    message: {
      message_id: string;
      root_id?: string;
      parent_id?: string;
      thread_id?: string;
      create_time: string;
      update_time: string;
      chat_id: string;
      chat_type: 'p2p' | 'group';
      message_type: string;
      content: string;
      mentions?: Array<{
        key: string;
        id: { union_id: string; user_id: string; open_id: string };
        name: string;
        tenant_key: string;
      }>;
    };
  };
}

export interface EventHeader {
  event_id: string;
  event_type: string;
  /** ms for im events, µs for card.action.trigger. */
  create_time: string;
  token: string;
  app_id: string;
  tenant_key: string;
}

/** The v2 header every event builder writes: `createTime` already in the event type's unit. */
function eventHeader(eventType: string, input: { eventId?: string; token: string; appId: string }, createTime: string, tenantKey: string): EventHeader {
  return { event_id: input.eventId ?? fakeIds.eventId(), event_type: eventType, create_time: createTime, token: input.token, app_id: input.appId, tenant_key: tenantKey };
}

export interface CardActionEventInput {
  operatorOpenId: string;
  /** The callback behaviour's `value`. */
  value: unknown;
  openMessageId: string;
  openChatId: string;
  /** Verification Token, sent as `header.token`. */
  token: string;
  appId: string;
  formValue?: Record<string, unknown>;
  option?: string;
  options?: string[];
  inputValue?: string;
  checked?: boolean;
  /** Component `name` (for forms: the submit button's). */
  name?: string;
  /** Defaults to `button`, or the tag implied by option/inputValue. */
  tag?: string;
  /** Delayed-update token (`c-…`); random when omitted. */
  updateToken?: string;
  eventId?: string;
  /** Microseconds since the epoch. */
  createTime?: number;
  tenantKey?: string;
  timezone?: string;
  operatorUnionId?: string;
  operatorUserId?: string;
}

export interface CardActionTriggerEvent {
  schema: '2.0';
  header: EventHeader;
  event: {
    operator: { tenant_key: string; open_id: string; union_id: string; user_id: string };
    token: string;
    action: {
      value: unknown;
      tag: string;
      timezone: string;
      name?: string;
      form_value?: Record<string, unknown>;
      input_value?: string;
      option?: string;
      options?: string[];
      checked?: boolean;
    };
    host: 'im_message';
    context: { open_message_id: string; open_chat_id: string };
  };
}

export interface UrlVerification {
  challenge: string;
  token: string;
  type: 'url_verification';
}

export interface SignedRequest {
  /** The raw body bytes (as a UTF-8 string) to POST. */
  body: string;
  headers: Record<string, string>;
}

const DEFAULT_TENANT_KEY = '736588c9260f175e';

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Lark-looking id generators, exported for tests and the demo console. */
export const fakeIds = {
  messageId: (): string => `om_${hex(16)}`,
  eventId: (): string => hex(16),
  chatId: (): string => `oc_${hex(16)}`,
  openId: (): string => `ou_${hex(16)}`,
  unionId: (): string => `on_${hex(16)}`,
  cardToken: (): string => `c-${hex(20)}`,
};

/** Schema 2.0 `im.message.receive_v1`, as Lark sends it. */
export function messageEvent(input: MessageEventInput): MessageReceiveEvent {
  const time = String(input.createTime ?? Date.now());
  const tenantKey = input.tenantKey ?? DEFAULT_TENANT_KEY;
  const message: MessageReceiveEvent['event']['message'] = {
    message_id: input.messageId ?? fakeIds.messageId(),
    create_time: time,
    update_time: time,
    chat_id: input.chatId,
    chat_type: input.chatType,
    message_type: input.messageType,
    content: typeof input.content === 'string' ? input.content : JSON.stringify(input.content),
  };
  if (input.rootId) message.root_id = input.rootId;
  if (input.parentId) message.parent_id = input.parentId;
  if (input.threadId) message.thread_id = input.threadId;
  // Lark omits `mentions` when nobody is mentioned (and for @all).
  if (input.mentions?.length) {
    message.mentions = input.mentions.map((m, i) => ({
      key: m.key ?? `@_user_${i + 1}`,
      id: { union_id: m.unionId ?? '', user_id: m.userId ?? '', open_id: m.openId },
      name: m.name,
      tenant_key: tenantKey,
    }));
  }
  return {
    schema: '2.0',
    header: eventHeader('im.message.receive_v1', input, time, tenantKey),
    event: {
      sender: {
        sender_id: {
          union_id: input.senderUnionId ?? '',
          user_id: input.senderUserId ?? '',
          open_id: input.senderOpenId,
        },
        sender_type: 'user',
        tenant_key: tenantKey,
      },
      message,
    },
  };
}

type MessageBase = Omit<MessageEventInput, 'messageType' | 'content'>;

/**
 * A received text message. Mentions appear in `text` as `@_user_N`
 * placeholders, so write them that way.
 */
export function textMessage(input: MessageBase & { text: string }): MessageReceiveEvent {
  const { text, ...base } = input;
  return messageEvent({ ...base, messageType: 'text', content: { text } });
}

/** A node of a received post paragraph (`text`, `a`, `at`, `img`, `media`, ...). */
export type PostNode = { tag: string } & Record<string, unknown>;

/** A received post: flat `{title, content}` without a locale key. */
export function postMessage(input: MessageBase & { title?: string; paragraphs: PostNode[][] }): MessageReceiveEvent {
  const { title, paragraphs, ...base } = input;
  return messageEvent({ ...base, messageType: 'post', content: { title: title ?? '', content: paragraphs } });
}

/** A received file: `{file_key, file_name}`. Register the bytes with `FakeLark.addMessageResource`. */
export function fileMessage(input: MessageBase & { fileKey: string; fileName: string }): MessageReceiveEvent {
  const { fileKey, fileName, ...base } = input;
  return messageEvent({ ...base, messageType: 'file', content: { file_key: fileKey, file_name: fileName } });
}

/** Schema 2.0 `card.action.trigger` (new-style card callback). */
export function cardActionEvent(input: CardActionEventInput): CardActionTriggerEvent {
  const tenantKey = input.tenantKey ?? DEFAULT_TENANT_KEY;
  const action: CardActionTriggerEvent['event']['action'] = {
    value: input.value,
    tag: input.tag ?? impliedTag(input),
    timezone: input.timezone ?? 'Asia/Shanghai',
  };
  if (input.name !== undefined) action.name = input.name;
  if (input.formValue !== undefined) action.form_value = input.formValue;
  if (input.inputValue !== undefined) action.input_value = input.inputValue;
  if (input.option !== undefined) action.option = input.option;
  if (input.options !== undefined) action.options = input.options;
  if (input.checked !== undefined) action.checked = input.checked;
  return {
    schema: '2.0',
    header: eventHeader('card.action.trigger', input, String(input.createTime ?? Date.now() * 1000), tenantKey),
    event: {
      operator: {
        tenant_key: tenantKey,
        open_id: input.operatorOpenId,
        union_id: input.operatorUnionId ?? '',
        user_id: input.operatorUserId ?? '',
      },
      token: input.updateToken ?? fakeIds.cardToken(),
      action,
      host: 'im_message',
      context: { open_message_id: input.openMessageId, open_chat_id: input.openChatId },
    },
  };
}

/** A form submit arrives as tag `button`; selects fill `option`. */
function impliedTag(input: CardActionEventInput): string {
  if (input.formValue !== undefined) return 'button';
  if (input.inputValue !== undefined) return 'input';
  if (input.option !== undefined) return 'select_static';
  if (input.checked !== undefined) return 'checker';
  return 'button';
}

/**
 * `application.bot.menu_v6`: a tap on the bot's custom menu in a private chat (机器人自定义菜单事件,
 * https://open.feishu.cn/document/client-docs/bot-v3/bot-customized-menu). The operator's ids are nested under `operator.operator_id` (no flat
 * open_id); `operator_name` is present only with its extra scope; `timestamp` is in seconds.
 */
export interface BotMenuEvent {
  schema: '2.0';
  header: EventHeader;
  event: {
    operator: { operator_name?: string; operator_id: { union_id: string; user_id: string; open_id: string } };
    event_key: string;
    timestamp: number;
  };
}

export function botMenuEvent(input: {
  operatorOpenId: string;
  eventKey: string;
  appId: string;
  token: string;
  operatorName?: string;
  eventId?: string;
  /** Milliseconds since the epoch. */
  createTime?: number;
  tenantKey?: string;
}): BotMenuEvent {
  const at = input.createTime ?? Date.now();
  return {
    schema: '2.0',
    header: eventHeader('application.bot.menu_v6', input, String(at), input.tenantKey ?? DEFAULT_TENANT_KEY),
    event: {
      operator: {
        ...(input.operatorName !== undefined ? { operator_name: input.operatorName } : {}),
        operator_id: { union_id: '', user_id: '', open_id: input.operatorOpenId },
      },
      event_key: input.eventKey,
      timestamp: Math.floor(at / 1000),
    },
  };
}

/**
 * `im.message.recalled_v1`: someone recalled (撤回) a message. The SDK's typing of this event names
 * only the message, its chat, the time (ms, as a string) and who recalled it (`recall_type`).
 */
export interface MessageRecalledEvent {
  schema: '2.0';
  header: EventHeader;
  event: {
    message_id: string;
    chat_id: string;
    recall_time: string;
    recall_type: 'message_owner' | 'group_owner' | 'group_manager' | 'enterprise_manager';
  };
}

export function messageRecalledEvent(input: {
  messageId: string;
  chatId: string;
  appId: string;
  token: string;
  eventId?: string;
  /** Milliseconds since the epoch. */
  recallTime?: number;
  tenantKey?: string;
}): MessageRecalledEvent {
  const at = input.recallTime ?? Date.now();
  return {
    schema: '2.0',
    header: eventHeader('im.message.recalled_v1', input, String(at), input.tenantKey ?? DEFAULT_TENANT_KEY),
    event: { message_id: input.messageId, chat_id: input.chatId, recall_time: String(at), recall_type: 'message_owner' },
  };
}

/** The challenge Lark sends when a request URL is saved. */
export function urlVerification(input: { challenge: string; token: string }): UrlVerification {
  return { challenge: input.challenge, token: input.token, type: 'url_verification' };
}

export interface SignOptions {
  /** When set, the body is encrypted and signed, as Lark does with an Encrypt Key. */
  encryptKey?: string;
  /** Stamped into the payload's `token` field(s) when they are missing. */
  verificationToken: string;
  /** Seconds since the epoch, as a string on the wire. */
  timestamp?: number;
  nonce?: string;
}

/**
 * The exact body and headers Lark POSTs for a payload.
 *
 * - With an Encrypt Key the body is `{"encrypt":"…"}` and `X-Lark-Signature`
 *   signs those bytes. Without one, Lark sends plain JSON; the signature header
 *   is left out because it is only defined with a key (whether Lark still sends
 *   it then is unverified).
 * - URL verification carries no signature headers at all.
 */
export function buildSignedRequest(payload: object, options: SignOptions): SignedRequest {
  const stamped = withToken(payload, options.verificationToken);
  const plain = JSON.stringify(stamped);
  const body = options.encryptKey ? JSON.stringify({ encrypt: encryptPayload(plain, options.encryptKey) }) : plain;
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  if (isUrlVerification(stamped)) return { body, headers };

  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? hex(8);
  headers['X-Lark-Request-Timestamp'] = timestamp;
  headers['X-Lark-Request-Nonce'] = nonce;
  if (options.encryptKey) headers['X-Lark-Signature'] = signBody(timestamp, nonce, options.encryptKey, body);
  return { body, headers };
}

function isUrlVerification(payload: object): boolean {
  return (payload as { type?: unknown }).type === 'url_verification';
}

/** Fill `header.token` (schema 2.0) or top-level `token` (1.0, challenge) if absent. */
function withToken(payload: object, token: string): object {
  const p = payload as { header?: Record<string, unknown>; token?: unknown; schema?: unknown };
  if (p.schema === '2.0' && p.header && !p.header['token']) {
    return { ...p, header: { ...p.header, token } };
  }
  if (p.schema !== '2.0' && !p.token) return { ...p, token };
  return payload;
}
