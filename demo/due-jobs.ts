import cron, { type ScheduledTask } from 'node-cron';
import { lastFiring } from '../jobs/scheduler.js';
import type { Job } from '../jobs/types.js';

/**
 * Which minutes to tick so every job fires as it would have between two moments of the demo clock:
 * the latest firing of each job in the time that passed, as the scheduler's catch-up does after a
 * pause.
 */
export class DueJobs {
  private readonly matchers: { job: Job; matcher: ScheduledTask }[];

  constructor(
    jobs: Job[],
    private readonly timezone: string,
    patterns: Record<string, string> = {},
  ) {
    this.matchers = jobs.map((job) => ({
      job,
      // A task never started: only its timezone-aware matcher is used.
      matcher: cron.createTask(patterns[job.name] ?? job.cron, () => {}, { timezone, name: `demo:${job.name}` }),
    }));
  }

  /** Minutes in (from, to] at which some job last fired, oldest first. */
  minutesBetween(from: Date, to: Date): Date[] {
    const end = Math.floor(to.getTime() / 60_000) * 60_000;
    const start = Math.floor(from.getTime() / 60_000) * 60_000;
    const minutes = new Set<number>();
    if (end <= start) return [];
    for (const { matcher } of this.matchers) {
      // The window's first minute is the one after `from`'s.
      const t = lastFiring(matcher, to, end - start - 60_000, this.timezone);
      if (t) minutes.add(t.getTime());
    }
    return [...minutes].sort((a, b) => a - b).map((t) => new Date(t));
  }

  async stop() {
    for (const { matcher } of this.matchers) await matcher.destroy();
  }
}
