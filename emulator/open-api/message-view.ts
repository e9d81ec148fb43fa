/**
 * The `data` object send/reply/edit return for a message (send-message doc,
 * "响应体"): ids, ms-string times, sender as the app, `body.content` and
 * `mentions`. For text, Lark returns mentions as `@_user_N` placeholders, so
 * `<at user_id="ou_x">Name</at>` is rewritten the same way here.
 */
import type { LarkState } from './lark-state.js';
import type { StoredMessage } from './types.js';

interface Mention {
  key: string;
  id: string;
  id_type: 'open_id';
  name: string;
  tenant_key: string;
}

const AT_TAG = /<at\s+user_id="([^"]+)"\s*>([^<]*)<\/at>/g;

function renderText(raw: string, tenantKey: string): { content: string; mentions: Mention[] } {
  let parsed: { text?: unknown };
  try {
    parsed = JSON.parse(raw) as { text?: unknown };
  } catch {
    return { content: raw, mentions: [] };
  }
  if (typeof parsed.text !== 'string') return { content: raw, mentions: [] };
  const mentions: Mention[] = [];
  const text = parsed.text.replace(AT_TAG, (_all, id: string, name: string) => {
    if (id === 'all') return '@_all';
    const key = `@_user_${mentions.length + 1}`;
    mentions.push({ key, id, id_type: 'open_id', name, tenant_key: tenantKey });
    return key;
  });
  return { content: JSON.stringify({ ...parsed, text }), mentions };
}

export function messageData(message: StoredMessage, state: LarkState): Record<string, unknown> {
  const rendered =
    message.msgType === 'text' ? renderText(message.raw, state.tenantKey) : { content: message.raw, mentions: [] };
  const data: Record<string, unknown> = {
    message_id: message.messageId,
    msg_type: message.msgType,
    create_time: String(message.createTime),
    update_time: String(message.updateTime),
    deleted: message.deleted,
    updated: message.history.length > 0,
    chat_id: message.chatId,
    sender: {
      id: message.sender.id,
      id_type: message.sender.idType,
      sender_type: message.sender.senderType,
      tenant_key: state.tenantKey,
    },
    body: { content: rendered.content },
  };
  if (message.rootId) data['root_id'] = message.rootId;
  if (message.parentId) data['parent_id'] = message.parentId;
  if (message.threadId) data['thread_id'] = message.threadId;
  if (rendered.mentions.length) data['mentions'] = rendered.mentions;
  return data;
}
