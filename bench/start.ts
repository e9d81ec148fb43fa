/**
 * npm run bench -- start [--url postgres://…] [--runs 7] [--record]
 * The compiled bot's clean start to a healthy /healthz on PostgreSQL with an up-to-date schema: the
 * time from spawning `node dist/bot/main.js` (as the image runs it) to the first 200. The fake Lark
 * runs in this process, as in tests/deploy; it answers the start's token and bot-info calls.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { startFakeLark } from '../emulator/open-api/index.js';
import { ensureBuilt, ROOT } from '../scripts/build.mjs';
import { openBenchDb } from './bench-db.js';
import { formatMs as f, median, Report, timingCells } from './results.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/gj_bench_start';
/** The target for a clean start to healthy. */
const TARGET_MS = 3000;

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  s.close();
  return port;
}

/** One start: milliseconds from spawn to the first healthy answer, then a clean stop. */
async function startOnce(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ['dist/bot/main.js'], { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit');
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}:\n${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return Number(process.hrtime.bigint() - t0) / 1e6;
      if (Number(process.hrtime.bigint() - t0) > 60e9) throw new Error(`no healthy answer in 60 s:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function startMain(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { url: { type: 'string', default: DEFAULT_URL }, runs: { type: 'string', default: '7' }, record: { type: 'boolean', default: false } },
  });
  const runs = Math.max(3, Number(values.runs));
  console.log(`dist/: ${await ensureBuilt()}`);
  // An up-to-date schema, as after an earlier start: the timed starts find nothing to migrate.
  await (await openBenchDb(values.url!)).close();
  const appId = 'cli_b3nchst4rt000000';
  const fake = await startFakeLark({ appId, appSecret: 'bench-secret', botOpenId: 'ou_bot', botName: '稿件助手' });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: values.url!,
    LARK_APP_ID: appId,
    LARK_APP_SECRET: 'bench-secret',
    LARK_ENCRYPT_KEY: 'bench-encrypt-key',
    LARK_VERIFICATION_TOKEN: 'bench-token',
    LARK_BASE_URL: fake.url,
  };
  try {
    await startOnce(env); // warm the file cache, as a restarted container has it
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await startOnce(env));
    const report = new Report();
    report.say(`Clean start of the compiled bot (\`node dist/bot/main.js\`, webhook mode, Node ${process.version}) on PostgreSQL with an up-to-date schema, to the first 200 from /healthz; ${runs} starts after one warm-up.`);
    report.say();
    report.say('| what | median | min | max |');
    report.say('| --- | ---: | ---: | ---: |');
    report.say(`| spawn → healthy | ${timingCells(times)} |`);
    report.say();
    report.say(`Target: under ${f(TARGET_MS)}; this run ${median(times) < TARGET_MS ? 'meets' : 'misses'} it (median ${f(median(times))}).`);
    if (values.record) report.record('start', 'Clean start to healthy');
  } finally {
    await fake.close();
  }
}
