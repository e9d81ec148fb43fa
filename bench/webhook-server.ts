/**
 * The server side of the webhook benchmark, run as a child process so the load generator does not
 * share its event loop: the real app on PostgreSQL talking to the fake Lark (a third process), plus a bare koa endpoint on
 * another port as the baseline. Prints one JSON line with ports and credentials.
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

const adminUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = 'gj_bench_webhook';

async function main() {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.unsafe(`create database ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const handle = await createDb({ kind: 'postgres', url: url.toString() }, { maxConnections: 10 });
  await runMigrations(handle);
  await importOrg(handle.db, parseOrgFile(readFileSync('org.example.yaml', 'utf8')), { actor: 'bench', now: new Date() });

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
  const config = loadConfig({ LOG_LEVEL: 'warn', DATABASE_URL: url.toString(), OUTBOX_APP_RATE: '50' });
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
  process.stdout.write(JSON.stringify({ port, barePort, lark }) + '\n');
  process.on('SIGTERM', async () => {
    await app.stop();
    bareServer.close();
    fake.kill('SIGTERM');
    await handle.close();
    process.exit(0);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
