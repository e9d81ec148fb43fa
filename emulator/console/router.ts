import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readRaw } from '../../bot/receivers/raw-body.js';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { LarkConfig } from '../../bot/config.js';
import type { FakeLark } from '../open-api/index.js';
import { interpretAnswer } from './callback-answer.js';
import { deliverCardAction, deliverFile, deliverText, DeliveryError, type CardInput, type Chat } from './deliver.js';
import type { ConsoleDirectory } from './directory.js';
import { EventStreams } from './sse.js';
import type { Transcript } from './transcript.js';

export type ConsoleOptions = {
  fake: FakeLark;
  lark: Pick<LarkConfig, 'appId' | 'encryptKey' | 'verificationToken'>;
  transcript: Transcript;
  directory: () => Promise<ConsoleDirectory>;
  /** The bot's webhook path on this same server. */
  webhookPath?: string;
};

export type Console = {
  router: Router;
  streams: EventStreams;
  /** This start's API token: the served page carries it; every /console/api request must too. */
  token: string;
  stop(): void;
};

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
const STATIC_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};
const MAX_JSON_BYTES = 1024 * 1024;
/** Lark's limit for a file a user sends in a chat is far higher; drafts are small documents. */
const MAX_FILE_BYTES = 30 * 1024 * 1024;

/**
 * The browser console: plays Lark for every roster person. Everything a person does goes to the bot
 * as Lark would deliver it (signed, encrypted webhook POSTs to this same server).
 */
export function createConsole(o: ConsoleOptions): Console {
  const router = new Router();
  const streams = new EventStreams();
  const token = randomBytes(24).toString('base64url');
  // First: no page or API for another site (cross-site requests, DNS rebinding).
  router.use((ctx, next) => guard(ctx, next, token));
  // Registered first so it wraps every route: a person's failed action becomes a readable answer.
  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof DeliveryError || err instanceof ConsoleInputError) return userError(ctx, err.message);
      throw err;
    }
  });
  const onEntry = (entry: unknown, kind: string) => streams.send(kind === 'new' ? 'message' : 'update', entry);
  o.transcript.on('entry', onEntry);

  const target = (ctx: Context) => ({
    lark: o.lark,
    fake: o.fake,
    // The request arrived on the bot's own server: post back to the same port.
    webhookUrl: `http://127.0.0.1:${ctx.req.socket.localPort}${o.webhookPath ?? '/webhook/event'}`,
  });

  router.get('/', (ctx) => serveStatic(ctx, 'index.html', token));
  router.get('/console/static/:name', (ctx) => serveStatic(ctx, ctx.params['name'] ?? ''));

  router.get('/console/api/state', async (ctx) => {
    const dir = await o.directory();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      bot: { openId: o.fake.botOpenId, name: o.fake.botName },
      department: dir.department,
      group: dir.group ?? null,
      people: dir.people.map((p) => ({ ...p, p2pChatId: o.fake.p2pChatIdFor(p.openId) })),
      messages: o.transcript.entries(),
    };
  });

  router.get('/console/api/stream', (ctx) => streams.attach(ctx));

  router.post('/console/api/send', async (ctx) => {
    const body = await readJson(ctx);
    const as = await person(o, body['as']);
    const text = typeof body['text'] === 'string' ? body['text'].trim() : '';
    if (!text) return userError(ctx, '消息不能为空');
    const chat = await chatOf(o, as, body['chat']);
    // A reply to a message (Lark's 回复): the bot reads it as an answer to that card.
    const parentId = typeof body['replyTo'] === 'string' && o.transcript.get(body['replyTo']) ? body['replyTo'] : undefined;
    const { messageId } = await deliverText(target(ctx), as, chat, text, { mentionBot: chat.chatType === 'group' && body['mentionBot'] !== false, parentId });
    ctx.body = { ok: true, messageId };
  });

  router.post('/console/api/file', async (ctx) => {
    const as = await person(o, ctx.query['as']);
    const chat = await chatOf(o, as, ctx.query['chat']);
    const name = typeof ctx.query['name'] === 'string' ? ctx.query['name'].trim() : '';
    if (!name) return userError(ctx, '缺少文件名');
    const bytes = await readRaw(ctx, MAX_FILE_BYTES);
    if (!bytes) return userError(ctx, '文件太大（超过 30 MB）');
    if (!bytes.length) return userError(ctx, '文件是空的');
    const replyTo = typeof ctx.query['replyTo'] === 'string' ? ctx.query['replyTo'] : '';
    const { messageId } = await deliverFile(target(ctx), as, chat, name, bytes, { parentId: replyTo && o.transcript.get(replyTo) ? replyTo : undefined });
    ctx.body = { ok: true, messageId };
  });

  router.post('/console/api/action', async (ctx) => {
    const body = await readJson(ctx);
    const as = await person(o, body['as']);
    const messageId = typeof body['messageId'] === 'string' ? body['messageId'] : '';
    if (!o.transcript.get(messageId)) return userError(ctx, '找不到这张卡片');
    const input: CardInput = { value: body['value'] ?? {} };
    for (const k of ['formValue', 'option', 'options', 'inputValue', 'checked', 'name', 'tag'] as const) {
      if (body[k] !== undefined) (input as Record<string, unknown>)[k] = body[k];
    }
    const answer = interpretAnswer(await deliverCardAction(target(ctx), as, messageId, input));
    if (answer.card) o.transcript.applyCard(messageId, answer.card);
    ctx.body = { ok: true, toast: answer.toast ?? null, card: answer.card ?? null };
  });

  router.get('/console/api/files/:fileKey', (ctx) => {
    const file = o.fake.uploadedFiles.find((f) => f.fileKey === ctx.params['fileKey']);
    if (!file) {
      ctx.status = 404;
      ctx.body = '文件已不在模拟器中（重启后机器人发出的文件不再保留）';
      return;
    }
    ctx.attachment(file.fileName);
    ctx.body = file.bytes;
  });

  return {
    router,
    streams,
    token,
    stop() {
      o.transcript.off('entry', onEntry);
      streams.closeAll();
    },
  };
}

