import cron, { type ScheduledTask } from 'node-cron';
import type { Job } from '../jobs/types.js';

/**
 * Which minutes to tick so every job fires as it would have between two moments of the demo clock.
 * The scheduler's own catch-up looks back 40 days minute by minute on every call, far too slow to
 * repeat at each step of a month-long history; this scans only the time that passed, and keeps the
 * latest firing of each job (as the scheduler does after a pause).
 */
export class DueJobs {
  private readonly matchers: { job: Job; matcher: ScheduledTask }[];

  constructor(jobs: Job[], timezone: string, patterns: Record<string, string> = {}) {
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
    for (const { matcher } of this.matchers) {
      for (let t = end; t > start; t -= 60_000) {
        if (matcher.match(new Date(t))) {
          minutes.add(t);
          break;
        }
      }
    }
    return [...minutes].sort((a, b) => a - b).map((t) => new Date(t));
  }

  async stop() {
    for (const { matcher } of this.matchers) await matcher.destroy();
  }
}
