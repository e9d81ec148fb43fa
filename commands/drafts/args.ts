import { UserError } from '../../bot/errors.js';

/**
 * Callback values come from the client and may be stale or forged: read them defensively and
 * answer "this card is outdated" rather than failing on a bad id.
 */
export function intArg(args: Record<string, unknown>, name: string): number {
  const n = Number(args[name]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UserError('这张卡片已失效，请重新发起操作。');
  return n;
}

export function pageArg(value: unknown): number {
  const n = Number(String(value ?? '').trim() || 1);
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
}

export function formString(form: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = form?.[name];
  return typeof v === 'string' ? v : undefined;
}
