import type { Deps } from '../../bot/handlers.js';
import type { Outbox } from '../../bot/outbox/enqueue.js';
import type { Tx } from '../../db/client.js';

/** What the topic domain functions need from a handler's context. */
export function syncOf(ctx: { tx: Tx; out: Outbox; deps: Deps }) {
  return { tx: ctx.tx, out: ctx.out, now: ctx.deps.clock.now(), timezone: ctx.deps.config.timezone };
}
