import { and, eq } from 'drizzle-orm';
import { jobRuns } from '../db/schema/index.js';
import { createOutbox } from '../bot/outbox/enqueue.js';
import type { Deps } from '../bot/handlers.js';
import type { Job, JobResult } from './types.js';

export type RunOutcome = { ran: true; result: JobResult } | { ran: false; reason: 'already-ran' };

/**
 * Runs one slot of a job at most once: the job_runs row is inserted in the same transaction as the
 * job's effects, and its unique (job, slot) key makes a concurrent or repeated run a no-op.
 */
export async function runJobSlot(
  deps: Deps,
  job: Job,
  slot: string,
  opts: { firedAt: Date; dryRun?: boolean; force?: boolean; options?: Record<string, string | boolean> },
): Promise<RunOutcome> {
  const ctx = { deps, slot, firedAt: opts.firedAt, dryRun: Boolean(opts.dryRun), options: opts.options ?? {} };
  if (opts.dryRun) {
    // A dry run writes nothing: its transaction is always rolled back.
    let result: JobResult | undefined;
    await deps.db
      .transaction(async (tx) => {
        result = await job.run(ctx, { tx, out: createOutbox(tx, deps.clock) });
        throw new DryRunRollback();
      })
      .catch((err) => {
        if (!(err instanceof DryRunRollback)) throw err;
      });
    return { ran: true, result: result! };
  }
  const outcome = await deps.db.transaction(async (tx): Promise<RunOutcome> => {
    const slotKey = opts.force ? `${slot}#manual-${deps.clock.now().toISOString()}` : slot;
    const inserted = await tx
      .insert(jobRuns)
      .values({ job: job.name, slot: slotKey, startedAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning({ id: jobRuns.id });
    if (inserted.length === 0) return { ran: false, reason: 'already-ran' };
    const result = await job.run(ctx, { tx, out: createOutbox(tx, deps.clock) });
    await tx
      .update(jobRuns)
      .set({ finishedAt: deps.clock.now(), outcome: result.summary })
      .where(and(eq(jobRuns.id, inserted[0]!.id)));
    return { ran: true, result };
  });
  return outcome;
}

class DryRunRollback extends Error {}

