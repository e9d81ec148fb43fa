import { DrizzleQueryError } from 'drizzle-orm';

/**
 * Errors a user can act on carry a Chinese message meant for them; everything else is a bug or an
 * outage, logged in full and answered with a generic apology.
 */
export class UserError extends Error {
  constructor(readonly userMessage: string, readonly code = 'user:invalid') {
    super(userMessage);
    this.name = 'UserError';
  }
}

/** Someone tapped or typed something their role does not allow. */
export class PermissionError extends UserError {
  constructor(userMessage: string) {
    super(userMessage, 'user:forbidden');
    this.name = 'PermissionError';
  }
}

export const GENERIC_FAILURE = '抱歉，处理时出现了问题，已记录，请稍后再试。如多次出现，请联系研究室。';

/**
 * Error fields that can carry user data: a query's parameters (drizzle puts them in its message
 * too, which is rebuilt without them) and PostgreSQL's `detail`, which for a failed check repeats
 * the whole row ("Failing row contains (…)"). A draft's text never reaches a log or `last_error`.
 */
const DATA_FIELDS = new Set(['params', 'parameters', 'detail', 'args', 'where', 'internalQuery', 'query', 'queryOptions']);
const MAX_FIELD_CHARS = 500;

/** drizzle's query error lists every parameter in its message; the SQL text alone is safe. */
function safeMessage(e: Error): string {
  return (e instanceof DrizzleQueryError ? `Failed query: ${e.query}` : e.message).slice(0, 2000);
}

/** One line for `last_error` and logs: the messages of the error and its causes, without data. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    parts.push(safeMessage(e));
    e = e.cause;
  }
  if (parts.length === 0) parts.push(String(err).slice(0, MAX_FIELD_CHARS));
  return parts.join('; caused by: ');
}

/** pino's `err` serializer: type, safe message and stack, scalar fields except data-bearing ones, causes. */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? err.slice(0, MAX_FIELD_CHARS) : err;
  const message = safeMessage(err);
  const out: Record<string, unknown> = { type: err.constructor?.name ?? err.name, message };
  for (const [k, v] of Object.entries(err)) {
    if (DATA_FIELDS.has(k) || k === 'cause' || k === 'message' || k === 'stack') continue;
    if (typeof v === 'string') out[k] = v.slice(0, MAX_FIELD_CHARS);
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  // The stack starts with the message: keep only the frames.
  const frames = (err.stack ?? '').split('\n').filter((l) => l.startsWith('    at '));
  out.stack = [`${err.name}: ${message}`, ...frames].join('\n');
  if (err.cause !== undefined && depth < 4) out.cause = serializeError(err.cause, depth + 1);
  return out;
}
