import type { Deps } from '../bot/handlers.js';
import type { UnitOfWork } from '../bot/unit-of-work.js';

export type JobRunContext = {
  deps: Deps;
  /** The slot being run, e.g. '2026-10' for the October bulletin. */
  slot: string;
  /** When the schedule fired (or now, when run by hand). */
  firedAt: Date;
  dryRun: boolean;
  /** Extra options given on the command line (`npm run job -- NAME --period 2026-10`). */
  options: Record<string, string | boolean>;
};


/**
 * A scheduled job. `slotOf` names what a firing is about, so one slot runs once across every bot
 * process on the database and a missed slot is run once after a restart.
 */
export type Job = {
  name: string;
  description: string;
  /** Cron pattern (5 fields, local time in BOT_TIMEZONE); overridable by configuration. */
  cron: string;
  slotOf(firedAt: Date, timezone: string): string;
  /** Slot for a run by hand, from the CLI's options; defaults to the slot of "now". */
  manualSlot?(options: Record<string, string | boolean>, now: Date, timezone: string): string;
  /**
   * Does the work in the transaction that records the run: effects and messages commit with the
   * run marker or not at all. A dry run returns a printable preview and must not write.
   */
  run(ctx: JobRunContext, work: UnitOfWork): Promise<JobResult>;
  /** How far back to look for a missed firing at start, and how long a failed slot is tried again (default 40 days). */
  catchUpWindowMs?: number;
};

export type JobResult = { summary: string; preview?: unknown };
