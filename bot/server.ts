import Koa from 'koa';
import Router from '@koa/router';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Logger } from './logger.js';

/** The koa app: webhook routes, /healthz, and an error boundary that never leaks details. */
export function createServer(o: { db: Db; log: Logger; routers: Router[] }): Koa {
  const app = new Koa();
  app.proxy = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      o.log.error({ err, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.type = 'application/json';
      ctx.body = { code: 500, msg: 'internal error' };
    }
  });
  const health = new Router();
  health.get('/healthz', async (ctx) => {
    try {
      await o.db.execute(sql`select 1`);
      ctx.body = { ok: true, database: 'up' };
    } catch (err) {
      o.log.error({ err }, 'health check: database down');
      ctx.status = 503;
      ctx.body = { ok: false, database: 'down' };
    }
  });
  app.use(health.routes());
  for (const r of o.routers) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
