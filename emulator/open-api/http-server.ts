/**
 * The HTTP side of the fake: routing, gateway behaviour (auth, app-wide rate
 * limits, 404s), failure injection, outage simulation and call recording.
 * Endpoint logic lives in routes/.
 *
 * Gateway facts (third-party probe log of open.feishu.cn, 2026-09; frequency
 * control doc):
 * - unknown path or wrong method → HTTP 404, text/plain "404 page not found"
 *   (not the JSON 99991201/99991301 the generic error table lists);
 * - missing token or no "Bearer " prefix → HTTP 400, code 99991661; unknown or
 *   expired token → HTTP 400, code 99991663; both carry error.log_id;
 * - rate limit → HTTP 429, code 99991400, x-ogw-ratelimit-limit/-reset headers.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FailureInjector } from './failure-injector.js';
import { LarkApiError, errorBody } from './lark-error.js';
import type { LarkState } from './lark-state.js';
import { multipartBoundary, parseMultipart, type MultipartPart } from './multipart.js';
import { matchPath, type HttpMethod, type Route, type RouteResponse } from './route.js';
import type { StallInjector } from './stall.js';
import type { RecordedCall } from './types.js';

/** Buffer at most this much of a body; uploads above 30 MB are refused anyway. */
const MAX_BUFFERED_BODY = 40 * 1024 * 1024;

interface Outcome {
  response: RouteResponse & { text?: string };
  recordedBody: unknown;
  injected: boolean;
}

