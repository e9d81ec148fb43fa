import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.js';

/**
 * Prometheus metrics, served at /metrics. One registry per process: the counters are process-wide
 * like the process itself (a test that reads them compares before and after).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'gaojian_' });

export const metrics = {
  eventsReceived: new Counter({
    name: 'gaojian_events_received_total',
    help: 'Events received from Lark, by type and result (accepted, duplicate, ignored)',
    labelNames: ['type', 'result'] as const,
    registers: [registry],
  }),
  eventsHandled: new Counter({
    name: 'gaojian_events_handled_total',
    help: 'Events handled, by type (message, card_action) and outcome (ok, user_error, error, gave_up)',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  }),
  handlerSeconds: new Histogram({
    name: 'gaojian_handler_duration_seconds',
    help: 'Time to handle one event, by type',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  }),
  inlineGroupMessages: new Histogram({
    name: 'gaojian_inline_group_messages',
    help: 'Messages answered as they arrived, per transaction (a burst is answered together)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  }),
  inlineWaiting: new Gauge({
    name: 'gaojian_inline_waiting',
    help: 'Messages received and waiting for a group to answer them in their request (behind running groups, or behind their chat)',
    registers: [registry],
  }),
  outboxFailures: new Counter({
    name: 'gaojian_outbox_failures_total',
    help: 'Failed Lark calls of the outbox, by Lark error code (or http status / network)',
    labelNames: ['code', 'kind'] as const,
    registers: [registry],
  }),
  outboxSent: new Counter({
    name: 'gaojian_outbox_sent_total',
    help: 'Outbox rows delivered, by operation',
    labelNames: ['op'] as const,
    registers: [registry],
  }),
  jobRuns: new Counter({
    name: 'gaojian_job_runs_total',
    help: 'Scheduled job runs, by job and outcome (ran, already_ran, failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  }),
  ledgerRefreshSeconds: new Histogram({
    name: 'gaojian_ledger_refresh_duration_seconds',
    help: 'Time of score ledger refreshes that re-priced something',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  }),
};

/** Backlogs are read from the database at scrape time (other processes' rows count too). */
export function registerBacklogGauges(db: Db) {
  for (const name of ['gaojian_inbox_backlog', 'gaojian_outbox_backlog']) registry.removeSingleMetric(name);
  new Gauge({
    name: 'gaojian_inbox_backlog',
    help: 'Received events not yet handled',
    registers: [registry],
    async collect() {
      const [r] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from inbox_events where status = 'pending'`));
      this.set(Number(r?.n ?? 0));
    },
  });
  new Gauge({
    name: 'gaojian_outbox_backlog',
    help: 'Outbox rows not yet delivered (pending or sending)',
    registers: [registry],
    async collect() {
      const [r] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from outbox where status in ('pending', 'sending')`));
      this.set(Number(r?.n ?? 0));
    },
  });
}
