/** The page a list command asks for (`我的稿件 2`): the first when missing or not a page number. */
export function pageArg(value: unknown): number {
  const n = Number(String(value ?? '').trim() || 1);
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
}

export function formString(form: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = form?.[name];
  return typeof v === 'string' ? v : undefined;
}