export class OpenApiServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private down = false;
  private port = 0;
  private logSeq = 0;

  constructor(
    private readonly state: LarkState,
    private readonly routes: readonly Route[],
    private readonly failures: FailureInjector,
    private readonly stalls: StallInjector,
  ) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    });
    this.server.on('connection', (socket: Socket) => {
      if (this.down) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        const address = this.server.address();
        this.port = typeof address === 'object' && address ? address.port : port;
        resolve(this.port);
      });
    });
  }

  /**
   * The network between the bot and Lark is gone (no route, no DNS): connections are refused, as
   * nothing listens on the port, until `setUnreachable(false)` listens on it again.
   */
  async setUnreachable(unreachable: boolean): Promise<void> {
    if (unreachable) {
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        for (const socket of this.sockets) socket.destroy();
      });
    } else {
      await this.listen(this.port);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  /** Network outage: drop open connections and reset every new one. */
  setDown(down: boolean): void {
    this.down = down;
    if (down) for (const socket of this.sockets) socket.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = this.state.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    if (this.down) {
      this.record({ method, path, query: queryObject(url.searchParams), body: undefined, status: 0, response: 'connection reset (outage)', responseHeaders: {}, time, injected: true });
      req.socket.destroy();
      return;
    }
    const { body, tooLarge } = await readBody(req);
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const logId = this.nextLogId(time);
    const outcome = this.dispatch(method, path, url.searchParams, req, body, tooLarge, logId, time);
    const { response } = outcome;
    const headers: Record<string, string> = { 'x-tt-logid': logId, ...response.headers };
    let payload: Buffer;
    if (response.bytes) {
      payload = response.bytes;
    } else if (response.text !== undefined) {
      payload = Buffer.from(response.text);
      headers['content-type'] = 'text/plain; charset=utf-8';
    } else {
      payload = Buffer.from(JSON.stringify(response.json ?? {}));
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    headers['content-length'] = String(payload.length);
    res.writeHead(response.status, headers);
    const stall = this.stalls.take(method, path);
    if (stall) {
      // Headers (and maybe a first slice) go out, then the connection goes quiet.
      const head = Math.min(stall.rule.afterBytes ?? 0, payload.length);
      res.flushHeaders();
      if (head > 0) res.write(payload.subarray(0, head));
      stall.enter();
      await Promise.race([stall.released, new Promise((resolve) => res.once('close', resolve))]);
      stall.leave();
      if (res.destroyed) return;
      res.end(payload.subarray(head));
    } else {
      res.end(payload);
    }
    this.record({
      method,
      path,
      query: queryObject(url.searchParams),
      body: outcome.recordedBody,
      status: response.status,
      response: response.json ?? response.text ?? { bytes: payload.length, contentType: headers['content-type'] },
      responseHeaders: headers,
      time,
      injected: outcome.injected,
    });
  }

  private dispatch(
    method: string,
    path: string,
    query: URLSearchParams,
    req: IncomingMessage,
    raw: Buffer,
    tooLarge: boolean,
    logId: string,
    now: number,
  ): Outcome {
    const found = this.findRoute(method, path);
    if (!found) return { response: { status: 404, text: '404 page not found' }, recordedBody: rawSummary(raw), injected: false };
    const { route, params } = found;

    let parts: MultipartPart[] = [];
    let body: Record<string, unknown> = {};
    let recordedBody: unknown = rawSummary(raw);
    try {
      if (route.body === 'multipart') {
        const boundary = multipartBoundary(req.headers['content-type']);
        parts = boundary && !tooLarge ? parseMultipart(raw, boundary) : [];
        recordedBody = {
          fields: Object.fromEntries(parts.filter((p) => p.filename === undefined && p.name !== 'file').map((p) => [p.name, p.data.toString('utf8')])),
          files: parts.filter((p) => p.name === 'file' || p.filename !== undefined).map((p) => ({ name: p.name, filename: p.filename, size: p.data.length })),
        };
      } else if (route.body === 'json') {
        body = parseJsonBody(raw);
        recordedBody = body;
      }
    } catch (err) {
      return { response: this.errorResponse(err, logId), recordedBody, injected: false };
    }

    const injected = this.failures.take(method, path, logId);
    if (injected) return { response: injected, recordedBody, injected: true };

    try {
      if (route.auth !== false) this.authenticate(req.headers.authorization);
      this.applyGatewayLimits(route, now);
      this.checkScopes(route);
      const response = route.handle(
        { method: method as HttpMethod, path, params, query, headers: req.headers, body, parts, bodyTooLarge: tooLarge, now },
        this.state,
      );
      return { response, recordedBody, injected: false };
    } catch (err) {
      return { response: this.errorResponse(err, logId), recordedBody, injected: false };
    }
  }

  private findRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = matchPath(route.pattern, path);
      if (params) return { route, params };
    }
    return undefined;
  }

  private authenticate(header: string | undefined): void {
    const match = /^Bearer (.+)$/.exec(header ?? '');
    if (!match?.[1]) throw new LarkApiError(400, 99991661, 'Missing access token for authorization. Please make a request with token attached.');
    if (!this.state.isValidToken(match[1])) {
      throw new LarkApiError(400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
    }
  }

  /**
   * An app without any of the route's scopes gets 99991672 (HTTP 400), the message naming the
   * scopes in brackets as Lark's does ("Access denied. One of the following scopes is required: [...]").
   */
  private checkScopes(route: Route): void {
    if (!route.scopes?.length || route.scopes.some((s) => this.state.hasScope(s))) return;
    throw new LarkApiError(
      400,
      99991672,
      `Access denied. One of the following scopes is required: [${route.scopes.join(', ')}].应用尚未开通所需的应用身份权限：[${route.scopes.join(', ')}]`,
    );
  }

  /** Per-API app-wide limits, enforced by Lark's gateway before the service. */
  private applyGatewayLimits(route: Route, now: number): void {
    const windows: Array<[string, number, number]> = [];
    if (route.limits?.perSecond) windows.push([`gateway:${route.name}:s`, route.limits.perSecond, 1000]);
    if (route.limits?.perMinute) windows.push([`gateway:${route.name}:m`, route.limits.perMinute, 60_000]);
    for (const [key, limit, windowMs] of windows) {
      const wait = this.state.limiter.waitTime(key, limit, windowMs, now);
      if (wait > 0) {
        throw new LarkApiError(429, 99991400, 'request trigger frequency limit', undefined, {
          'x-ogw-ratelimit-limit': String(limit),
          'x-ogw-ratelimit-reset': String(Math.ceil(wait / 1000)),
        });
      }
    }
    for (const [key] of windows) this.state.limiter.record(key, now);
  }

  private errorResponse(err: unknown, logId: string): RouteResponse {
    if (err instanceof LarkApiError) {
      return { status: err.status, json: errorBody(err.code, err.message, logId, err.errorDetail), ...(err.headers ? { headers: err.headers } : {}) };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { status: 500, json: errorBody(-1, `emulator internal error: ${message}`, logId) };
  }

  private record(call: RecordedCall): void {
    this.state.calls.push(call);
    this.state.events.emit('call', call);
  }

  /** Lark log ids look like `20240913161357` + 20 hex digits. */
  private nextLogId(now: number): string {
    const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
    this.logSeq += 1;
    return `${stamp}${this.logSeq.toString(16).toUpperCase().padStart(20, '0')}`;
  }
}

function parseJsonBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new LarkApiError(400, 99992402, 'field validation failed', {
      field_violations: [{ field: 'body', description: 'request body is not valid JSON' }],
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LarkApiError(400, 99992402, 'field validation failed', {
      field_violations: [{ field: 'body', description: 'request body must be a JSON object' }],
    });
  }
  return parsed as Record<string, unknown>;
}

function rawSummary(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return { bytes: raw.length };
  }
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BUFFERED_BODY) tooLarge = true;
    else chunks.push(buf);
  }
  return { body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge };
}
