import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { LarkConfig } from '../../../bot/config.js';
import { startFakeLark, type FakeLark } from '../../../emulator/open-api/index.js';
import { buildSignedRequest, fileMessage, textMessage } from '../../../emulator/lark-events.js';
import { ensureBuilt } from '../../../scripts/build.mjs';
import { childEnv, freePort, REPO } from '../../local/helpers/bot-process.js';
import { createPostgresDatabase, dropPostgresDatabase, withDatabase } from '../../helpers/db-template.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../helpers/private-postgres.js';

export { ensureBuilt };

/** A Lark app as the bot would be configured for, talking to a fake Lark in this process. */
export async function fakeLarkApp(): Promise<{ fake: FakeLark; lark: LarkConfig }> {
  const lark: LarkConfig = {
    appId: `cli_${randomBytes(8).toString('hex')}`,
    appSecret: 'deploy-secret',
    encryptKey: `ek-${randomBytes(6).toString('hex')}`,
    verificationToken: `vt-${randomBytes(6).toString('hex')}`,
    baseUrl: '',
    mode: 'webhook',
  };
  const fake = await startFakeLark({ appId: lark.appId, appSecret: lark.appSecret, botOpenId: 'ou_bot', botName: '稿件助手' });
  lark.baseUrl = fake.url;
  return { fake, lark };
}

export function larkEnv(lark: LarkConfig): Record<string, string> {
  return {
    LARK_APP_ID: lark.appId,
    LARK_APP_SECRET: lark.appSecret,
    LARK_ENCRYPT_KEY: lark.encryptKey!,
    LARK_VERIFICATION_TOKEN: lark.verificationToken,
    LARK_BASE_URL: lark.baseUrl,
  };
}

/**
 * The database a child bot uses: a fresh PostgreSQL database when the suite runs on PostgreSQL
 * (migrated by the bot itself at start), otherwise an embedded one in `dir`.
 */
export async function childDatabase(dir: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { env: { PGLITE_DIR: join(dir, 'db') }, drop: async () => {} };
  const name = `gj_deploy_${randomBytes(5).toString('hex')}`;
  await createPostgresDatabase(url, name);
  return { env: { DATABASE_URL: withDatabase(url, name) }, drop: () => dropPostgresDatabase(url, name) };
}

export type BuiltBot = {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
};

/** `node dist/bot/main.js`: the compiled bot exactly as the image runs it; resolves once it serves. */
export async function startBuiltBot(env: Record<string, string>, timeoutMs = 120_000): Promise<BuiltBot> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO, 'dist/bot/main.js')], {
    cwd: REPO,
    env: childEnv({ PORT: String(port), LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!output.includes('机器人已启动')) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`the bot did not come up in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, exited };
}

/** What a private message from `from` carries whatever its kind, as the fake's app receives it. */
function p2pFrom(lark: LarkConfig, fake: FakeLark, from: string, messageId: string) {
  return { senderOpenId: from, chatId: fake.p2pChatIdFor(from), chatType: 'p2p' as const, messageId, appId: lark.appId, token: lark.verificationToken };
}

/** A text message event from `from` (p2p), registered with the fake like a real delivery. */
export function textEvent(lark: LarkConfig, fake: FakeLark, from: string, messageId: string, text: string): object {
  const event = textMessage({ ...p2pFrom(lark, fake, from, messageId), text } as Parameters<typeof textMessage>[0]);
  fake.registerEvent(event);
  return event;
}

/** A file message from `from` (p2p) with its bytes registered as the message's resource in the fake. */
export function fileEvent(lark: LarkConfig, fake: FakeLark, from: string, messageId: string, fileName: string, bytes: Buffer): object {
  const fileKey = `file_v3_${messageId}`;
  fake.addMessageResource({ messageId, fileKey, bytes, fileName, type: 'file' } as never);
  const event = fileMessage({ ...p2pFrom(lark, fake, from, messageId), fileKey, fileName } as Parameters<typeof fileMessage>[0]);
  fake.registerEvent(event);
  return event;
}

/**
 * POSTs an event as Lark does (encrypted and signed now: a re-delivery is signed anew); a refused
 * or reset connection counts as status 0, after which Lark would deliver again.
 */
export async function deliver(url: string, lark: LarkConfig, event: object): Promise<number> {
  const req = buildSignedRequest(event, { encryptKey: lark.encryptKey, verificationToken: lark.verificationToken });
  try {
    const res = await fetch(url + '/webhook/event', { method: 'POST', headers: req.headers, body: req.body });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Polls `check` every 100 ms until it holds, failing with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads one unlabelled value of a metric from /metrics. */
export async function metricValue(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(url + '/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line ? Number(line.slice(name.length + 1)) : undefined;
}

/** What a test file of the built bot shares: a data directory, a fake Lark app and a database for its children. */
export type BuiltWorld = { dir: string; fake: FakeLark; lark: LarkConfig; database: Awaited<ReturnType<typeof childDatabase>> };

/**
 * Registers the file's set-up and clean-up: the build, the fake Lark app and the children's database,
 * all removed afterwards. `enabled: false` (a PostgreSQL-only file on PGlite) sets up nothing.
 */
export function builtWorld(prefix: string, o: { enabled?: boolean } = {}): BuiltWorld {
  const world = { dir: mkdtempSync(join(tmpdir(), prefix)) } as BuiltWorld;
  beforeAll(async () => {
    if (o.enabled === false) return;
    await ensureBuilt();
    Object.assign(world, await fakeLarkApp());
    world.database = await childDatabase(world.dir);
  }, 300_000);
  afterAll(async () => {
    await world.fake?.close();
    await world.database?.drop();
    rmSync(world.dir, { recursive: true, force: true });
  });
  return world;
}

/** A PostgreSQL server of the file's own (for tests that restart or lock it), the build and a fake Lark app. */
export type PrivatePostgresWorld = { pg: PrivatePostgres; fake: FakeLark; lark: LarkConfig };

/** Registers the set-up and clean-up of a PrivatePostgresWorld, as builtWorld does for the shared one. */
export function privatePostgresWorld(): PrivatePostgresWorld {
  const world = {} as PrivatePostgresWorld;
  beforeAll(async () => {
    await ensureBuilt();
    world.pg = await startPrivatePostgres();
    Object.assign(world, await fakeLarkApp());
  }, 300_000);
  afterAll(async () => {
    await world.fake?.close();
    await world.pg?.destroy();
  });
  return world;
}
