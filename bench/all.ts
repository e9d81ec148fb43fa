/**
 * npm run bench -- all [--record] [--url postgres://…/gj_bench] [--period 2026-10] [--checks-url postgres://…/gj_bench_checks] [--checks-drafts 50000]
 *
 * The whole path in one run and one process tree, each measure next to the floor where one applies:
 * a–c run in BENCH_ROUNDS (5) alternating rounds of the floor and the bot, summed.
 *  a. the floor (bench/floor.ts): verify, decrypt, one transaction inserting the dedupe key, a row
 *     and an outbox row; the least any correct bot pays, on the same PostgreSQL;
 *  b. the bot's webhook acknowledged (same events, same concurrency);
 *  c. the same events handled end to end: until the inbox is drained (every answer committed to the
 *     outbox), and until the outbox is drained (every answer taken by the fake Lark);
 *  d. the card callbacks 提交 and 通过 at 4 and 16 at once;
 *  e. the monthly ranking on the province-scale history (`generate` builds it when it is missing);
 *  f. the pre-review checks on a long draft against the archive.
 * Sizes: BENCH_EVENTS (5000), BENCH_CONCURRENCY (32), BENCH_CALLBACKS (1000), BENCH_UNITS (100 units
 * of two officers added to the roster, so answers go to 200 people, not 3).
 * BENCH_CPU_PROF=<dir> writes a CPU profile of the bot's process there.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { DEFAULT_BENCH_URL } from './bench-db.js';
import { CHECKS_TARGET_MS, measureChecks } from './checks.js';
import { cpuPerEvent, readCpu, type CpuReading } from './cpu.js';
import { floorCounts } from './floor.js';
import { mergeLoads, runLoad, type LoadResult } from './load.js';
import { monthlyRankingTimes, RANKING_TARGET_MS } from './ranking.js';
import { formatMs as f, median, Report } from './results.js';
import { benchCallbacks, draftMessages, printLoad, startBenchServer, waitFor, waitForInbox, type BenchServer, type CallbackResults } from './webhook.js';

/** Targets of issue #19. */
const END_TO_END_RATIO = 0.7;
const CALLBACK_P99_MS = 150;

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 1000);
const UNITS = Number(process.env.BENCH_UNITS ?? 100);
/** Alternating rounds of the floor and the bot (see measurePath). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** What PostgreSQL counted for the bot's database: commits and rows written. */
type DbCounters = { commits: number; inserted: number; updated: number; fetched: number };

async function dbCounters(dbUrl: string): Promise<DbCounters> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    // Sessions report their counters when idle for a while (PostgreSQL 15: at most every 10 s).
    await new Promise((r) => setTimeout(r, 11_000));
    const [row] = await sql<DbCounters[]>`
      select xact_commit::float8 as commits, tup_inserted::float8 as inserted, tup_updated::float8 as updated, tup_fetched::float8 as fetched
      from pg_stat_database where datname = current_database()`;
    return row!;
  } finally {
    await sql.end();
  }
}

const COUNTERS = ['commits', 'inserted', 'updated', 'fetched'] as const;
/** Each counter's change from `a` to `b` per event, for `n` events, less `minus` per event. */
const perEvent = (a: DbCounters, b: DbCounters, n: number, minus?: DbCounters): DbCounters =>
  Object.fromEntries(COUNTERS.map((k) => [k, (b[k] - a[k]) / n - (minus?.[k] ?? 0)])) as DbCounters;
const describeCounters = (c: DbCounters) =>
  `${c.commits.toFixed(1)} commits, ${c.inserted.toFixed(1)} rows inserted, ${c.updated.toFixed(1)} updated, ${c.fetched.toFixed(0)} fetched`;

