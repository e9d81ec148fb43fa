import type { CardResponse } from '../handlers.js';

/**
 * Lark's wire format for a card callback answer: the toast as is, and a replacement card wrapped as
 * `{ type: 'raw', data }`. An empty object keeps the card unchanged.
 */
export function toCallbackBody(r: CardResponse): Record<string, unknown> {
  return {
    ...(r.toast ? { toast: r.toast } : {}),
    ...(r.card ? { card: { type: 'raw', data: r.card } } : {}),
  };
}
