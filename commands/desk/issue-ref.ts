/**
 * The forms people type for an issue: `2026年第12期`, `2026年12期`, `2026-12`, `2026/12`, and within
 * the current year `第12期`, `12期`, `12` → year and number.
 */
export function parseIssueRef(s: string, currentYear: number): { year: number; number: number } | undefined {
  const t = s.trim();
  const full = /^(\d{4})\s*(?:[-/.]|年\s*第?)\s*(\d{1,3})\s*期?$/.exec(t);
  const short = full ? undefined : /^第?\s*(\d{1,3})\s*期?$/.exec(t);
  const year = full ? Number(full[1]) : currentYear;
  const number = Number(full ? full[2] : short?.[1]);
  return (full || short) && number >= 1 ? { year, number } : undefined;
}