type Path = {
  floor: LoadResult;
  /** Answers Lark refused at least once with 429 (99991400) before taking them. */
  refused: number;
  floorDb: string;
  /** CPU per event while the floor took the events, and while the bot took and handled them. */
  floorCpu: ReturnType<typeof cpuPerEvent>;
  botCpu: ReturnType<typeof cpuPerEvent>;
  ack: LoadResult;
  handledMs: number;
  deliveredMs: number;
  botDb: string;
  callbacks: CallbackResults;
};

/**
 * a–d: the floor and the bot on one server process, on fresh events, in ROUNDS alternating rounds
 * (floor, bot, floor, bot …) whose times and CPU are summed: the shared machines change speed within
 * minutes, and measured one after the other the two halves of a run could see different machines.
 */
async function measurePath(server: BenchServer, noteLoad: (stage: string) => void): Promise<Path> {
  // Warm both (JIT, pools, plan caches); the bot must have drained its warm-up before the run.
  await runLoad(server.floorPort, '/', draftMessages(server, 1000, 'warm-floor'), CONCURRENCY);
  await runLoad(server.port, '/webhook/event', draftMessages(server, 1000, 'warm'), CONCURRENCY);
  await waitForOutbox(server.dbUrl);

  const perRound = Math.ceil(EVENTS / ROUNDS);
  const floors: LoadResult[] = [];
  const acks: LoadResult[] = [];
  const floorCpu = emptyCpu();
  const botCpu = emptyCpu();
  let handledMs = 0;
  let firstBotStart: bigint | undefined;
  const { maxId } = await outboxStats(server.dbUrl);
  const before = await dbCounters(server.dbUrl);
  let afterFirstFloor: DbCounters | undefined;
  // Open before the rounds: a connection's set-up is not part of the bot's handling.
  const poll = postgres(server.dbUrl, { max: 1, onnotice: () => {} });
  for (let round = 0; round < ROUNDS; round++) {
    const n = Math.min(perRound, EVENTS - round * perRound);
    const floorRequests = draftMessages(server, n, `floor-${round}`);
    let cpu0 = readCpu(server.pid);
    floors.push(await runLoad(server.floorPort, '/', floorRequests, CONCURRENCY));
    addCpu(floorCpu, cpu0, readCpu(server.pid));
    // PostgreSQL's counters of the floor, from its first round: it pays the same for every event.
    if (round === 0) afterFirstFloor = await dbCounters(server.dbUrl);
    // Signed and encrypted before the clock starts, as runLoad's own clock does for a and b.
    const requests = draftMessages(server, n, `run-${round}`);
    cpu0 = readCpu(server.pid);
    const t0 = process.hrtime.bigint();
    firstBotStart ??= t0;
    acks.push(await runLoad(server.port, '/webhook/event', requests, CONCURRENCY));
    await waitForInbox(poll, 20);
    handledMs += Number(process.hrtime.bigint() - t0) / 1e6;
    addCpu(botCpu, cpu0, readCpu(server.pid));
  }
  await poll.end();
  const floor = mergeLoads(floors);
  const ack = mergeLoads(acks);
  printLoad('a. floor (verify, decrypt, one transaction)', floor);
  const counted = await floorCounts(server.dbUrl);
  if (counted.messages !== EVENTS + 1000 || counted.outbox !== EVENTS + 1000) throw new Error(`the floor stored ${JSON.stringify(counted)}, not ${EVENTS + 1000} of each`);
  printLoad('b. bot webhook acknowledged', ack);
  console.log(`c. bot events handled (inbox drained): ${EVENTS} in ${(handledMs / 1000).toFixed(1)} s = ${((EVENTS * 1000) / handledMs).toFixed(0)}/s`);
  noteLoad('after the rounds');
  await waitForOutbox(server.dbUrl, 20);
  // From the bot's first request: the floor's rounds in between take seconds, Lark's pace minutes.
  const deliveredMs = Number(process.hrtime.bigint() - firstBotStart!) / 1e6;
  const { refused } = await outboxStats(server.dbUrl, maxId);
  console.log(`   answers delivered (outbox drained): ${(deliveredMs / 1000).toFixed(1)} s = ${((EVENTS * 1000) / deliveredMs).toFixed(0)}/s; ${refused} refused with 429 at least once`);
  noteLoad('outbox drained');
  const after = await dbCounters(server.dbUrl);
  // PostgreSQL counts the floor's rounds too: the bot's share is the rest.
  const floorPer = perEvent(before, afterFirstFloor!, perRound);

  const callbacks = await benchCallbacks(server, CALLBACKS);
  noteLoad('after the callbacks');
  return {
    refused,
    floor,
    floorDb: describeCounters(floorPer),
    floorCpu: cpuPerEvent(emptyCpu(), floorCpu, EVENTS),
    botCpu: cpuPerEvent(emptyCpu(), botCpu, EVENTS),
    ack,
    handledMs,
    deliveredMs,
    botDb: describeCounters(perEvent(before, after, EVENTS, floorPer)),
    callbacks,
  };
}

