/**
 * The server side of the webhook benchmarks, run as a child process so the load generator does not
 * share its event loop: the real app on PostgreSQL talking to the fake Lark (a third process), plus
 * on other ports a bare koa endpoint and the floor (bench/floor.ts) as baselines. Prints one JSON
 * line with ports, credentials and the officers who may send drafts.
 *
 * BENCH_UNITS adds that many units (a reviewer and two officers each) to org.example.yaml: Lark
 * paces sends per recipient (5/s), so answers to three officers cannot show how fast the bot drains.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Koa from 'koa';
import pino from 'pino';
import postgres from 'postgres';
import { createApp } from '../bot/app.js';
import { systemClock } from '../bot/clock.js';
import { loadConfig, type LarkConfig } from '../bot/config.js';
import { createLarkApi } from '../bot/lark-api.js';
import { allFeatures } from '../commands/index.js';
import { createDb } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { importOrg } from '../domain/roster/import-org.js';
import { parseOrgFile } from '../domain/roster/org-file.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startFloor } from './floor.js';

const adminUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = 'gj_bench_webhook';
/** The bot's PostgreSQL pool; the floor gets as many connections. */
const POOL = 10;

/** org.example.yaml with `extra` more units; returns the file and every officer's open_id. */
function benchOrg(extra: number): { text: string; officers: string[] } {
  const org = parseYaml(readFileSync('org.example.yaml', 'utf8')) as { units: { name: string; reviewers: unknown[]; officers: { id: string }[] }[] };
  for (let k = 1; k <= extra; k++) {
    org.units.push({
      name: `基准单位${k}`,
      reviewers: [{ id: `ou_bench_u${k}_r`, name: `委员${k}` }],
      officers: [1, 2].map((j) => ({ id: `ou_bench_u${k}_o${j}`, name: `信息员${k}-${j}` })),
    });
  }
  return { text: stringifyYaml(org), officers: org.units.flatMap((u) => u.officers.map((o) => o.id)) };
}

async function main() {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.unsafe(`create database ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const handle = await createDb({ kind: 'postgres', url: url.toString() }, { maxConnections: POOL });
  await runMigrations(handle);
  const org = benchOrg(Number(process.env.BENCH_UNITS ?? 0));
  await importOrg(handle.db, parseOrgFile(org.text), { actor: 'bench', now: new Date() });

  const lark: LarkConfig = {
    appId: `cli_${randomBytes(8).toString('hex')}`,
    appSecret: 's',
    encryptKey: randomBytes(16).toString('hex'),
    verificationToken: randomBytes(16).toString('hex'),
    baseUrl: '',
    mode: 'webhook',
  };
  const fake = spawn(process.execPath, ['--import', 'tsx', 'bench/fake-lark-server.ts', lark.appId, lark.appSecret], { stdio: ['ignore', 'pipe', 'inherit'] });
  const fakeLine = await new Promise<string>((resolve) => createInterface({ input: fake.stdout! }).once('line', resolve));
  lark.baseUrl = (JSON.parse(fakeLine) as { url: string }).url;
  const log = pino({ level: 'warn' });
  // Lark's 50 a second less a margin: Lark counts a call when it arrives, the outbox when it starts
  // it, so pacing at exactly 50 gets the odd call refused at a second's edge.
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    DATABASE_URL: url.toString(),
    OUTBOX_APP_RATE: '45',
    ...(process.env.INBOX_CONCURRENCY ? { INBOX_CONCURRENCY: process.env.INBOX_CONCURRENCY } : {}),
  });
  const app = createApp({
    config,
    lark,
    db: handle,
    api: createLarkApi({ appId: lark.appId, appSecret: lark.appSecret, baseUrl: lark.baseUrl, log }),
    clock: systemClock,
    log,
    features: allFeatures(),
    jobs: [],
  });
  const { port } = await app.start(0);

  const bare = new Koa();
  bare.use(async (ctx) => {
    for await (const _ of ctx.req); // read the body, as the webhook does
    ctx.body = {};
  });
  const bareServer = bare.listen(0);
  const barePort = (bareServer.address() as { port: number }).port;
  const floor = await startFloor(url.toString(), lark, POOL);
  process.stdout.write(JSON.stringify({ port, barePort, floorPort: floor.port, lark, officers: org.officers }) + '\n');
  process.on('SIGTERM', async () => {
    await app.stop();
    bareServer.close();
    await floor.close();
    fake.kill('SIGTERM');
    await handle.close();
    process.exit(0);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
