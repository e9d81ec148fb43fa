/**
 * Changing sent messages: PATCH (card update), PUT (edit), urgent_app (buzz).
 *
 * PATCH rules (Lark's 更新已发送的消息卡片 documentation): interactive only,
 * same sender, not recalled (230011) or deleted (230110), sent within 14 days
 * (230031), ≤30 KB (230025), valid card (230099), `update_multi: true` on old
 * and new card, 5 updates/s per message (230020). Card JSON 2.0 defaults
 * update_multi to true and only allows true (whitelist config notes), so a 2.0
 * card without the flag counts as shared; a 1.0 card must set it explicitly.
 *
 * PUT on a card: https://github.com/larksuite/node-sdk/issues/115 reports 230001 "ext=invalid msg_type." — Lark moved
 * card updates to PATCH. PATCH on a non-card: https://github.com/go-lark/lark/issues/48 reports 230001
 * "ext=This message is NOT a card".
 */
import { CARD_MAX_BYTES } from '../../card-validator.js';
import { fieldError, larkError } from '../lark-error.js';
import type { LarkState } from '../lark-state.js';
import { parseMessageContent } from '../message-content.js';
import { messageData } from '../message-view.js';
import { IM_LIMITS, ok, stringField, type Route } from '../route.js';
import type { StoredMessage } from '../types.js';

export const UPDATE_WINDOW_MS = 14 * 24 * 3600_000;
export const PATCH_LIMIT = { count: 5, windowMs: 1000 } as const;
const URGENT_MAX_USERS = 200;

/** Shared card: 2.0 defaults update_multi to true; 1.0 needs it explicitly. */
export function isSharedCard(card: unknown): boolean {
  if (typeof card !== 'object' || card === null) return false;
  const c = card as { schema?: unknown; config?: { update_multi?: unknown } };
  return c.schema === '2.0' ? c.config?.update_multi !== false : c.config?.update_multi === true;
}

/** Common checks for changing a message the bot sent. */
function ownMessage(state: LarkState, messageId: string, notOwnCode = 230027): StoredMessage {
  const message = state.requireMessage(messageId);
  if (message.deleted) throw larkError(230110);
  if (message.recalled) throw larkError(230011);
  if (message.sender.senderType !== 'app' || message.sender.id !== state.appId) {
    throw larkError(notOwnCode, 'the message was not sent by this app');
  }
  return message;
}

const patchRoute: Route = {
  method: 'PATCH',
  pattern: '/open-apis/im/v1/messages/:message_id',
  name: 'im.message.patch',
  limits: IM_LIMITS,
  body: 'json',
  handle(req, state) {
    const message = ownMessage(state, req.params['message_id'] ?? '');
    if (message.msgType !== 'interactive') throw larkError(230001, 'This message is NOT a card');
    if (req.now - message.createTime > UPDATE_WINDOW_MS) throw larkError(230031);
    const raw = stringField(req.body, 'content');
    if (Buffer.byteLength(raw) > CARD_MAX_BYTES) {
      throw larkError(230025, `card is ${Buffer.byteLength(raw)} bytes; the limit is ${CARD_MAX_BYTES}`);
    }
    const card = parseMessageContent('interactive', raw, state);
    if (!isSharedCard(message.content) || !isSharedCard(card)) {
      throw larkError(230001, 'update_multi must be true in both the sent card and the new card');
    }
    const key = `patch:${message.messageId}`;
    if (state.limiter.waitTime(key, PATCH_LIMIT.count, PATCH_LIMIT.windowMs, req.now) > 0) {
      throw larkError(230020, `more than ${PATCH_LIMIT.count} updates per second to ${message.messageId}`);
    }
    state.limiter.record(key, req.now);
    state.changeContent(message, 'patch', raw, card);
    return ok({}, 'ok');
  },
};

/** PUT edits text and post messages; cards must use PATCH. */
const editRoute: Route = {
  method: 'PUT',
  pattern: '/open-apis/im/v1/messages/:message_id',
  name: 'im.message.update',
  limits: IM_LIMITS,
  body: 'json',
  handle(req, state) {
    const message = ownMessage(state, req.params['message_id'] ?? '');
    const msgType = stringField(req.body, 'msg_type');
    const raw = stringField(req.body, 'content');
    if (msgType === 'interactive' || message.msgType === 'interactive') throw larkError(230001, 'invalid msg_type.');
    if (msgType !== 'text' && msgType !== 'post') throw larkError(230001, 'invalid msg_type.');
    if (msgType !== message.msgType) throw larkError(230001, 'msg_type must match the original message');
    const content = parseMessageContent(msgType, raw, state);
    state.changeContent(message, 'edit', raw, content);
    return ok(messageData(message, state));
  },
};

const urgentRoute: Route = {
  method: 'PATCH',
  pattern: '/open-apis/im/v1/messages/:message_id/urgent_app',
  name: 'im.message.urgent_app',
  limits: IM_LIMITS,
  body: 'json',
  handle(req, state) {
    const userIdType = req.query.get('user_id_type');
    if (!userIdType || !['open_id', 'union_id', 'user_id'].includes(userIdType)) {
      throw fieldError('user_id_type', 'user_id_type must be open_id, union_id or user_id');
    }
    const list = req.body['user_id_list'];
    if (!Array.isArray(list) || list.length === 0 || !list.every((id) => typeof id === 'string')) {
      throw fieldError('user_id_list', 'user_id_list must be a non-empty array of strings');
    }
    if (list.length > URGENT_MAX_USERS) throw fieldError('user_id_list', `at most ${URGENT_MAX_USERS} ids`);
    const message = ownMessage(state, req.params['message_id'] ?? '', 230012);

    const invalid = (list as string[]).filter((id) => !isChatMember(state, message, userIdType, id));
    if (invalid.length === list.length) throw larkError(230001, 'no user in user_id_list is in the chat');
    const record = {
      messageId: message.messageId,
      userIdType,
      userIds: list as string[],
      invalidUserIds: invalid,
      at: req.now,
    };
    state.urgents.push(record);
    state.events.emit('urgent', record);
    return ok({ invalid_user_id_list: invalid });
  },
};

/** Buzz targets must be in the message's chat; unknown membership accepts any registered-looking id. */
function isChatMember(state: LarkState, message: StoredMessage, idType: string, id: string): boolean {
  const openId = state.findUser(idType, id)?.openId ?? (idType === 'open_id' ? id : undefined);
  if (!openId) return false;
  const members = state.chat(message.chatId)?.members;
  if (members) return members.includes(openId);
  return openId.startsWith('ou_');
}

export const messageUpdateRoutes: Route[] = [patchRoute, editRoute, urgentRoute];