const emptyCpu = (): CpuReading => ({ server: 0, postgres: 0, load: 0 });
function addCpu(sum: CpuReading, a: CpuReading, b: CpuReading) {
  sum.server += b.server - a.server;
  sum.postgres += b.postgres - a.postgres;
  sum.load += b.load - a.load;
}

/** The newest outbox row, and how many rows after `afterId` Lark refused at least once with 429 (99991400). */
async function outboxStats(dbUrl: string, afterId = 0): Promise<{ maxId: number; refused: number }> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ maxId: number; refused: number }[]>`
      select coalesce(max(id), 0)::int as "maxId", (count(*) filter (where id > ${afterId} and last_error like '%99991400%'))::int as refused from outbox`;
    return row!;
  } finally {
    await sql.end();
  }
}

/** Until every answer is in the fake Lark's hands (nothing pending or being sent). */
const waitForOutbox = (dbUrl: string, pollMs?: number) =>
  waitFor(dbUrl, async (sql) => (await sql`select 1 from outbox where status in ('pending', 'sending') limit 1`).length === 0 && (await sql`select 1 from inbox_events where status = 'pending' limit 1`).length === 0, pollMs);

const OPTIONS = {
  /** The generated history for the ranking; `checks-url` is the checks' archive (default: that bench's). */
  url: { type: 'string', default: DEFAULT_BENCH_URL },
  period: { type: 'string', default: '2026-10' },
  'checks-url': { type: 'string' },
  'checks-drafts': { type: 'string', default: '50000' },
  record: { type: 'boolean', default: false },
} as const;

