/**
 * Queued failures for `failNext()`: the next matching requests get a canned
 * response instead of reaching the handler (429 with rate-limit headers, 5xx,
 * or HTTP 200 with a non-zero code). The emulator's "simulate an outage" panel
 * uses the same queue.
 */
import { errorBody } from './lark-error.js';
import type { RouteResponse } from './route.js';
import type { FailureRule } from './types.js';

/** The SDK fetches tokens on its own; rules without pathIncludes leave it alone. */
export const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

interface QueuedRule extends FailureRule {
  remaining: number;
}

export class FailureInjector {
  private rules: QueuedRule[] = [];

  add(rule: FailureRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  /** Consume the first rule matching the request, if any, and build its response. */
  take(method: string, path: string, logId: string): RouteResponse | undefined {
    const rule = this.rules.find((r) => matches(r, method, path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return respond(rule, logId);
  }

  clear(): void {
    this.rules = [];
  }
}

function matches(rule: QueuedRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.pathIncludes !== undefined) return path.includes(rule.pathIncludes);
  return path !== TOKEN_PATH;
}

function respond(rule: FailureRule, logId: string): RouteResponse {
  const limited = rule.status === 429;
  const code = rule.code ?? (limited ? 99991400 : -1);
  const msg = rule.msg ?? (limited ? 'request trigger frequency limit' : 'emulator: injected failure');
  const headers: Record<string, string> = limited
    ? { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': '1', ...rule.headers }
    : { ...rule.headers };
  return { status: rule.status, json: errorBody(code, msg, logId), headers };
}
