import { and, eq } from 'drizzle-orm';
import { jobRuns } from '../db/schema/index.js';
import { inTransaction } from '../bot/unit-of-work.js';
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
    await inTransaction(deps, async (work) => {
      result = await job.run(ctx, work);
      throw new DryRunRollback();
    }).catch((err) => {
      if (!(err instanceof DryRunRollback)) throw err;
    });
    return { ran: true, result: result! };
  }
  return inTransaction(deps, async (work): Promise<RunOutcome> => {
    const { tx } = work;
    const slotKey = opts.force ? `${slot}#manual-${deps.clock.now().toISOString()}` : slot;
    const inserted = await tx
      .insert(jobRuns)
      .values({ job: job.name, slot: slotKey, startedAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning({ id: jobRuns.id });
    if (inserted.length === 0) return { ran: false, reason: 'already-ran' };
    const result = await job.run(ctx, work);
    await tx
      .update(jobRuns)
      .set({ finishedAt: deps.clock.now(), outcome: result.summary })
      .where(and(eq(jobRuns.id, inserted[0]!.id)));
    return { ran: true, result };
  });
}

class DryRunRollback extends Error {}

