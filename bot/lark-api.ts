import { Readable } from 'node:stream';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from './logger.js';

/**
 * The bot's only door to the Lark Open API. Everything the bot sends goes through the outbox
 * worker, which calls this; handlers only use it for reads (files, documents, names).
 */
export interface LarkApi {
  sendMessage(req: SendRequest): Promise<{ messageId: string; chatId: string | undefined }>;
  replyMessage(req: ReplyRequest): Promise<{ messageId: string }>;
  patchCard(messageId: string, content: string): Promise<void>;
  uploadFile(req: { fileName: string; fileType: UploadFileType; bytes: Buffer }): Promise<{ fileKey: string }>;
  downloadMessageFile(req: { messageId: string; fileKey: string; type: 'file' | 'image'; maxBytes: number }): Promise<Buffer>;
  getUserName(openId: string): Promise<string | undefined>;
  /**
   * A person's name from the contact API; undefined when Lark does not know them (or they are
   * outside the app's availability scope). Other failures, a missing scope among them, throw.
   */
  fetchUserName(openId: string): Promise<string | undefined>;
  /** open_ids of people by email and mobile (batch_get_id, at most 50 of each); the unknown are absent. */
  findOpenIds(req: { emails: string[]; mobiles: string[] }): Promise<{ emails: Map<string, string>; mobiles: Map<string, string> }>;
  getBotOpenId(): Promise<string>;
  readDocxText(documentId: string): Promise<string>;
  resolveWikiNode(token: string): Promise<{ objType: string; objToken: string; title: string | undefined }>;
  urgentApp(messageId: string, openIds: string[]): Promise<void>;
}

export type ReceiveIdType = 'open_id' | 'chat_id';
export type MsgType = 'text' | 'post' | 'interactive' | 'file';
export type UploadFileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

export type SendRequest = {
  receiveIdType: ReceiveIdType;
  receiveId: string;
  msgType: MsgType;
  content: string;
  uuid: string;
};
export type ReplyRequest = { messageId: string; msgType: MsgType; content: string; uuid: string };

/** 获取单个用户信息: a person outside the app's contact scope, or no such person. */
const USER_NOT_VISIBLE = 41050;

