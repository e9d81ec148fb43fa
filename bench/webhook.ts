/**
 * Webhook throughput: signed, encrypted im.message.receive_v1 events through /webhook/event on
 * PostgreSQL, against a bare koa endpoint in the same run. Target: >= 1,000 events/s with
 * p99 acknowledgement < 100 ms. Run: npm run bench -- webhook
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import postgres from 'postgres';
import { buildSignedRequest, cardActionEvent, textMessage } from '../emulator/lark-events.js';
import type { LarkConfig } from '../bot/config.js';
import { runLoad, type LoadResult } from './load.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

/** The server process of bench/webhook-server.ts (and the fake Lark it starts), as the load generator sees it. */
export type BenchServer = {
  port: number;
  barePort: number;
  /** The server process (the bot and the floor), for its CPU time. */
  pid: number | undefined;
  floorPort: number;
  lark: LarkConfig;
  officers: string[];
  /** The bot's database (gj_bench_webhook), for counting what it has done. */
  dbUrl: string;
  stop(): Promise<void>;
};

/** Starts bench/webhook-server.ts; `units`: extra units in its roster (default BENCH_UNITS, else none). */
export async function startBenchServer(o: { units?: number } = {}): Promise<BenchServer> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'bench/webhook-server.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_UNITS: String(o.units ?? process.env.BENCH_UNITS ?? 0) },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then(() => reject(new Error('the bench server exited before it was ready')));
  });
  const ready = JSON.parse(first) as Omit<BenchServer, 'dbUrl' | 'stop' | 'pid'>;
  return {
    ...ready,
    pid: child.pid,
    dbUrl: process.env.BENCH_PG_URL?.replace(/\/[^/]*$/, '/gj_bench_webhook') ?? 'postgres://postgres@127.0.0.1:5432/gj_bench_webhook',
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `n` messages from the server's officers, each in its own chat of 500: longer than a command, so
 * each one is a draft the bot offers to submit (stores a candidate, sends a confirmation card).
 */
export function draftMessages(s: Pick<BenchServer, 'lark' | 'officers'>, n: number, tag: string) {
  return Array.from({ length: n }, (_, i) =>
    buildSignedRequest(
      textMessage({
        senderOpenId: s.officers[i % s.officers.length]!,
        chatId: `oc_bench_${i % 500}`,
        chatType: 'p2p',
        text: `关于第${i}项工作的情况汇报（${tag}）\n` + '为深入贯彻落实全县组织工作会议精神，我镇扎实推进基层党建各项工作。'.repeat(6),
        appId: s.lark.appId,
        token: s.lark.verificationToken,
      } as Parameters<typeof textMessage>[0]),
      { encryptKey: s.lark.encryptKey, verificationToken: s.lark.verificationToken },
    ),
  );
}

export async function benchWebhook(): Promise<void> {
  const server = await startBenchServer();
  const { port, barePort } = server;
  try {
    await runLoad(port, '/webhook/event', draftMessages(server, 2000, 'warm'), CONCURRENCY);
    await runLoad(barePort, '/', draftMessages(server, 2000, 'warm-bare'), CONCURRENCY);
    const bot = await runLoad(port, '/webhook/event', draftMessages(server, EVENTS, 'run'), CONCURRENCY);
    const bare = await runLoad(barePort, '/', draftMessages(server, EVENTS, 'run-bare'), CONCURRENCY);
    printLoad('webhook /webhook/event', bot);
    printLoad('bare koa', bare);
    console.log(`throughput ratio webhook/bare: ${(bot.perSecond / bare.perSecond).toFixed(2)}; p99 ratio: ${(bot.p99 / bare.p99).toFixed(2)}`);
    await waitForInbox(server.dbUrl);
    await benchCallbacks(server, Number(process.env.BENCH_CALLBACKS ?? 2000));
  } finally {
    await server.stop();
  }
}

/**
 * Polls the bot's database until `done` says so; returns the milliseconds it took. `db`: a URL (a
 * connection is opened for the wait) or an open client, when waits are timed and a connection's
 * set-up would count.
 */
export async function waitFor(db: string | postgres.Sql, done: (sql: postgres.Sql) => Promise<boolean>, pollMs = 100): Promise<number> {
  const sql = typeof db === 'string' ? postgres(db, { max: 1, onnotice: () => {} }) : db;
  const t0 = process.hrtime.bigint();
  try {
    while (!(await done(sql))) await new Promise((r) => setTimeout(r, pollMs));
    return Number(process.hrtime.bigint() - t0) / 1e6;
  } finally {
    if (typeof db === 'string') await sql.end();
  }
}

/** Until the bot has handled every stored message (each one's answer is then in the outbox). */
export const waitForInbox = (db: string | postgres.Sql, pollMs?: number) =>
  waitFor(db, async (sql) => (await sql`select 1 from inbox_events where status = 'pending' limit 1`).length === 0, pollMs);

export type CallbackResults = { label: string; action: '提交' | '通过'; concurrency: number; result: LoadResult }[];

/**
 * Card callbacks as people make them, on the drafts the message run created: officers tap 提交 on
 * their confirmation cards (creates the draft, its serial, checks, review cards and receipt), then
 * the unit's reviewers tap 通过 (decision, patches of every review card, notices), half of each with
 * 4 people at once and half with 16. Target: p99 < 300 ms.
 */
export async function benchCallbacks(server: Pick<BenchServer, 'port' | 'lark' | 'dbUrl'>, count: number): Promise<CallbackResults> {
  const { port, lark } = server;
  const sql = postgres(server.dbUrl, { max: 1, onnotice: () => {} });
  const results: CallbackResults = [];
  const measure = async (action: '提交' | '通过', what: string, requests: ReturnType<typeof callback>[]) => {
    const half = Math.floor(requests.length / 2);
    for (const [concurrency, part] of [[4, requests.slice(0, half)], [16, requests.slice(half)]] as const) {
      const label = `card callback ${action} (${what}), ${concurrency} at once`;
      const result = await runLoad(port, '/webhook/event', part, concurrency);
      printLoad(label, result);
      results.push({ label, action, concurrency, result });
    }
  };
  const callback = (operator: string, messageId: string, value: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    buildSignedRequest(
      cardActionEvent({
        operatorOpenId: operator,
        value,
        openMessageId: messageId,
        openChatId: 'oc_bench',
        appId: lark.appId,
        token: lark.verificationToken,
        ...extra,
      } as Parameters<typeof cardActionEvent>[0]),
      { encryptKey: lark.encryptKey, verificationToken: lark.verificationToken },
    );
  try {
    // Lark names the tapped message in a callback, and 提交 and 通过 answer only on a card the bot
    // sent to the operator privately: each callback taps the delivered card, so wait for them.
    const candidates = await delivered(
      count,
      (limit) => sql<{ id: number; open_id: string; unit_id: number; message_id: string }[]>`
        select c.id, c.open_id, c.unit_id, m.message_id from draft_candidates c
        join card_messages m on m.purpose = 'draft_confirm' and m.entity_type = 'draft_candidate' and m.entity_id = c.id::text and m.message_id is not null
        where c.status = 'open' order by c.id limit ${limit}`,
      sql`select count(*)::int as n from draft_candidates where status = 'open'`,
    );
    await measure(
      '提交',
      'confirm draft',
      candidates.map((c) =>
        callback(c.open_id, c.message_id, { a: 'draft.confirm', candidateId: c.id }, { formValue: { category: '组工信息', unit: String(c.unit_id) }, name: 'submit_draft' }),
      ),
    );
    // Each draft is decided by the first of its unit's reviewers, on the review card they were sent.
    const drafts = await delivered(
      count,
      (limit) => sql<{ id: number; reviewer: string; message_id: string }[]>`
        select distinct on (d.id) d.id, m.recipient as reviewer, m.message_id from drafts d
        join draft_revisions r on r.draft_id = d.id and r.revision = 1
        join card_messages m on m.purpose = 'draft_review' and m.entity_type = 'draft_revision' and m.entity_id = r.id::text and m.message_id is not null
        where d.state = 'pending_review' order by d.id, m.id limit ${limit}`,
      sql`select count(*)::int as n from drafts where state = 'pending_review'`,
    );
    await measure('通过', 'approve', drafts.map((d) => callback(d.reviewer, d.message_id, { a: 'draft.approve', draftId: d.id, rev: 1 })));
    const [decided] = await sql<{ n: number }[]>`select count(*)::int as n from drafts where state = 'approved'`;
    console.log(`drafts approved: ${decided!.n} of ${drafts.length}`);
    return results;
  } finally {
    await sql.end();
  }
}

/** Rows of `query` once `count` of them (or as many as `total` has) have their card delivered. */
async function delivered<T>(count: number, query: (limit: number) => Promise<T[]>, total: postgres.PendingQuery<{ n: number }[]>): Promise<T[]> {
  const [row] = await total;
  const want = Math.min(count, row!.n);
  for (;;) {
    const rows = await query(count);
    if (rows.length >= want) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function printLoad(label: string, r: LoadResult) {
  console.log(
    `${label}: ${r.count} requests in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)}/s; ack p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; non-200: ${r.errors}`,
  );
}
