/** `2026-12`, `2026/12`, `2026年第12期`, `2026年12期` → year and number. */
export function parseIssueRef(s: string): { year: number; number: number } | undefined {
  const m = /^(\d{4})\s*(?:[-/.]|年\s*第?)\s*(\d{1,3})\s*期?$/.exec(s.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const number = Number(m[2]);
  return number >= 1 ? { year, number } : undefined;
}