/** A Lark answer with a non-zero code, or a non-2xx status. */
export class LarkApiError extends Error {
  constructor(
    readonly code: number,
    readonly larkMsg: string,
    readonly httpStatus: number | undefined,
    /** Seconds to wait, from `x-ogw-ratelimit-reset`, when Lark rate-limited the call. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`Lark API error ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ''}: ${larkMsg}`);
    this.name = 'LarkApiError';
  }
  get isRateLimit(): boolean {
    return this.httpStatus === 429 || this.code === 99991400 || this.code === 230020;
  }
  /** 99991672: the app lacks a scope; Lark names the scopes it would accept in brackets. */
  get missingScopes(): string[] | undefined {
    if (this.code !== 99991672) return undefined;
    const m = /\[([^\]]+)\]/.exec(this.larkMsg);
    return m ? m[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
  }
  get isServerError(): boolean {
    return this.httpStatus !== undefined && this.httpStatus >= 500;
  }
}

/** No answer from Lark at all: connection refused, reset or timed out. Always worth a retry. */
export class LarkNetworkError extends Error {
  /**
   * No connection was ever made (refused, no route, no DNS answer: the office's network is down),
   * so Lark cannot have acted on the request. A reset or a timeout may come after Lark took it.
   */
  readonly unsent: boolean;
  constructor(cause: unknown) {
    super(`Lark unreachable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'LarkNetworkError';
    this.unsent = NEVER_CONNECTED.has(networkCode(cause) ?? '');
  }
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The system error code of a failed call: axios copies it, Node's multi-address connect nests it. */
function networkCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string' && e.code !== 'ERR_NETWORK') return e.code;
  return networkCode(e.cause, depth + 1) ?? (Array.isArray(e.errors) ? networkCode(e.errors[0], depth + 1) : undefined);
}

/**
 * Lark refused the app's credentials when asked for a tenant_access_token (10014: the App Secret
 * was reset in the developer console, or LARK_APP_SECRET is wrong): no request went out. Nothing is
 * wrong with what was being sent, and it can go once the configuration is fixed and the bot restarted.
 */
export class LarkCredentialsError extends Error {
  constructor(
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'LarkCredentialsError';
  }
}

/** Logged (at start and by the outbox) while Lark refuses the app's credentials. */
export const CREDENTIALS_REFUSED = '飞书拒绝了应用凭证：请核对 LARK_APP_ID 和 LARK_APP_SECRET（在开发者后台重置过 App Secret 的需同步更新）后重启机器人；待发的消息留在发送队列中，重启后发出';

/** The SDK's own error when the token endpoint answers without a token. */
const TOKEN_REFUSED = /^failed to get (?:tenant|app)_access_token, code: (\d+|unknown)/;

/**
 * Lark is away, asking us to slow down, or refusing the app's credentials (no answer, 5xx, 408,
 * 429, no token): the same request can succeed later, so whatever needed it waits instead of failing.
 */
export function isLarkUnavailable(err: unknown): boolean {
  if (err instanceof LarkNetworkError || err instanceof LarkCredentialsError) return true;
  return err instanceof LarkApiError && (err.isRateLimit || err.isServerError || err.httpStatus === 408);
}

/** The request cannot have reached Lark: no connection was made, or there was no token to send it with. */
export function neverSent(err: unknown): boolean {
  return (err instanceof LarkNetworkError && err.unsent) || err instanceof LarkCredentialsError;
}

const TOKEN_INVALID = new Set([99991663, 99991661, 99991668]);

/** A token cache we can clear: the SDK's default one is process-wide and never drops a dead token. */
class ClearableCache implements lark.Cache {
  private values = new Map<unknown, { value: unknown; expire: number | undefined }>();
  async set(key: string | Symbol, value: unknown, expire?: number) {
    this.values.set(key, { value, expire });
    return true;
  }
  async get(key: string | Symbol) {
    const hit = this.values.get(key);
    if (!hit) return undefined;
    if (hit.expire !== undefined && hit.expire < Date.now()) {
      this.values.delete(key);
      return undefined;
    }
    return hit.value;
  }
  clear() {
    this.values.clear();
  }
}

/** The SDK's default axios instance has no timeout; a hung connection would stall the outbox. */
function withTimeout(timeoutMs: number): lark.HttpInstance {
  const base = lark.defaultHttpInstance;
  const t = <O extends object | undefined>(o: O) => ({ timeout: timeoutMs, ...(o ?? {}) });
  return {
    request: (opts) => base.request(t(opts)),
    get: (url, opts) => base.get(url, t(opts)),
    delete: (url, opts) => base.delete(url, t(opts)),
    head: (url, opts) => base.head(url, t(opts)),
    options: (url, opts) => base.options(url, t(opts)),
    post: (url, data, opts) => base.post(url, data, t(opts)),
    put: (url, data, opts) => base.put(url, data, t(opts)),
    patch: (url, data, opts) => base.patch(url, data, t(opts)),
  } as lark.HttpInstance;
}

type LarkBody = { code?: number; msg?: string; data?: unknown };

/**
 * The SDK logs failed requests with the whole axios error, whose config carries the Authorization
 * header. We report failures ourselves, so its log goes to debug as plain messages only.
 */
function sdkLogger(log: Logger | undefined): lark.Logger {
  const text = (args: unknown[]) =>
    args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : '[object]')).join(' ');
  const write = (...args: unknown[]) => log?.debug({ sdk: true }, text(args));
  return { error: write, warn: write, info: write, debug: write, trace: write };
}

export function createLarkApi(opts: {
  appId: string;
  appSecret: string;
  baseUrl: string;
  timeoutMs?: number;
  /** A download's body may pause this long between bytes (the request timeout ends at the headers). */
  downloadIdleMs?: number;
  log?: Logger;
}): LarkApi {
  const downloadIdleMs = opts.downloadIdleMs ?? 30_000;
  const cache = new ClearableCache();
  const client = new lark.Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.baseUrl,
    cache,
    httpInstance: withTimeout(opts.timeoutMs ?? 15_000),
    logger: sdkLogger(opts.log),
    loggerLevel: lark.LoggerLevel.error,
  });

  /** Runs one SDK call, normalizing every failure to LarkApiError/LarkNetworkError; retries once on a dead token. */
  async function call<T extends LarkBody>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let body: T;
      try {
        body = await fn();
      } catch (err) {
        const e = toLarkError(err);
        if (e instanceof LarkApiError && TOKEN_INVALID.has(e.code) && attempt === 0) {
          cache.clear();
          continue;
        }
        throw e;
      }
      const code = body?.code ?? 0;
      if (code !== 0) {
        if (TOKEN_INVALID.has(code) && attempt === 0) {
          cache.clear();
          continue;
        }
        throw new LarkApiError(code, body?.msg ?? '', 200, undefined);
      }
      return body;
    }
  }

  return {
    async sendMessage(req) {
      const res = await call(() =>
        client.im.v1.message.create({
          params: { receive_id_type: req.receiveIdType },
          data: { receive_id: req.receiveId, msg_type: req.msgType, content: req.content, uuid: req.uuid },
        }),
      );
      return { messageId: required(res.data?.message_id, 'message_id'), chatId: res.data?.chat_id };
    },
    async replyMessage(req) {
      const res = await call(() =>
        client.im.v1.message.reply({
          path: { message_id: req.messageId },
          data: { msg_type: req.msgType, content: req.content, uuid: req.uuid },
        }),
      );
      return { messageId: required(res.data?.message_id, 'message_id') };
    },
    async patchCard(messageId, content) {
      await call(() => client.im.v1.message.patch({ path: { message_id: messageId }, data: { content } }));
    },
    async uploadFile(req) {
      const res = await call(async () => {
        const r = await client.im.v1.file.create({
          data: { file_type: req.fileType, file_name: req.fileName, file: req.bytes },
        });
        // The SDK unwraps this endpoint to `data` (or null on failure), not the {code,msg,data} body.
        return { code: r?.file_key ? 0 : -1, msg: 'upload failed', data: r } as LarkBody & { data: typeof r };
      });
      return { fileKey: required(res.data?.file_key, 'file_key') };
    },
    async downloadMessageFile(req) {
      for (let attempt = 0; ; attempt++) {
        let stream: Readable;
        try {
          const res = await client.im.v1.messageResource.get({
            path: { message_id: req.messageId, file_key: req.fileKey },
            params: { type: req.type },
          });
          stream = res.getReadableStream();
        } catch (err) {
          const e = await toLarkErrorReadingBody(err);
          if (e instanceof LarkApiError && TOKEN_INVALID.has(e.code) && attempt === 0) {
            cache.clear();
            continue;
          }
          throw e;
        }
        return readLimited(stream, req.maxBytes, downloadIdleMs);
      }
    },
    async getUserName(openId) {
      try {
        const res = await call(() =>
          client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } }),
        );
        return res.data?.user?.name ?? undefined;
      } catch {
        // A missing contact scope must not break a flow: the name is cosmetic.
        return undefined;
      }
    },
    async fetchUserName(openId) {
      try {
        const res = await call(() =>
          client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } }),
        );
        return res.data?.user?.name || undefined;
      } catch (err) {
        if (err instanceof LarkApiError && err.code === USER_NOT_VISIBLE) return undefined;
        throw err;
      }
    },
    async findOpenIds(req) {
      const res = await call(() =>
        client.contact.v3.user.batchGetId({
          params: { user_id_type: 'open_id' },
          data: { emails: req.emails, mobiles: req.mobiles, include_resigned: false },
        }),
      );
      const emails = new Map<string, string>();
      const mobiles = new Map<string, string>();
      for (const u of res.data?.user_list ?? []) {
        if (!u.user_id) continue;
        if (u.email) emails.set(u.email, u.user_id);
        if (u.mobile) mobiles.set(u.mobile, u.user_id);
      }
      return { emails, mobiles };
    },
    async getBotOpenId() {
      const res = await call(() =>
        client.request<LarkBody & { bot?: { open_id?: string } }>({ method: 'GET', url: '/open-apis/bot/v3/info' }),
      );
      return required(res.bot?.open_id, 'bot.open_id');
    },
    async readDocxText(documentId) {
      const res = await call(() => client.docx.v1.document.rawContent({ path: { document_id: documentId } }));
      return res.data?.content ?? '';
    },
    async resolveWikiNode(token) {
      const res = await call(() => client.wiki.v2.space.getNode({ params: { token, obj_type: 'wiki' } }));
      const node = res.data?.node;
      return { objType: node?.obj_type ?? '', objToken: node?.obj_token ?? '', title: node?.title };
    },
    async urgentApp(messageId, openIds) {
      await call(() =>
        client.im.v1.message.urgentApp({
          path: { message_id: messageId },
          params: { user_id_type: 'open_id' },
          data: { user_id_list: openIds },
        }),
      );
    },
  };
}

/** Raised when a download exceeds its limit; the partial bytes are discarded. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

/** Raised when a download's body stops arriving; the connection is closed. */
export class DownloadStalledError extends Error {
  constructor(readonly idleMs: number) {
    super(`download received no data for ${idleMs} ms`);
    this.name = 'DownloadStalledError';
  }
}

/**
 * Reads a response body up to `maxBytes`. axios's timeout stops counting once the headers are in,
 * so a connection that goes quiet mid-body would hold the message (and its inbox slot) forever:
 * after `idleMs` without a byte the stream is destroyed.
 */
async function readLimited(stream: Readable, maxBytes: number, idleMs?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (!idleMs) return;
    clearTimeout(timer);
    timer = setTimeout(() => stream.destroy(new DownloadStalledError(idleMs)), idleMs);
  };
  arm();
  try {
    for await (const chunk of stream) {
      arm();
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buf.length;
      if (size > maxBytes) {
        stream.destroy();
        throw new FileTooLargeError(maxBytes);
      }
      chunks.push(buf);
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks);
}

/**
 * Downloads ask axios for a stream, so an error's JSON body ({code, msg}) arrives as a stream too;
 * read it (it is small) so the caller sees Lark's code, e.g. 234003 or 234037.
 */
async function toLarkErrorReadingBody(err: unknown): Promise<LarkApiError | LarkNetworkError | LarkCredentialsError> {
  const e = err as AxiosLike;
  const data = e?.response?.data;
  if (data instanceof Readable) {
    try {
      const text = (await readLimited(data, 64 * 1024, 10_000)).toString('utf8');
      e.response!.data = text;
    } catch {
      e.response!.data = undefined;
    }
  }
  return toLarkError(err);
}

function required<T>(v: T | undefined | null, what: string): T {
  if (v === undefined || v === null || v === '') throw new LarkApiError(-1, `response without ${what}`, 200, undefined);
  return v;
}

type AxiosLike = {
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
  code?: string;
  message?: string;
};

export function toLarkError(err: unknown): LarkApiError | LarkNetworkError | LarkCredentialsError {
  if (err instanceof LarkApiError || err instanceof LarkNetworkError || err instanceof LarkCredentialsError) return err;
  const refused = err instanceof Error ? TOKEN_REFUSED.exec(err.message) : null;
  if (refused) return new LarkCredentialsError(refused[1] === 'unknown' ? undefined : Number(refused[1]), err instanceof Error ? err.message : String(err));
  const e = err as AxiosLike;
  if (e?.response) {
    let data = e.response.data as LarkBody | Buffer | Readable | string | undefined;
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data) as LarkBody;
      } catch {
        /* not JSON: keep the text */
      }
    }
    const body = data && typeof data === 'object' && !Buffer.isBuffer(data) && !(data instanceof Readable) ? (data as LarkBody) : {};
    const reset = Number(e.response.headers?.['x-ogw-ratelimit-reset']);
    return new LarkApiError(
      body.code ?? -1,
      body.msg ?? `HTTP ${e.response.status}`,
      e.response.status,
      Number.isFinite(reset) && reset >= 0 ? reset : undefined,
    );
  }
  return new LarkNetworkError(err);
}
