import { registerBacklogGauges } from './metrics.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import type { DbHandle } from '../db/client.js';
import type { Config } from './config.js';
import type { Clock } from './clock.js';
import { DiskFullWatch } from './disk-full.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import type { Deps, Feature } from './handlers.js';
import { InboxWorker } from './inbox.js';
import type { LarkApi } from './lark-api.js';
import type { Logger } from './logger.js';
import { inTransaction, unitOfWork } from './unit-of-work.js';
import { OutboxWorker } from './outbox/worker.js';
import { createCardAnswerer, type CardAnswerer } from './receivers/card-deadline.js';
import { createWebhookRouter } from './receivers/http.js';
import { startWsReceiver } from './receivers/ws.js';
import { createRegistry, type Registry } from './registry.js';
import { createServer } from './server.js';
import { createScheduler, type Scheduler } from '../jobs/scheduler.js';
import { ScoreLedgerWorker } from '../domain/scoring/ledger-worker.js';
import type { Job } from '../jobs/types.js';

export type AppOptions = {
  config: Config;
  /** Lark credentials the receivers check; in local mode the emulator's. */
  lark: NonNullable<Config['lark']>;
  db: DbHandle;
  api: LarkApi;
  clock: Clock;
  log: Logger;
  features: Feature[];
  jobs: Job[];
  /** Extra routes mounted on the same server (the local-mode console). */
  extraRouters?: Router[];
  /** Cron heartbeat on (production) or off (tests drive scheduler.tick). */
  heartbeat?: boolean;
};

export type App = {
  deps: Deps;
  registry: Registry;
  dispatcher: Dispatcher;
  /** Card callbacks answered within Lark's 3 s, by either receiver. */
  answerCard: CardAnswerer;
  outbox: OutboxWorker;
  inbox: InboxWorker;
  scheduler: Scheduler;
  /**
   * Starts the HTTP server (webhook mode) or the long connection, and unless told otherwise the
   * background workers and the catch-up of missed schedules (a caller that drives the workers itself,
   * like a one-shot CLI, turns them off).
   */
  start(port: number, opts?: { workers?: boolean; host?: string }): Promise<{ port: number }>;
  /**
   * SIGTERM order: schedule, receivers, workers (the caller closes the database). Work in flight
   * finishes unless `deadline` resolves first; then what this process still holds is handed back.
   */
  stop(opts?: { deadline?: Promise<unknown> }): Promise<StopOutcome>;
};

/** How a stop ended: everything finished, or the deadline came and the held rows were handed back. */
export type StopOutcome = { drained: true } | { drained: false; released: { inbox: number; outbox: number } };

/** Composition root shared by main.ts, local mode and the tests: same wiring everywhere. */
export function createApp(o: AppOptions): App {
  let botOpenId: Promise<string> | undefined;
  const deps: Deps = {
    db: o.db.db,
    lark: o.api,
    clock: o.clock,
    log: o.log,
    config: o.config,
    botOpenId: () => {
      botOpenId ??= o.api.getBotOpenId().catch((err) => {
        botOpenId = undefined;
        throw err;
      });
      return botOpenId;
    },
  };
  const registry = createRegistry(o.features);
  registerBacklogGauges(deps.db);
  const diskFull = new DiskFullWatch({ db: o.db, log: o.log });
  const reported = (err: unknown) => diskFull.saw(err);
  const outbox = new OutboxWorker({
    db: deps.db,
    lark: o.api,
    clock: o.clock,
    log: o.log,
    appRatePerSecond: o.config.outboxAppRate,
    reported,
    onGivenUp: registry.givenUpHandlers.length
      ? async (tx, row, error) => {
          for (const onGivenUp of registry.givenUpHandlers) await onGivenUp(unitOfWork(deps, tx), row, error);
        }
      : undefined,
  });
  const ledger = new ScoreLedgerWorker({ db: deps.db, timezone: o.config.timezone, log: o.log, reported });
  const committed = () => {
    outbox.kick();
    ledger.kick();
  };
  let inbox!: InboxWorker;
  const dispatcher = createDispatcher({
    deps,
    registry,
    onStored: () => inbox.kick(),
    onCommitted: committed,
  });
  inbox = new InboxWorker({
    db: deps.db,
    clock: o.clock,
    log: o.log,
    process: (row) => dispatcher.processInbound(row),
    concurrency: o.config.inbox.concurrency,
    fileConcurrency: o.config.inbox.fileConcurrency,
    reported,
  });
  const answerCard = createCardAnswerer({
    dispatcher,
    log: o.log,
    // A result that missed Lark's deadline still reaches the card: patched through the outbox.
    onLateCard: async (event, response) => {
      await inTransaction(deps, ({ out }) => out.patchMessage(event.openMessageId, event.openChatId, response.card!), () => outbox.kick());
    },
  });
  const scheduler = createScheduler({
    deps,
    jobs: o.jobs,
    timezone: o.config.timezone,
    patterns: o.config.jobSchedules,
    onCommitted: committed,
    heartbeat: o.heartbeat ?? false,
  });

  let server: Server | undefined;
  let ws: { stop: () => void } | undefined;
  let stopping = false;

  return {
    deps,
    registry,
    dispatcher,
    answerCard,
    outbox,
    inbox,
    scheduler,
    async start(port, startOpts) {
      const workers = startOpts?.workers ?? true;
      if (workers) {
        outbox.start();
        inbox.start();
        ledger.start();
      }
      const routers: Router[] = [...(o.extraRouters ?? [])];
      if (o.lark.mode === 'ws') {
        ws = startWsReceiver({ lark: o.lark, dispatcher, answerCard, log: o.log });
      } else {
        routers.unshift(createWebhookRouter({ lark: o.lark, dispatcher, answerCard, log: o.log, now: () => o.clock.now().getTime() }));
      }
      // /healthz stays available in ws mode too.
      const koa = createServer({ db: deps.db, log: o.log, routers, isStopping: () => stopping, trustProxy: o.config.trustProxy, diskFull });
      server = await new Promise<Server>((resolve) => {
        const s = koa.listen(port, startOpts?.host ?? '0.0.0.0', () => resolve(s));
        // Slow clients (slowloris) cannot hold a connection open: headers within 10 s, the whole
        // request within 30 s (Lark sends a few KB at once).
        s.headersTimeout = 10_000;
        s.requestTimeout = 30_000;
      });
      if (workers) void scheduler.catchUp(o.clock.now()).catch((err) => o.log.error({ err }, 'catch-up failed'));
      return { port: (server.address() as AddressInfo).port };
    },
    async stop(stopOpts) {
      // From here every request is answered 503 (Lark re-delivers), while requests already being
      // handled finish; then the workers finish their rounds in flight, so no row stays claimed by
      // this process and another process can take everything over at once.
      stopping = true;
      const drain = (async () => {
        await scheduler.stop();
        ws?.stop();
        if (server) {
          const s = server;
          const closed = new Promise<void>((resolve) => s.close(() => resolve()));
          s.closeIdleConnections();
          await closed;
        }
        await inbox.stop();
        await outbox.stop();
        await ledger.stop();
      })();
      const drained = await Promise.race([drain.then(() => true), (stopOpts?.deadline ?? new Promise(() => {})).then(() => false)]);
      if (drained) return { drained: true };
      // Out of time (a hung download, Lark not answering): the rows still in hand would stay leased
      // for minutes after this process is gone; hand them back so another process takes them now.
      server?.closeAllConnections();
      const released = { inbox: await inbox.releaseHeld(), outbox: await outbox.releaseHeld() };
      return { drained: false, released };
    },
  };
}
