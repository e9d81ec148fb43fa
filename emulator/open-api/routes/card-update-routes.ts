/**
 * Delayed card update: POST /open-apis/interactive/v1/card/update {token, card}
 * (Lark's 延时更新消息卡片 documentation).
 *
 * The token comes from a card callback (`event.token`, `c-…`): valid 30 min,
 * usable twice. Codes: 300020 bad token format, 300030 expired, 300040 used up,
 * 10002 bad `card` parameter, 11311 card does not meet requirements, 200000
 * recalled, 200310 another app's card. The doc has no HTTP-status column; this
 * legacy API is assumed to answer HTTP 200 with a non-zero code (unverified).
 * An unknown but well-formed token is treated as expired. The 30 KB size cap is
 * documented, its error code is not (11311 assumed).
 */
import { CARD_MAX_BYTES, validateCard } from '../../card-validator.js';
import type { Route, RouteResponse } from '../route.js';

export const CARD_TOKEN_TTL_MS = 30 * 60_000;
export const CARD_TOKEN_MAX_USES = 2;

function fail(code: number, msg: string): RouteResponse {
  return { status: 200, json: { code, msg } };
}

const delayedUpdateRoute: Route = {
  method: 'POST',
  pattern: '/open-apis/interactive/v1/card/update',
  name: 'interactive.card.update',
  limits: { perSecond: 50, perMinute: 1000 },
  body: 'json',
  handle(req, state) {
    const token = req.body['token'];
    if (typeof token !== 'string' || !token.startsWith('c-')) return fail(300020, 'token format is invalid');
    const record = state.cardToken(token);
    if (!record || req.now - record.issuedAt > CARD_TOKEN_TTL_MS) return fail(300030, 'token is expired');
    if (record.uses >= CARD_TOKEN_MAX_USES) return fail(300040, `token has been used ${CARD_TOKEN_MAX_USES} times`);

    const card = req.body['card'];
    if (typeof card !== 'object' || card === null || Array.isArray(card)) return fail(10002, 'card must be an object');
    const raw = JSON.stringify(card);
    if (Buffer.byteLength(raw) > CARD_MAX_BYTES) return fail(11311, `card exceeds ${CARD_MAX_BYTES} bytes`);
    const result = validateCard(card);
    if (!result.ok) return fail(11311, `card is invalid: ErrCode: ${result.subCode}; ${result.msg}`);

    const message = state.message(record.messageId);
    if (!message || message.recalled || message.deleted) return fail(200000, 'the card message has been recalled');
    if (message.sender.id !== state.appId) return fail(200310, 'cannot update a card sent by another app');

    record.uses += 1;
    state.changeContent(message, 'delayed_update', raw, card);
    return { status: 200, json: { code: 0, msg: 'ok' } };
  },
};

export const cardUpdateRoutes: Route[] = [delayedUpdateRoute];
