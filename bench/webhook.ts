/**
 * Webhook throughput: signed, encrypted im.message.receive_v1 events through /webhook/event on
 * PostgreSQL, against a bare koa endpoint in the same run. Target (issue #3): >= 1,000 events/s with
 * p99 acknowledgement < 100 ms. Run: npm run bench -- webhook
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { buildSignedRequest, textMessage } from '../emulator/lark-events.js';
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
  } finally {
    child.kill('SIGTERM');
  }
}

function print(label: string, r: LoadResult) {
  console.log(
    `${label}: ${r.count} requests in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)}/s; ack p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; non-200: ${r.errors}`,
  );
}
