import { metrics } from '../../bot/metrics.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../bot/logger.js';
import { PollingWorker } from '../../bot/polling-worker.js';
import { refreshScoreLedger } from './ledger.js';

/**
 * Re-prices the score ledger soon after a fact changes (kicked after each handled event and job,
 * polled in case another process made the change), so that the next 排行 or 积分 finds it up to date
 * instead of paying for the re-pricing itself. Readers still refresh first: this only moves the work.
 */
export class ScoreLedgerWorker extends PollingWorker {
  constructor(private readonly o: { db: Db; timezone: string; log: Logger; pollMs?: number; reported?: (err: unknown) => boolean }) {
    // Kicked after every commit: while events pour in, one look a second is enough (readers refresh first anyway).
    super('score-ledger', o.pollMs ?? 60_000, o.log, undefined, o.reported, 1000);
  }

  override async tick(): Promise<number> {
    const timer = metrics.ledgerRefreshSeconds.startTimer();
    const result = await refreshScoreLedger(this.o.db, this.o.timezone);
    if (result.refreshed) timer();
    if (result.refreshed) this.o.log.debug({ from: result.from, quarters: result.quarters, events: result.events }, 'score ledger refreshed');
    // Nothing queues up behind a refresh: sleep until the next kick or poll.
    return 0;
  }
}
