/**
 * The contract between the HTTP server and endpoint handlers: a route is a
 * method + path pattern + a pure-ish handler over the shared {@link LarkState}.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { fieldError } from './lark-error.js';
import type { LarkState } from './lark-state.js';
import type { MultipartPart } from './multipart.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRequest {
  method: HttpMethod;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (`{}` when empty) for json routes. */
  body: Record<string, unknown>;
  /** Parts of a multipart body, for multipart routes. */
  parts: MultipartPart[];
  /** True when the body exceeded the server's buffering cap. */
  bodyTooLarge: boolean;
  now: number;
}

export interface RouteResponse {
  status: number;
  json?: unknown;
  bytes?: Buffer;
  headers?: Record<string, string>;
}

export interface Route {
  method: HttpMethod;
  /** Path with `:param` segments, e.g. `/open-apis/im/v1/messages/:message_id`. */
  pattern: string;
  /** Stable name, also the key of the app-wide rate-limit buckets. */
  name: string;
  /** Requires `Authorization: Bearer <tenant token>` (default true). */
  auth?: boolean;
  /** App-wide gateway limits for this API (HTTP 429 / 99991400 when exceeded). */
  limits?: { perSecond?: number; perMinute?: number };
  body?: 'json' | 'multipart';
  /** Scopes of which the app needs one; without it the gateway answers 99991672 naming them. */
  scopes?: readonly string[];
  handle(req: RouteRequest, state: LarkState): RouteResponse;
}

/** Standard IM limits: 1000/min and 50/s per app (frequency-control doc). */
export const IM_LIMITS = { perSecond: 50, perMinute: 1000 } as const;

/** `{code:0, msg, data}` success envelope. */
export function ok(data: unknown, msg = 'success'): RouteResponse {
  return { status: 200, json: { code: 0, msg, data } };
}

/** Match a concrete path against a pattern; returns params or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined; // malformed %-escape: no route matches, like any unknown path
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

/** A required non-empty string field, else 99992402. */
export function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw fieldError(field, `${field} is required and must be a non-empty string`);
  }
  return value;
}
