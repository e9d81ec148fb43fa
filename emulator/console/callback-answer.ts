import { CARD_MAX_BYTES, validateCard } from '../card-validator.js';
import type { CardAnswer } from './deliver.js';

export type ClientToast = { type: 'info' | 'success' | 'error' | 'warning'; content: string };

/**
 * What the Lark client does with a callback's answer: shows
 * the toast and swaps in `card: {type: "raw", data}`. An answer the client could not use shows the
 * client's error instead, so a mistake surfaces here and not first in a real tenant.
 */
export function interpretAnswer(answer: CardAnswer): { toast?: ClientToast; card?: unknown } {
  const out: { toast?: ClientToast; card?: unknown } = {};
  if (answer.toast && typeof answer.toast.content === 'string') {
    const type = answer.toast.type;
    out.toast = { type: type === 'success' || type === 'error' || type === 'warning' ? type : 'info', content: answer.toast.content };
  }
  if (answer.card === undefined) return out;
  const card = answer.card as { type?: unknown; data?: unknown };
  if (card.type !== 'raw' || typeof card.data !== 'object' || card.data === null) {
    return { toast: { type: 'error', content: '卡片回调应答有误：card 应为 {"type":"raw","data":卡片}（飞书客户端错误 200672）' } };
  }
  if (Buffer.byteLength(JSON.stringify(card.data)) > CARD_MAX_BYTES) {
    return { toast: { type: 'error', content: '回调返回的卡片超过 30 KB，飞书不会更新卡片（200673）' } };
  }
  const checked = validateCard(card.data);
  if (!checked.ok) {
    return { toast: { type: 'error', content: `回调返回的卡片无效（200673）：${checked.msg}` } };
  }
  if ((card.data as { schema?: unknown }).schema !== '2.0') {
    return { toast: { type: 'error', content: '2.0 卡片只能更新为 2.0 卡片（200830）' } };
  }
  out.card = card.data;
  return out;
}
