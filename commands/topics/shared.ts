import { PermissionError } from '../../bot/errors.js';
import type { Deps } from '../../bot/handlers.js';
import type { Outbox } from '../../bot/outbox/enqueue.js';
import type { Tx } from '../../db/client.js';
import type { Who } from '../../db/queries/roster.js';

/** Topics are the research office's tool: every create/extend/close re-checks the role in the roster. */
export function requireEditor(who: Who, what: string): void {
  if (!who.editor) throw new PermissionError(`只有研究室可以${what}。`);
}

/** What the topic domain functions need from a handler's context. */
export function syncOf(ctx: { tx: Tx; out: Outbox; deps: Deps }) {
  return { tx: ctx.tx, out: ctx.out, now: ctx.deps.clock.now(), timezone: ctx.deps.config.timezone };
}
