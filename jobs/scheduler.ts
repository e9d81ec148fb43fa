import { metrics } from '../bot/metrics.js';
import cron, { type ScheduledTask } from 'node-cron';
import type { Deps } from '../bot/handlers.js';
import { runJobSlot } from './run-once.js';
import { isDatabaseUnavailable } from '../db/client.js';
import { describeError, UserError } from '../bot/errors.js';
import type { Job } from './types.js';
import { localParts, zonedTime } from '../bot/time.js';

export type Scheduler = {
  /** Runs every job whose pattern matches this minute (the heartbeat calls it each minute). */
  tick(now: Date): Promise<void>;
  /** Runs, once, the latest firing of each job that should have happened before `now`. */
  catchUp(now: Date): Promise<void>;
  /** Fires nothing more and waits for the jobs running now (their transactions commit or roll back). */
  stop(): Promise<void>;
};

export type SchedulerOptions = {
  deps: Deps;
  jobs: Job[];
  timezone: string;
  /** Per-job cron overrides from configuration. */
  patterns?: Record<string, string>;
  /** Called after a job committed, to wake the outbox. */
  onCommitted?: () => void;
  /** Start the real per-minute heartbeat (false in tests, which call tick with their own clock). */
  heartbeat?: boolean;
};

/**
 * node-cron parses the patterns and matches minutes in the configured timezone; the heartbeat
 * only asks "does this minute match" so time can be injected, and job_runs makes every slot
 * run once however many processes tick.
 */
export function createScheduler(o: SchedulerOptions): Scheduler {
  const matchers = new Map<string, ScheduledTask>();
  for (const job of o.jobs) {
    const pattern = o.patterns?.[job.name] ?? job.cron;
    if (!cron.validate(pattern)) throw new Error(`invalid cron pattern for job ${job.name}: ${pattern}`);
    // A task we never start: used only for its timezone-aware matcher.
    matchers.set(job.name, cron.createTask(pattern, () => {}, { timezone: o.timezone, name: `match:${job.name}` }));
  }
  const running = new Map<string, Promise<void>>();
  /**
   * The latest failed slot of each job, tried again on later ticks: a database restarting (or a
   * full disk) at the minute the monthly bulletin fires must not cost the month its bulletin until
   * someone restarts the bot. Only the latest slot, as at start-up: a newer firing replaces it.
   */
  const retries = new Map<string, { slot: string; firedAt: Date; failures: number; nextAt: number }>();
  let stopped = false;

  function fire(job: Job, firedAt: Date, now: Date): Promise<void> {
    const slot = job.slotOf(firedAt, o.timezone);
    const key = `${job.name}:${slot}`;
    // In-process overlap guard; across processes the job_runs key decides.
    if (stopped || running.has(key)) return Promise.resolve();
    const run = runSlot(job, slot, firedAt, now).finally(() => running.delete(key));
    running.set(key, run);
    return run;
  }

  async function runSlot(job: Job, slot: string, firedAt: Date, now: Date) {
    const log = o.deps.log.child({ job: job.name, slot });
    const pending = retries.get(job.name);
    if (pending && pending.slot !== slot && pending.firedAt < firedAt) retries.delete(job.name);
    try {
      const outcome = await runJobSlot(o.deps, job, slot, { firedAt });
      if (retries.get(job.name)?.slot === slot) retries.delete(job.name);
      metrics.jobRuns.inc({ job: job.name, outcome: outcome.ran ? 'ran' : 'already_ran' });
      if (outcome.ran) {
        log.info({ summary: outcome.result.summary }, 'job ran');
        o.onCommitted?.();
      }
    } catch (err) {
      metrics.jobRuns.inc({ job: job.name, outcome: 'failed' });
      const failures = (retries.get(job.name)?.slot === slot ? retries.get(job.name)!.failures : 0) + 1;
      // 1, 2, 4 … minutes after each failure, at most an hour, while the slot may still catch up and
      // for about a day: what still fails then is no passing outage (a restart tries it once more).
      const nextAt = now.getTime() + Math.min(2 ** (failures - 1), 60) * 60_000;
      const retry = failures < MAX_RETRIES && nextAt - firedAt.getTime() < catchUpWindow(job);
      if (retry) retries.set(job.name, { slot, firedAt, failures, nextAt });
      else if (retries.get(job.name)?.slot === slot) retries.delete(job.name);
      const next = retry ? new Date(nextAt).toISOString() : null;
      // An unreachable database is no bug of the job's, nor is a condition the job explains in
      // Chinese for whoever runs the bot (no roster imported yet): a stack would only bury the one
      // line that matters.
      if (isDatabaseUnavailable(err)) log.warn({ reason: describeError(err), failures, next }, 'job failed: database unavailable');
      else if (err instanceof UserError) log.error({ reason: err.message, failures, next }, 'job failed');
      else log.error({ err, failures, next }, 'job failed');
    }
  }

  const scheduler: Scheduler = {
    async tick(now) {
      const minute = floorToMinute(now);
      const due = o.jobs.filter((j) => matchers.get(j.name)!.match(minute));
      const again = o.jobs.filter((j) => !due.includes(j) && (retries.get(j.name)?.nextAt ?? Infinity) <= now.getTime());
      await Promise.all([...due.map((j) => fire(j, minute, now)), ...again.map((j) => fire(j, retries.get(j.name)!.firedAt, now))]);
    },
    async catchUp(now) {
      for (const job of o.jobs) {
        const last = lastFiring(matchers.get(job.name)!, now, catchUpWindow(job), o.timezone);
        if (last) await fire(job, last, now);
      }
    },
    async stop() {
      stopped = true;
      heartbeat?.stop();
      for (const m of matchers.values()) await m.destroy();
      heartbeat?.destroy();
      await Promise.all(running.values());
    },
  };

  let heartbeat: ScheduledTask | undefined;
  if (o.heartbeat) {
    heartbeat = cron.schedule('* * * * *', () => scheduler.tick(o.deps.clock.now()), {
      name: 'gaojian-heartbeat',
      noOverlap: true,
    });
  }
  return scheduler;
}

/** Tries of a failed slot: 1 + 2 + … + 32 minutes, then hourly, about a day in all. */
const MAX_RETRIES = 30;

/** How long after its firing a missed slot still runs (at start-up, or again after a failure). */
const catchUpWindow = (job: Job) => job.catchUpWindowMs ?? 40 * 24 * 3600_000;

function floorToMinute(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 60_000) * 60_000);
}

/**
 * The most recent minute at or before `now` that the pattern matches, within the window. Only the
 * hours and minutes the pattern allows are tried (local wall-clock times, walked back day by day),
 * so a monthly job costs a few dozen checks, not one per minute of the window.
 */
export function lastFiring(matcher: ScheduledTask, now: Date, windowMs: number, timezone: string): Date | undefined {
  const fields = cron.parse(matcher.getPattern());
  const end = floorToMinute(now).getTime();
  const start = end - windowMs;
  const today = localParts(now, timezone);
  const times = fields.hour.flatMap((h) => fields.minute.map((m) => ({ h, m }))).sort((a, b) => b.h - a.h || b.m - a.m);
  for (let back = 0; ; back++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    if (zonedTime(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 23, 59, timezone).getTime() < start) return undefined;
    for (const { h, m } of times) {
      const t = zonedTime(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), h, m, timezone);
      if (t.getTime() > end || t.getTime() < start) continue;
      if (matcher.match(t)) return t;
    }
  }
}
