import { registry } from './metrics.js';
import Koa from 'koa';
import Router from '@koa/router';
import { sql } from 'drizzle-orm';
import { isDatabaseUnavailable, type Db } from '../db/client.js';
import type { DiskFullWatch } from './disk-full.js';
import { describeError } from './errors.js';
import type { Logger } from './logger.js';

export type ServerOptions = {
  db: Db;
  log: Logger;
  routers: Router[];
  /** True once shutdown began: every request gets 503 (Lark re-delivers events elsewhere or later). */
  isStopping: () => boolean;
  /** Believe X-Forwarded-For (TRUST_PROXY); off, a client cannot choose the IP we log. */
  trustProxy?: boolean;
  /** /healthz answers within this long even when the database hangs (default 2 s). */
  healthTimeoutMs?: number;
  /** While it says the disk is full, webhooks get 503 and /healthz is unhealthy. */
  diskFull?: DiskFullWatch;
};

/** The koa app: webhook routes, /healthz, and an error boundary that never leaks details. */
export function createServer(o: ServerOptions): Koa {
  const app = new Koa();
  app.proxy = o.trustProxy ?? false;
  app.use(async (ctx, next) => {
    if (o.isStopping()) {
      ctx.status = 503;
      ctx.set('Connection', 'close');
      ctx.set('Retry-After', '5');
      ctx.body = { code: 503, msg: 'shutting down' };
      return;
    }
    // Nothing taken can be stored: Lark keeps the event and delivers it again later.
    if (ctx.path.startsWith('/webhook/') && o.diskFull?.isFull()) {
      ctx.status = 503;
      ctx.set('Retry-After', '60');
      ctx.body = { code: 503, msg: 'disk full' };
      return;
    }
    try {
      await next();
    } catch (err) {
      ctx.type = 'application/json';
      if (o.diskFull?.saw(err)) {
        // Logged once by the watch, with what to do; a line per refused event would bury it.
        o.log.debug({ path: ctx.path, reason: describeError(err) }, 'disk full; answered 503');
        ctx.status = 503;
        ctx.set('Retry-After', '60');
        ctx.body = { code: 503, msg: 'disk full' };
        return;
      }
      if (isDatabaseUnavailable(err)) {
        // Lark re-delivers an event it did not get 200 for: nothing is lost while the database is away.
        o.log.warn({ path: ctx.path, reason: describeError(err) }, 'database unavailable; answered 503');
        ctx.status = 503;
        ctx.set('Retry-After', '5');
        ctx.body = { code: 503, msg: 'database unavailable' };
        return;
      }
      o.log.error({ err, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { code: 500, msg: 'internal error' };
    }
  });
  const health = new Router();
  health.get('/healthz', async (ctx) => {
    if (o.diskFull?.isFull()) {
      ctx.status = 503;
      ctx.body = { ok: false, database: 'disk full' };
      return;
    }
    const timeoutMs = o.healthTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    const verdict = await Promise.race([
      o.db.execute(sql`select 1`).then(
        () => 'up' as const,
        (err: unknown) => {
          o.log.warn({ reason: describeError(err) }, 'health check: database down');
          return 'down' as const;
        },
      ),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (verdict === 'up') {
      ctx.body = { ok: true, database: 'up' };
      return;
    }
    ctx.status = 503;
    ctx.body = { ok: false, database: verdict === 'timeout' ? 'not answering' : 'down' };
  });
  health.get('/metrics', async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });
  app.use(health.routes());
  for (const r of o.routers) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
