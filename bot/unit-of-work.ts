import { drawNotice } from '../cards/notices.js';
import type { Tx } from '../db/client.js';
import type { Notice } from '../domain/notices.js';
import type { Deps } from './handlers.js';
import { createOutbox, type Outbox, type Outgoing, type Recipient, type TrackedCard } from './outbox/enqueue.js';

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
  /** notify for several notices at once, in two statements at most; each card's message id, in order. */
  notifyAll(list: Notification[]): Promise<(number | undefined)[]>;
  /** Redraws every tracked copy of each card with its notice as it reads now. */
  redraw(cards: { track: TrackedCard; notice: Notice }[], exceptMessageId?: string): Promise<void>;
};

/** A notice for someone, as notify takes it. */
export type Notification = { to: Recipient; notice: Notice; track?: TrackedCard };

/** The unit of work over a transaction that is already open. */
export function unitOfWork(deps: Deps, tx: Tx): UnitOfWork {
  const out = createOutbox(tx, deps.clock);
  const timezone = deps.config.timezone;
  async function notifyAll(list: Notification[]) {
    // Where each notice's first message (the card, if it draws one) sits among all the messages.
    const firsts: number[] = [];
    const outgoing: Outgoing[] = [];
    for (const { to, notice, track } of list) {
      const [first, ...texts] = drawNotice(notice, timezone);
      firsts.push(outgoing.length);
      outgoing.push({ to, content: first!, track: typeof first === 'string' ? undefined : track }, ...texts.map((t) => ({ to, content: t })));
    }
    const ids = await out.sendMany(outgoing);
    return firsts.map((i) => ids[i]);
  }
  return {
    deps,
    tx,
    out,
    async notify(to, notice, track) {
      return (await notifyAll([{ to, notice, track }]))[0];
    },
    notifyAll,
    async redraw(cards, exceptMessageId) {
      const draw = (notice: Notice) => () => {
        const [first] = drawNotice(notice, timezone);
        if (typeof first === 'string') throw new Error(`notice ${notice.kind} is a text and cannot redraw a card`);
        return first;
      };
      await out.patchTracked(cards.map(({ track, notice }) => ({ track, draw: draw(notice) })), exceptMessageId);
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
