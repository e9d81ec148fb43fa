/**
 * Lark payloads normalized once, at the edge: handlers never see envelope versions or the
 * SDK's flattened shapes.
 */

export type Mention = { key: string; openId: string | undefined; name: string };

export type MessageEvent = {
  kind: 'message';
  /** Dedupe key: Lark's docs say to dedupe received messages by message_id, not event_id. */
  key: string;
  eventId: string;
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  senderOpenId: string;
  senderType: string;
  messageType: string;
  /** The parsed `content` JSON. */
  content: Record<string, unknown>;
  mentions: Mention[];
  createTime: Date;
  /** The message this one replies to, and the first message of its reply chain (Lark's parent_id / root_id). */
  parentId: string | undefined;
  rootId: string | undefined;
};

export type CardActionEvent = {
  kind: 'card_action';
  key: string;
  operatorOpenId: string;
  value: Record<string, unknown>;
  formValue: Record<string, unknown> | undefined;
  option: string | undefined;
  inputValue: string | undefined;
  name: string | undefined;
  openMessageId: string;
  openChatId: string;
  /** Delayed-update token (c-…), valid 30 min for two uses. */
  token: string | undefined;
};

/**
 * Someone recalled (撤回) a message (im.message.recalled_v1). Lark names only the message and its
 * chat: in a private chat with the bot only its sender can recall it.
 */
export type RecallEvent = { kind: 'recall'; key: string; messageId: string; chatId: string };

/** A tap on the bot's custom menu (private chat only); `eventKey` is what the console configured. */
export type MenuEvent = { kind: 'menu'; key: string; eventId: string; operatorOpenId: string; eventKey: string; at: Date };

export type ChallengeEvent = { kind: 'url_verification'; challenge: string };
export type OtherEvent = { kind: 'other'; key: string; eventType: string };

export type LarkEvent = MessageEvent | CardActionEvent | MenuEvent | RecallEvent | ChallengeEvent | OtherEvent;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class MalformedEventError extends Error {}

/**
 * Characters PostgreSQL refuses in text and jsonb: NUL, and UTF-16 halves without their partner
 * (jsonb rejects the escaped lone surrogate). A message containing them would fail to be stored on
 * every Lark retry; NUL is dropped, a lone surrogate becomes U+FFFD.
 */
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Any character of either kind (a surrogate pair too): almost no string has one, and one test is cheaper than two replaces. */
const SUSPECT = /[\u0000\ud800-\udfff]/;

export function storableText(s: string): string {
  return SUSPECT.test(s) ? s.replace(NUL, '').replace(LONE_SURROGATE, '\ufffd') : s;
}

/** Every string (and key) in a parsed payload made storable. */
function storable(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (Array.isArray(v)) return v.map(storable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), storable(x)]));
  return v;
}

export function normalizeEvent(raw: Obj): LarkEvent {
  const payload = storable(raw) as Obj;
  if (payload.type === 'url_verification') {
    return { kind: 'url_verification', challenge: str(payload.challenge) ?? '' };
  }
  const header = obj(payload.header);
  const eventType = str(header.event_type) ?? str(obj(payload.event).type) ?? str(payload.type) ?? 'unknown';
  const eventId = str(header.event_id) ?? str(payload.uuid) ?? '';
  const event = obj(payload.event);

  if (eventType === 'im.message.receive_v1') {
    const message = obj(event.message);
    const sender = obj(event.sender);
    const messageId = str(message.message_id);
    if (!messageId) throw new MalformedEventError('message without message_id');
    let content: Obj = {};
    try {
      // The content is JSON in a string: its escapes (\u0000) only become characters once parsed.
      content = obj(storable(JSON.parse(str(message.content) ?? '{}')));
    } catch {
      content = {};
    }
    return {
      kind: 'message',
      key: `msg:${messageId}`,
      eventId,
      messageId,
      chatId: str(message.chat_id) ?? '',
      chatType: message.chat_type === 'group' ? 'group' : 'p2p',
      senderOpenId: str(obj(sender.sender_id).open_id) ?? '',
      senderType: str(sender.sender_type) ?? 'user',
      messageType: str(message.message_type) ?? 'unknown',
      content,
      mentions: (Array.isArray(message.mentions) ? message.mentions : []).map((m) => {
        const mo = obj(m);
        return { key: str(mo.key) ?? '', openId: str(obj(mo.id).open_id), name: str(mo.name) ?? '' };
      }),
      createTime: new Date(Number(message.create_time) || Date.now()),
      parentId: str(message.parent_id),
      rootId: str(message.root_id),
    };
  }

  if (eventType === 'card.action.trigger') {
    // Some doc pages put context/host beside event rather than inside it: read both.
    const action = obj(event.action);
    const context = { ...obj(payload.context), ...obj(event.context) };
    let value: unknown = action.value;
    if (typeof value === 'string') {
      try {
        value = storable(JSON.parse(value));
      } catch {
        value = { raw: value };
      }
    }
    return {
      kind: 'card_action',
      key: `evt:${eventId}`,
      operatorOpenId: str(obj(event.operator).open_id) ?? '',
      value: obj(value),
      formValue: action.form_value ? obj(action.form_value) : undefined,
      option: str(action.option),
      inputValue: str(action.input_value),
      name: str(action.name),
      openMessageId: str(context.open_message_id) ?? '',
      openChatId: str(context.open_chat_id) ?? '',
      token: str(event.token),
    };
  }

  if (eventType === 'application.bot.menu_v6') {
    const operatorId = obj(obj(event.operator).operator_id);
    const ts = Number(event.timestamp);
    return {
      kind: 'menu',
      key: `evt:${eventId}`,
      eventId,
      operatorOpenId: str(operatorId.open_id) ?? '',
      eventKey: str(event.event_key) ?? '',
      at: new Date(Number.isFinite(ts) && ts > 0 ? ts * 1000 : Number(header.create_time) || Date.now()),
    };
  }

  if (eventType === 'im.message.recalled_v1') {
    const messageId = str(event.message_id);
    if (!messageId) throw new MalformedEventError('recall without message_id');
    return { kind: 'recall', key: `evt:${eventId}`, messageId, chatId: str(event.chat_id) ?? '' };
  }

  return { kind: 'other', key: `evt:${eventId}`, eventType };
}