class ConsoleInputError extends Error {}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The console lets anyone act as anyone, so only this machine's browser, on a page this server
 * served in this start, may use it:
 * - Host must name the loopback interface and this port: a page of another site whose name was
 *   pointed at 127.0.0.1 (DNS rebinding) is refused, page and API alike;
 * - /console/api wants this start's token (the page's meta tag; `?token=` for an event stream or a
 *   download link, which cannot set headers);
 * - a POST must come from this same origin and carry a type a cross-site form cannot send
 *   (JSON; raw bytes for a file), so the browser would have asked first, and we never say yes.
 */
async function guard(ctx: Context, next: () => Promise<unknown>, token: string) {
  const host = ctx.get('Host');
  const m = /^(localhost|127\.0\.0\.1|\[::1\])(?::(\d+))?$/i.exec(host);
  const port = String(ctx.req.socket.localPort ?? '');
  if (!m || !LOOPBACK_HOSTS.has(m[1]!.toLowerCase()) || (m[2] ?? '80') !== port) {
    ctx.status = 421;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = `本地控制台只接受本机访问：请打开 http://localhost:${port}/`;
    return;
  }
  if (!ctx.path.startsWith('/console/api/')) return next();
  const given = ctx.get('X-Console-Token') || (ctx.method === 'GET' && typeof ctx.query['token'] === 'string' ? ctx.query['token'] : '');
  if (!sameSecret(given, token)) {
    ctx.status = 403;
    ctx.body = { ok: false, error: '控制台页面已过期（机器人重新启动过）：请刷新页面后再操作' };
    return;
  }
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    if (ctx.get('Origin') !== `http://${host}`) {
      ctx.status = 403;
      ctx.body = { ok: false, error: '只接受本控制台页面发出的操作' };
      return;
    }
    const wanted = ctx.path === '/console/api/file' ? 'application/octet-stream' : 'application/json';
    if (!ctx.is(wanted)) {
      ctx.status = 415;
      ctx.body = { ok: false, error: `请求格式有误（应为 ${wanted}）` };
      return;
    }
  }
  return next();
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function userError(ctx: Context, message: string) {
  ctx.status = 400;
  ctx.body = { ok: false, error: message };
}

async function person(o: ConsoleOptions, id: unknown): Promise<string> {
  const dir = await o.directory();
  const p = dir.people.find((x) => x.openId === id);
  if (!p) throw new ConsoleInputError('请先选择名册中的人员');
  return p.openId;
}

async function chatOf(o: ConsoleOptions, openId: string, which: unknown): Promise<Chat> {
  if (which === 'group') {
    const dir = await o.directory();
    if (!dir.group) throw new ConsoleInputError('名册中没有工作群');
    return { chatId: dir.group.chatId, chatType: 'group' };
  }
  return { chatId: o.fake.p2pChatIdFor(openId), chatType: 'p2p' };
}

async function serveStatic(ctx: Context, name: string, token?: string) {
  const ext = name.split('.').pop() ?? '';
  const type = STATIC_TYPES[ext];
  if (!type || !/^[a-z0-9-]+\.[a-z]+$/.test(name)) {
    ctx.status = 404;
    return;
  }
  try {
    const bytes = await readFile(STATIC_DIR + name);
    // The page is the one place the token is handed out (same-origin reads only).
    ctx.body = token ? bytes.toString('utf8').replace('<meta name="console-token" content="">', `<meta name="console-token" content="${token}">`) : bytes;
    ctx.type = type;
    ctx.set('Cache-Control', token ? 'no-store' : 'no-cache');
  } catch {
    ctx.status = 404;
  }
}

async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  const raw = await readRaw(ctx, MAX_JSON_BYTES);
  if (!raw) throw new ConsoleInputError('请求太大');
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ConsoleInputError('请求格式有误');
}
