import type { MenuEvent, MessageEvent } from './events.js';

/**
 * The bot menu's event keys (set in the developer console, 机器人自定义菜单 → 推送事件) and the
 * command each one runs. A key not listed here shows the help card.
 */
export const MENU_COMMANDS: Readonly<Record<string, string>> = {
  guide: '投稿说明',
  my_drafts: '我的稿件',
  pending: '待审',
  topics: '选题',
  ranking: '排行',
  help: '帮助',
};

/**
 * A menu tap as the private-chat message it stands for: the command then runs exactly as if typed,
 * with the same permission checks. Keyed apart from messages so a re-pushed event is handled once.
 */
export function menuAsMessage(e: MenuEvent): MessageEvent {
  return {
    kind: 'message',
    key: `menu:${e.eventId}`,
    eventId: e.eventId,
    messageId: '',
    chatId: '',
    chatType: 'p2p',
    senderOpenId: e.operatorOpenId,
    senderType: 'user',
    messageType: 'text',
    content: { text: MENU_COMMANDS[e.eventKey] ?? '帮助' },
    mentions: [],
    createTime: e.at,
    parentId: undefined,
    rootId: undefined,
  };
}