export async function allMain(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: OPTIONS });
  const loads: string[] = [];
  const noteLoad = (stage: string) => loads.push(`${stage} ${loadavg()[0]!.toFixed(1)}`);
  noteLoad('start');

  const server = await startBenchServer({ units: UNITS });
  let path: Path;
  try {
    path = await measurePath(server, noteLoad);
  } finally {
    await server.stop();
  }

  let ranking = await monthlyRankingTimes(values.url!, values.period!, 5);
  if (!ranking) {
    console.log(`no generated history in ${values.url}: generating it (a few minutes) …`);
    await (await import('./generate.js')).generateMain(['--url', values.url!]);
    ranking = await monthlyRankingTimes(values.url!, values.period!, 5);
  }
  console.log(`e. monthly ranking ${values.period}: median ${f(median(ranking!.times))} (${ranking!.times.map((t) => t.toFixed(0)).join(', ')} ms)`);
  noteLoad('after the ranking');

  const checks = await measureChecks({ drafts: Number(values['checks-drafts']), ...(values['checks-url'] ? { url: values['checks-url'] } : {}) });
  console.log(`f. pre-review checks: median ${f(checks.stats.median)}, p95 ${f(checks.stats.p95)}`);
  noteLoad('after the checks');

  const report = new Report();
  const say = report.say;
  const { floor, ack, handledMs, deliveredMs, callbacks } = path;
  const handled = (EVENTS * 1000) / handledMs;
  const delivered = (EVENTS * 1000) / deliveredMs;
  const ratio = (x: number) => (x / floor.perSecond).toFixed(2);
  const load = (r: LoadResult) => `${r.perSecond.toFixed(0)}/s; p50 ${f(r.p50)}, p99 ${f(r.p99)}${r.errors ? `; ${r.errors} not 200` : ''}`;
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  say(
    `${EVENTS} signed, encrypted draft messages (about 200 characters) from ${server.officers.length} officers, ${CONCURRENCY} requests in flight, ` +
      `for the floor and the bot in ${ROUNDS} alternating rounds (times and CPU summed; PostgreSQL's counts of the floor from its first round); ` +
      `${CALLBACKS} callbacks of each kind. Three processes: this one (load, ranking, checks), the server (the bot with a PostgreSQL pool of 10, and the floor with as many connections, ` +
      'on one database), and the fake Lark. The load average (1 min) during the run: ' +
      `${loads.join(', ')}.`,
  );
  say();
  say('| what | measured | ratio to the floor | target | |');
  say('| --- | --- | ---: | --- | --- |');
  say(`| a. floor: verify, decrypt, one transaction (dedupe key, message row, outbox row) | ${load(floor)} | 1.00 | | |`);
  say(`| b. bot webhook acknowledged (the bot handles meanwhile) | ${load(ack)} | ${ratio(ack.perSecond)} | | |`);
  say(`| c. bot events handled end to end (inbox drained, answers committed to the outbox) | ${handled.toFixed(0)}/s | ${ratio(handled)} | ≥ ${END_TO_END_RATIO} of the floor | ${verdict(handled / floor.perSecond >= END_TO_END_RATIO)} |`);
  say(
    `| c'. … and the answers delivered to the fake Lark (outbox drained; Lark takes 50 calls/s and 1,000/min of each message API from an app, the fake too, and the outbox paces 45/s here and 1,000 per 61 s; ${path.refused} answers were refused with 429 first) | ${delivered.toFixed(0)}/s | ${ratio(delivered)} | | |`,
  );
  for (const c of callbacks) {
    const target = c.concurrency === 4 ? `p99 < ${CALLBACK_P99_MS} ms` : '';
    say(`| d. card callback ${c.action}, ${c.concurrency} at once | ${load(c.result)} | | ${target} | ${target ? verdict(c.result.p99 < CALLBACK_P99_MS) : ''} |`);
  }
  const rankingMedian = median(ranking!.times);
  say(`| e. monthly ranking ${values.period} (${ranking!.units} units, ${ranking!.drafts} drafts; median of ${ranking!.times.length}) | ${f(rankingMedian)} (${f(Math.min(...ranking!.times))}–${f(Math.max(...ranking!.times))}) | | < ${RANKING_TARGET_MS} ms | ${verdict(rankingMedian < RANKING_TARGET_MS)} |`);
  say(`| f. pre-review checks (${checks.chars} characters against ${checks.o.drafts} drafts; ${checks.o.runs} runs) | median ${f(checks.stats.median)}, p95 ${f(checks.stats.p95)} | | < ${CHECKS_TARGET_MS} ms | ${verdict(checks.stats.median < CHECKS_TARGET_MS)} |`);
  say();
  say(`Per event, as PostgreSQL counted them (pg_stat_database): the floor ${path.floorDb}; the bot, from the webhook to the answer delivered, ${path.botDb}.`);
  say();
  const cpu = (c: Path['floorCpu']) => `the server process ${c.server} ms, PostgreSQL ${c.postgres} ms, the load generator ${c.load} ms`;
  say(
    `CPU per event (/proc): the floor (a) ${cpu(path.floorCpu)}; the bot (b and c, until the inbox drained) ${cpu(path.botCpu)}. ` +
      'The server process runs JavaScript on one thread: its CPU per event bounds its events per second.',
  );
  if (values.record) report.record('all', 'The whole path against the floor');
}
