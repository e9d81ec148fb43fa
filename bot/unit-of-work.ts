import { drawNotice } from '../cards/notices.js';
import type { Tx } from '../db/client.js';
import type { Notice } from '../domain/notices.js';
import type { Deps } from './handlers.js';
import { createOutbox, type Outbox, type Recipient, type TrackedCard } from './outbox/enqueue.js';

/**
 * The context every domain service takes: one transaction, the outbox bound to it (what it sends
 * commits with what it changes) and the app's services (clock, config, log, Lark reads) in `deps`.
 * Handlers' contexts extend it with the operator (`who`) and the event.
 */
export type UnitOfWork = {
  deps: Deps;
  tx: Tx;
  out: Outbox;
  /** Tells `to` what happened: the notice is drawn (cards/notices.ts) and sent through the outbox. */
  notify(to: Recipient, notice: Notice, track?: TrackedCard): Promise<number | undefined>;
  /** Redraws every tracked copy of a card with the notice as it reads now. */
  redraw(track: TrackedCard, notice: Notice, exceptMessageId?: string): Promise<void>;
};

/** The unit of work over a transaction that is already open. */
export function unitOfWork(deps: Deps, tx: Tx): UnitOfWork {
  const out = createOutbox(tx, deps.clock);
  const timezone = deps.config.timezone;
  return {
    deps,
    tx,
    out,
    async notify(to, notice, track) {
      const [first, ...texts] = drawNotice(notice, timezone);
      let id: number | undefined;
      if (typeof first === 'string') await out.sendText(to, first);
      else id = await out.sendCard(to, first, track);
      for (const t of texts) await out.sendText(to, t);
      return id;
    },
    async redraw(track, notice, exceptMessageId) {
      const [first] = drawNotice(notice, timezone);
      if (typeof first === 'string') throw new Error(`notice ${notice.kind} is a text and cannot redraw a card`);
      await out.patchTracked(track, first, exceptMessageId);
    },
  };
}

/**
 * Runs `fn` in one transaction with an outbox bound to it; after the commit, `onCommitted` wakes the
 * outbox worker so what was enqueued goes out at once. A throw rolls everything back, messages too.
 */
export async function inTransaction<T>(deps: Deps, fn: (work: UnitOfWork) => Promise<T>, onCommitted?: () => void): Promise<T> {
  const result = await deps.db.transaction((tx) => fn(unitOfWork(deps, tx)));
  onCommitted?.();
  return result;
}

/** A savepoint inside a unit of work: a UserError rolls back the handler's writes and messages alone. */
export function inSavepoint<T>(work: UnitOfWork, fn: (work: UnitOfWork) => Promise<T>): Promise<T> {
  return work.tx.transaction((sp) => fn(unitOfWork(work.deps, sp)));
}
