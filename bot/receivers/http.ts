import Router from '@koa/router';
import type { Context } from 'koa';
import type { LarkConfig } from '../config.js';
import type { Dispatcher } from '../dispatcher.js';
import { MalformedEventError, normalizeEvent, type CardActionEvent } from '../events.js';
import type { CardResponse } from '../handlers.js';
import type { Logger } from '../logger.js';
import { toCallbackBody } from './callback-body.js';
import { verifyLarkRequest } from './verify.js';
import { readRaw } from './raw-body.js';

export type HttpReceiverOptions = {
  lark: Pick<LarkConfig, 'encryptKey' | 'verificationToken'>;
  dispatcher: Dispatcher;
  log: Logger;
  now: () => number;
  /** Lark gives a card callback 3 s; answer before that even if the handler is still working. */
  cardDeadlineMs?: number;
  /** What to do with a card result that missed the deadline (patch the card through the outbox). */
  onLateCard?: (event: CardActionEvent, response: CardResponse) => Promise<void>;
  /** Largest body accepted; Lark events are a few KB. */
  maxBodyBytes?: number;
};

/**
 * POST /webhook/event takes events and card callbacks (Lark lets both share one URL);
 * /webhook/card is the same endpoint for deployments with a separate callback URL.
 * The receiver only verifies, parses and acknowledges: handling happens in the dispatcher.
 */
export function createWebhookRouter(o: HttpReceiverOptions): Router {
  const router = new Router();
  const handler = async (ctx: Context) => {
    // Lark posts JSON; anything that says otherwise is not from Lark (no body is read).
    if (ctx.get('content-type') && !ctx.is('json')) {
      ctx.set('Connection', 'close');
      ctx.status = 415;
      ctx.body = { code: 415, msg: 'content type must be application/json' };
      return;
    }
    const raw = await readRaw(ctx, o.maxBodyBytes ?? 1024 * 1024);
    if (!raw) {
      ctx.status = 413;
      ctx.body = { code: 413, msg: 'body too large' };
      return;
    }
    const verified = verifyLarkRequest(raw, ctx.headers, { ...o.lark, nowMs: o.now() });
    if (!verified.ok) {
      // Never log the body: it may be a draft.
      o.log.warn({ reason: verified.reason, path: ctx.path, ip: ctx.ip }, 'webhook request rejected');
      ctx.status = 401;
      ctx.body = { code: 401, msg: 'unauthorized' };
      return;
    }
    let event;
    try {
      event = normalizeEvent(verified.payload);
    } catch (err) {
      if (!(err instanceof MalformedEventError)) throw err;
      o.log.warn({ reason: err.message }, 'malformed event');
      ctx.status = 400;
      ctx.body = { code: 400, msg: 'malformed event' };
      return;
    }
    ctx.type = 'application/json';
    if (event.kind === 'url_verification') {
      ctx.body = { challenge: event.challenge };
      return;
    }
    if (event.kind === 'card_action') {
      ctx.body = toCallbackBody(await answerCardInTime(event));
      return;
    }
    const result = await o.dispatcher.ingest(event);
    o.log.debug({ key: 'key' in event ? event.key : undefined, result }, 'event acknowledged');
    // Lark wants HTTP 200 with a body; an empty koa body would answer 204.
    ctx.body = {};
  };

  async function answerCardInTime(event: CardActionEvent): Promise<CardResponse> {
    const work = o.dispatcher.handleCardAction(event);
    let timer: NodeJS.Timeout | undefined;
    const late = Symbol('late');
    const first = await Promise.race([
      work,
      new Promise<typeof late>((resolve) => {
        timer = setTimeout(() => resolve(late), o.cardDeadlineMs ?? 2500);
      }),
    ]);
    clearTimeout(timer);
    if (first !== late) return first;
    o.log.warn({ key: event.key }, 'card action missed the deadline; answering early');
    void work.then((response) => (response.card ? o.onLateCard?.(event, response) : undefined)).catch((err) => {
      o.log.error({ err }, 'late card update failed');
    });
    return { toast: { type: 'info', content: '已收到，正在处理，卡片稍后更新。' } };
  }

  router.post('/webhook/event', handler);
  router.post('/webhook/card', handler);
  return router;
}
