import type { Tx } from '../db/client.js';
import type { Deps } from './handlers.js';
import { createOutbox, type Outbox } from './outbox/enqueue.js';

/**
 * The context every domain service takes: one transaction, the outbox bound to it (what it sends
 * commits with what it changes) and the app's services (clock, config, log, Lark reads) in `deps`.
 * Handlers' contexts extend it with the operator (`who`) and the event.
 */
export type UnitOfWork = { deps: Deps; tx: Tx; out: Outbox };

/**
 * Runs `fn` in one transaction with an outbox bound to it; after the commit, `onCommitted` wakes the
 * outbox worker so what was enqueued goes out at once. A throw rolls everything back, messages too.
 */
export async function inTransaction<T>(deps: Deps, fn: (work: UnitOfWork) => Promise<T>, onCommitted?: () => void): Promise<T> {
  const result = await deps.db.transaction((tx) => fn({ deps, tx, out: createOutbox(tx, deps.clock) }));
  onCommitted?.();
  return result;
}

/** A savepoint inside a unit of work: a UserError rolls back the handler's writes and messages alone. */
export function inSavepoint<T>(work: UnitOfWork, fn: (work: UnitOfWork) => Promise<T>): Promise<T> {
  return work.tx.transaction((sp) => fn({ deps: work.deps, tx: sp, out: createOutbox(sp, work.deps.clock) }));
}
