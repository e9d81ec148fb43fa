import type { Dispatcher } from '../dispatcher.js';
import type { CardActionEvent } from '../events.js';
import type { CardResponse } from '../handlers.js';
import type { Logger } from '../logger.js';

export type CardAnswererOptions = {
  dispatcher: Pick<Dispatcher, 'handleCardAction'>;
  log: Logger;
  /** Lark gives a card callback 3 s (webhook and long connection alike); answer before that. */
  deadlineMs?: number;
  /** What to do with a card result that missed the deadline (patch the card through the outbox). */
  onLateCard?: (event: CardActionEvent, response: CardResponse) => Promise<void>;
};

export type CardAnswerer = (event: CardActionEvent) => Promise<CardResponse>;

export const LATE_CARD_TOAST = '已收到，正在处理，卡片稍后更新。';

/**
 * Runs a card action and answers within the deadline even if the handler is still working: the
 * user gets a "still working" toast and the card is updated when the result is in. Both receivers
 * (webhook and long connection) answer through this.
 */
export function createCardAnswerer(o: CardAnswererOptions): CardAnswerer {
  return async (event) => {
    const work = o.dispatcher.handleCardAction(event);
    let timer: NodeJS.Timeout | undefined;
    const late = Symbol('late');
    const first = await Promise.race([
      work,
      new Promise<typeof late>((resolve) => {
        timer = setTimeout(() => resolve(late), o.deadlineMs ?? 2500);
      }),
    ]);
    clearTimeout(timer);
    if (first !== late) return first;
    o.log.warn({ key: event.key }, 'card action missed the deadline; answering early');
    void work.then((response) => (response.card ? o.onLateCard?.(event, response) : undefined)).catch((err) => {
      o.log.error({ err }, 'late card update failed');
    });
    return { toast: { type: 'info', content: LATE_CARD_TOAST } };
  };
}
