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
const officers = ['ou_officer1', 'ou_officer2', 'ou_officer3'];

export async function benchWebhook(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/webhook-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const { port, barePort, lark } = JSON.parse(first) as { port: number; barePort: number; lark: LarkConfig };
  try {
    const make = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) =>
        buildSignedRequest(
          textMessage({
            senderOpenId: officers[i % officers.length]!,
            chatId: `oc_bench_${i % 500}`,
            chatType: 'p2p',
            // Longer than a command: each one is a draft the bot will offer to submit.
            text: `关于第${i}项工作的情况汇报（${tag}）\n` + '为深入贯彻落实全县组织工作会议精神，我镇扎实推进基层党建各项工作。'.repeat(6),
            appId: lark.appId,
            token: lark.verificationToken,
          } as Parameters<typeof textMessage>[0]),
          { encryptKey: lark.encryptKey, verificationToken: lark.verificationToken },
        ),
      );
    await runLoad(port, '/webhook/event', make(2000, 'warm'), CONCURRENCY);
    await runLoad(barePort, '/', make(2000, 'warm-bare'), CONCURRENCY);
    const bot = await runLoad(port, '/webhook/event', make(EVENTS, 'run'), CONCURRENCY);
    const bare = await runLoad(barePort, '/', make(EVENTS, 'run-bare'), CONCURRENCY);
    print('webhook /webhook/event', bot);
    print('bare koa', bare);
    console.log(`throughput ratio webhook/bare: ${(bot.perSecond / bare.perSecond).toFixed(2)}; p99 ratio: ${(bot.p99 / bare.p99).toFixed(2)}`);
    await benchCallbacks(port, lark);
  } finally {
    child.kill('SIGTERM');
  }
}

const REVIEWER_OF: Record<string, string> = { ou_officer1: 'ou_reviewer1', ou_officer2: 'ou_reviewer1', ou_officer3: 'ou_reviewer2' };

/**
 * Card callbacks as people make them, on the drafts the message run created: officers tap 提交 on
 * their confirmation cards (creates the draft, its serial, checks, review cards and receipt), then
 * reviewers tap 通过 (decision, patches of every review card, notices). Target: p99 < 300 ms.
 */
async function benchCallbacks(port: number, lark: LarkConfig) {
  const sql = postgres(process.env.BENCH_PG_URL?.replace(/\/[^/]*$/, '/gj_bench_webhook') ?? 'postgres://postgres@127.0.0.1:5432/gj_bench_webhook', { max: 1, onnotice: () => {} });
  try {
    // The bot handles the stored messages in the background; wait until it has offered them all.
    for (;;) {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from inbox_events where status = 'pending'`;
      if (row!.n === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const count = Number(process.env.BENCH_CALLBACKS ?? 2000);
    const candidates = await sql<{ id: number; open_id: string; unit_id: number }[]>`
      select id, open_id, unit_id from draft_candidates where status = 'open' order by id limit ${count}`;
    const callback = (operator: string, value: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      buildSignedRequest(
        cardActionEvent({
          operatorOpenId: operator,
          value,
          openMessageId: `om_bench_${Math.random().toString(16).slice(2)}`,
          openChatId: 'oc_bench',
          appId: lark.appId,
          token: lark.verificationToken,
          ...extra,
        } as Parameters<typeof cardActionEvent>[0]),
        { encryptKey: lark.encryptKey, verificationToken: lark.verificationToken },
      );
    const confirms = candidates.map((c) =>
      callback(c.open_id, { a: 'draft.confirm', candidateId: c.id }, { formValue: { category: '组工信息', unit: String(c.unit_id) }, name: 'submit_draft' }),
    );
    const half = Math.floor(confirms.length / 2);
    print('card callback 提交 (confirm draft), 4 people at once', await runLoad(port, '/webhook/event', confirms.slice(0, half), 4));
    print('card callback 提交 (confirm draft), 16 at once', await runLoad(port, '/webhook/event', confirms.slice(half), 16));
    const drafts = await sql<{ id: number; author_open_id: string }[]>`
      select id, author_open_id from drafts where state = 'pending_review' order by id limit ${count}`;
    const approves = drafts.map((d) => callback(REVIEWER_OF[d.author_open_id]!, { a: 'draft.approve', draftId: d.id, rev: 1 }));
    const mid = Math.floor(approves.length / 2);
    print('card callback 通过 (approve), 4 people at once', await runLoad(port, '/webhook/event', approves.slice(0, mid), 4));
    print('card callback 通过 (approve), 16 at once', await runLoad(port, '/webhook/event', approves.slice(mid), 16));
    const [decided] = await sql<{ n: number }[]>`select count(*)::int as n from drafts where state = 'approved'`;
    console.log(`drafts approved: ${decided!.n} of ${drafts.length}`);
  } finally {
    await sql.end();
  }
}

function print(label: string, r: LoadResult) {
  console.log(
    `${label}: ${r.count} requests in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)}/s; ack p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; non-200: ${r.errors}`,
  );
}
