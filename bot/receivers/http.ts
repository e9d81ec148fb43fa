import Router from '@koa/router';
import type { Context } from 'koa';
import type { LarkConfig } from '../config.js';
import type { Dispatcher } from '../dispatcher.js';
import { MalformedEventError, normalizeEvent } from '../events.js';
import type { CardAnswerer } from './card-deadline.js';
import type { Logger } from '../logger.js';
import { toCallbackBody } from './callback-body.js';
import { verifyLarkRequest } from './verify.js';
import { readRaw } from './raw-body.js';

export type HttpReceiverOptions = {
  lark: Pick<LarkConfig, 'encryptKey' | 'verificationToken'>;
  dispatcher: Dispatcher;
  log: Logger;
  now: () => number;
  /** Answers card callbacks within Lark's 3 s (createCardAnswerer). */
  answerCard: CardAnswerer;
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
      ctx.body = toCallbackBody(await o.answerCard(event));
      return;
    }
    const result = await o.dispatcher.ingest(event);
    o.log.debug({ key: 'key' in event ? event.key : undefined, result }, 'event acknowledged');
    // Lark wants HTTP 200 with a body; an empty koa body would answer 204.
    ctx.body = {};
  };

  router.post('/webhook/event', handler);
  router.post('/webhook/card', handler);
  return router;
}
