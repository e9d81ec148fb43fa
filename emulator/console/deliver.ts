import { randomBytes } from 'node:crypto';
import type { LarkConfig } from '../../bot/config.js';
import {
  buildSignedRequest,
  cardActionEvent,
  fakeIds,
  fileMessage,
  textMessage,
  type CardActionEventInput,
  type MentionInput,
} from '../lark-events.js';
import type { FakeLark } from '../open-api/index.js';

/** Where "Lark" delivers: the bot's own webhook, checked exactly as in production. */
export type DeliveryTarget = {
  lark: Pick<LarkConfig, 'appId' | 'encryptKey' | 'verificationToken'>;
  fake: FakeLark;
  /** The bot's `/webhook/event` URL. */
  webhookUrl: string;
};

export type Chat = { chatId: string; chatType: 'p2p' | 'group' };

/** What a card callback carries besides the operator and the message. */
export type CardInput = Pick<CardActionEventInput, 'value' | 'formValue' | 'option' | 'options' | 'inputValue' | 'checked' | 'name' | 'tag'>;

export type CardAnswer = {
  toast?: { type?: string; content?: string };
  card?: { type?: string; data?: unknown } | Record<string, unknown>;
};

export class DeliveryError extends Error {}

/** A person types a message. In a group the bot only hears it when mentioned, as in Lark. */
export async function deliverText(
  t: DeliveryTarget,
  from: string,
  chat: Chat,
  text: string,
  o: { mentionBot?: boolean; parentId?: string } = {},
): Promise<{ messageId: string }> {
  const messageId = fakeIds.messageId();
  const mentions: MentionInput[] = o.mentionBot ? [{ openId: t.fake.botOpenId, name: t.fake.botName, key: '@_user_1' }] : [];
  const event = textMessage({ ...envelope(t, from, chat, messageId), text: (mentions.length ? '@_user_1 ' : '') + text, mentions, ...(o.parentId ? { parentId: o.parentId } : {}) });
  await post(t, event);
  return { messageId };
}

/** A person attaches a file: Lark stores the bytes first, then delivers the message. */
export async function deliverFile(
  t: DeliveryTarget,
  from: string,
  chat: Chat,
  fileName: string,
  bytes: Buffer,
  o: { parentId?: string } = {},
): Promise<{ messageId: string }> {
  const messageId = fakeIds.messageId();
  const fileKey = `file_v3_${randomBytes(12).toString('hex')}`;
  t.fake.addMessageResource({ messageId, fileKey, bytes, fileName, type: 'file' });
  const event = fileMessage({ ...envelope(t, from, chat, messageId), fileKey, fileName, ...(o.parentId ? { parentId: o.parentId } : {}) });
  await post(t, event);
  return { messageId };
}

/** A person taps a button or submits a form on a card; returns the bot's answer. */
export async function deliverCardAction(
  t: DeliveryTarget,
  operator: string,
  messageId: string,
  input: CardInput,
): Promise<CardAnswer> {
  const stored = t.fake.message(messageId);
  if (!stored) throw new DeliveryError('这条消息已不存在');
  const event = cardActionEvent({
    operatorOpenId: operator,
    openMessageId: messageId,
    openChatId: stored.chatId,
    appId: t.lark.appId,
    token: t.lark.verificationToken,
    createTime: t.fake.now() * 1000,
    ...definedOnly(input),
  });
  return (await post(t, event)) as CardAnswer;
}

/**
 * The sender, chat and app fields of a received message: the same for every message type, and the
 * bot checks them (token, app) exactly as Lark sends them.
 */
function envelope(t: DeliveryTarget, from: string, chat: Chat, messageId: string) {
  return { senderOpenId: from, ...chat, messageId, appId: t.lark.appId, token: t.lark.verificationToken, createTime: t.fake.now() };
}

async function post(t: DeliveryTarget, payload: object): Promise<unknown> {
  t.fake.registerEvent(payload);
  const req = buildSignedRequest(payload, {
    encryptKey: t.lark.encryptKey,
    verificationToken: t.lark.verificationToken,
    timestamp: Math.floor(t.fake.now() / 1000),
  });
  let res: Response;
  try {
    res = await fetch(t.webhookUrl, { method: 'POST', headers: req.headers, body: req.body });
  } catch (err) {
    throw new DeliveryError(`机器人没有响应：${(err as Error).message}`);
  }
  const text = await res.text();
  // Lark treats anything but HTTP 200 as a failed delivery (client error 200671 for callbacks).
  if (res.status !== 200) throw new DeliveryError(`机器人拒绝了请求（HTTP ${res.status}）`);
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new DeliveryError('机器人的应答不是 JSON（飞书客户端错误 200672）');
  }
}

function definedOnly(input: CardInput): CardInput & { value: unknown } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out as CardInput & { value: unknown };
}
