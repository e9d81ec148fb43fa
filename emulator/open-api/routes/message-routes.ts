/**
 * Sending and replying (Lark's 发送消息 / 回复消息 documentation).
 *
 * Order of checks, per request: gateway limits and auth (server) → request
 * fields → uuid idempotency → receiver → content → per-receiver rate → store.
 * A uuid hit returns the first message without sending anything, so it does not
 * count toward the per-receiver limit; refused requests do not count either.
 */
import { randomBytes } from 'node:crypto';
import { fieldError, larkError } from '../lark-error.js';
import type { LarkState } from '../lark-state.js';
import { parseMessageContent } from '../message-content.js';
import { messageData } from '../message-view.js';
import { IM_LIMITS, ok, stringField, type Route, type RouteRequest } from '../route.js';
import type { ChatType } from '../types.js';

const RECEIVE_ID_TYPES: ReadonlySet<string> = new Set(['open_id', 'union_id', 'user_id', 'email', 'chat_id']);

/** "5 QPS per user, 5 QPS per group shared by all bots" (send-message doc). */
export const RECEIVER_LIMIT = { count: 5, windowMs: 1000 } as const;

const UUID_MAX_CHARS = 50;

interface Target {
  chatId: string;
  chatType: ChatType;
  p2pUserOpenId?: string;
}

function optionalUuid(body: Record<string, unknown>): string | undefined {
  const uuid = body['uuid'];
  if (uuid === undefined || uuid === '') return undefined;
  if (typeof uuid !== 'string' || uuid.length > UUID_MAX_CHARS) {
    throw fieldError('uuid', `uuid must be a string of at most ${UUID_MAX_CHARS} characters`);
  }
  return uuid;
}

/** Where a send lands: a group chat, or the bot's p2p chat with a user. */
function resolveTarget(state: LarkState, idType: string, id: string): Target {
  if (idType === 'chat_id') {
    const chat = state.chatOrAutoCreate(id);
    if (!chat) throw larkError(230002, `unknown chat ${id} (emulator: register it with addChat)`);
    if (chat.dissolved) throw larkError(232009);
    if (chat.botIsMember === false) throw larkError(230002);
    const p2pUser = chat.chatType === 'p2p' ? chat.members?.[0] : undefined;
    if (p2pUser && state.user(p2pUser)?.available === false) throw larkError(230013);
    return p2pUser ? { chatId: chat.chatId, chatType: chat.chatType, p2pUserOpenId: p2pUser } : { chatId: chat.chatId, chatType: chat.chatType };
  }
  const user = state.findUser(idType, id);
  let openId = user?.openId;
  if (!openId && idType === 'open_id' && id.startsWith('ou_') && state.autoCreateChats) openId = id;
  if (!openId) throw larkError(230034, `no user with ${idType} ${id} (emulator: register it with addUser)`);
  if (user?.available === false) throw larkError(230013);
  return { chatId: state.p2pChatIdFor(openId), chatType: 'p2p', p2pUserOpenId: openId };
}

function checkReceiverRate(state: LarkState, chatId: string, now: number): void {
  const wait = state.limiter.waitTime(`receiver:${chatId}`, RECEIVER_LIMIT.count, RECEIVER_LIMIT.windowMs, now);
  if (wait > 0) throw larkError(230020, `more than ${RECEIVER_LIMIT.count} messages per second to ${chatId}`);
}

function appSender(state: LarkState) {
  return { id: state.appId, idType: 'app_id' as const, senderType: 'app' as const };
}

const createRoute: Route = {
  method: 'POST',
  pattern: '/open-apis/im/v1/messages',
  name: 'im.message.create',
  limits: IM_LIMITS,
  body: 'json',
  handle(req: RouteRequest, state) {
    const idType = req.query.get('receive_id_type') ?? '';
    if (!RECEIVE_ID_TYPES.has(idType)) {
      throw fieldError('receive_id_type', 'receive_id_type must be one of open_id, union_id, user_id, email, chat_id');
    }
    const receiveId = stringField(req.body, 'receive_id');
    const msgType = stringField(req.body, 'msg_type');
    const raw = stringField(req.body, 'content');
    const uuid = optionalUuid(req.body);
    const prior = uuid ? state.messageForUuid(uuid) : undefined;
    if (prior) return ok(messageData(prior, state));

    const target = resolveTarget(state, idType, receiveId);
    const content = parseMessageContent(msgType, raw, state);
    checkReceiverRate(state, target.chatId, req.now);
    state.limiter.record(`receiver:${target.chatId}`, req.now);
    const message = state.storeMessage({
      ...target,
      receiveIdType: idType,
      receiveId,
      msgType,
      content,
      raw,
      sender: appSender(state),
      ...(uuid ? { uuid } : {}),
    });
    return ok(messageData(message, state));
  },
};

const replyRoute: Route = {
  method: 'POST',
  pattern: '/open-apis/im/v1/messages/:message_id/reply',
  name: 'im.message.reply',
  limits: IM_LIMITS,
  body: 'json',
  handle(req, state) {
    const msgType = stringField(req.body, 'msg_type');
    const raw = stringField(req.body, 'content');
    const inThread = req.body['reply_in_thread'];
    if (inThread !== undefined && typeof inThread !== 'boolean') {
      throw fieldError('reply_in_thread', 'reply_in_thread must be a boolean');
    }
    const uuid = optionalUuid(req.body);
    const prior = uuid ? state.messageForUuid(uuid) : undefined;
    if (prior) return ok(messageData(prior, state));

    const parent = state.requireMessage(req.params['message_id'] ?? '');
    if (parent.deleted) throw larkError(230110);
    if (parent.recalled) throw larkError(230011);
    const chat = state.chat(parent.chatId);
    if (chat?.dissolved) throw larkError(232009);
    if (chat?.botIsMember === false) throw larkError(230002);

    const content = parseMessageContent(msgType, raw, state);
    checkReceiverRate(state, parent.chatId, req.now);
    state.limiter.record(`receiver:${parent.chatId}`, req.now);

    // A reply to a message already in a thread stays in it (回复消息 doc).
    const threadId = parent.threadId ?? (inThread ? `omt_${randomBytes(6).toString('hex')}` : undefined);
    if (threadId && !parent.threadId) parent.threadId = threadId;
    const message = state.storeMessage({
      chatId: parent.chatId,
      chatType: parent.chatType,
      receiveIdType: 'message_id',
      receiveId: parent.messageId,
      ...(parent.p2pUserOpenId ? { p2pUserOpenId: parent.p2pUserOpenId } : {}),
      msgType,
      content,
      raw,
      sender: appSender(state),
      parentId: parent.messageId,
      rootId: parent.rootId ?? parent.messageId,
      ...(threadId ? { threadId } : {}),
      ...(uuid ? { uuid } : {}),
    });
    return ok(messageData(message, state));
  },
};

export const messageRoutes: Route[] = [createRoute, replyRoute];
