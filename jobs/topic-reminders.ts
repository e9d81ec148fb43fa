import { formatLocal } from '../bot/time.js';
import { scanTopics } from '../domain/topics/reminders.js';
import type { Job } from './types.js';

/**
 * Every five minutes: 24 h and 2 h 催报 to units that have not answered, and deadline processing.
 * Each slot runs once across processes (job_runs); each reminder and each deadline is also guarded
 * by its own key, so overlapping slots, catch-up after a restart and a second bot send nothing twice.
 */
export const topicRemindersJob: Job = {
  name: 'topic-reminders',
  description: '点题催报与截止处理',
  cron: '*/5 * * * *',
  slotOf: (firedAt, timezone) => formatLocal(firedAt, timezone),
  // A missed reminder older than a day is no longer useful; deadlines are found by the scan anyway.
  catchUpWindowMs: 24 * 3600_000,
  async run(ctx, work) {
    // The scan looks at the present (the clock), not the slot: a late (catch-up) firing must not
    // judge deadlines by its slot time.
    const r = await scanTopics(work);
    const summary = `催报 ${r.reminded.join(',') || '无'}；截止处理 ${r.settled.join(',') || '无'}；消息 ${r.messages} 条`;
    return ctx.dryRun ? { summary, preview: r } : { summary };
  },
};
