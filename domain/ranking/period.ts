import { UserError } from '../../bot/errors.js';
import { localParts, zonedTime } from '../../bot/time.js';

/**
 * A ranking period: a calendar month, quarter or year in the bot's timezone. Bulletins, the
 * `排行` command, exports and the job slots all name periods the same way ('2026-10', '2026Q3', '2026').
 */
export type Period =
  | { kind: 'month'; year: number; month: number }
  | { kind: 'quarter'; year: number; quarter: number }
  | { kind: 'year'; year: number };

export type PeriodKind = Period['kind'];

/** How many months a period spans; quotas scale by it. */
export const PERIOD_MONTHS: Record<PeriodKind, number> = { month: 1, quarter: 3, year: 12 };

const QUARTER_NAMES = ['一', '二', '三', '四'];

/** The machine key used for job slots, the CLI and file names. */
export function periodKey(p: Period): string {
  if (p.kind === 'month') return `${p.year}-${String(p.month).padStart(2, '0')}`;
  if (p.kind === 'quarter') return `${p.year}Q${p.quarter}`;
  return String(p.year);
}

/** What people read: 2026年10月, 2026年第三季度, 2026年. */
export function periodLabel(p: Period): string {
  if (p.kind === 'month') return `${p.year}年${p.month}月`;
  if (p.kind === 'quarter') return `${p.year}年第${QUARTER_NAMES[p.quarter - 1]}季度`;
  return `${p.year}年`;
}

/** 本月 / 本季度 / 本年: the word for "this period" in sentences. */
export function periodNoun(kind: PeriodKind): string {
  return kind === 'month' ? '本月' : kind === 'quarter' ? '本季度' : '本年度';
}

function firstMonth(p: Period): number {
  return p.kind === 'month' ? p.month : p.kind === 'quarter' ? (p.quarter - 1) * 3 + 1 : 1;
}

/** [start, end) of the period in the timezone. */
export function periodRange(p: Period, timezone: string): { start: Date; end: Date } {
  const startMonth = firstMonth(p);
  const months = PERIOD_MONTHS[p.kind];
  const endIndex = startMonth - 1 + months; // zero-based month index after the last month
  const endYear = p.year + Math.floor(endIndex / 12);
  const endMonth = (endIndex % 12) + 1;
  return {
    start: zonedTime(p.year, startMonth, 1, 0, 0, timezone),
    end: zonedTime(endYear, endMonth, 1, 0, 0, timezone),
  };
}

/** The period of the same kind just before: rank changes compare against it. */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'month') return p.month === 1 ? { kind: 'month', year: p.year - 1, month: 12 } : { ...p, month: p.month - 1 };
  if (p.kind === 'quarter') return p.quarter === 1 ? { kind: 'quarter', year: p.year - 1, quarter: 4 } : { ...p, quarter: p.quarter - 1 };
  return { kind: 'year', year: p.year - 1 };
}

/** The period of a kind that contains an instant (local calendar). */
export function periodContaining(kind: PeriodKind, at: Date, timezone: string): Period {
  const { year, month } = localParts(at, timezone);
  if (kind === 'month') return { kind, year, month };
  if (kind === 'quarter') return { kind, year, quarter: Math.ceil(month / 3) };
  return { kind, year };
}

/** Longer-or-equal period of `kind` that contains the last month of `p` (quarter of October: Q4). */
export function enclosingPeriod(kind: PeriodKind, p: Period): Period {
  const lastMonth = firstMonth(p) + PERIOD_MONTHS[p.kind] - 1;
  if (kind === 'month') return { kind, year: p.year, month: lastMonth };
  if (kind === 'quarter') return { kind, year: p.year, quarter: Math.ceil(lastMonth / 3) };
  return { kind, year: p.year };
}

export function samePeriod(a: Period, b: Period): boolean {
  return periodKey(a) === periodKey(b);
}

const HELP = '期间的写法：2026-10（月）、2026Q3 或 2026年第3季度（季度）、2026（全年）；也可写 本月、上月、本季度、上季度、今年、去年。';

/**
 * Reads a period as people type it. Empty text means the current month. Errors name the mistake in
 * Chinese (`2026-13` → 月份应为 1-12), and periods that have not started are refused.
 */
export function parsePeriod(input: string, now: Date, timezone: string): Period {
  const text = input
    .trim()
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)) // full-width digits
    .replace(/[－—–／.。]/g, '-')
    .replace(/\s+/g, '');
  const p = parseText(text, now, timezone);
  const { start } = periodRange(p, timezone);
  if (start.getTime() > now.getTime()) throw new UserError(`${periodLabel(p)}还没有开始，无法排行。`);
  return p;
}

function parseText(text: string, now: Date, timezone: string): Period {
  const current = (kind: PeriodKind) => periodContaining(kind, now, timezone);
  switch (text) {
    case '':
    case '本月':
      return current('month');
    case '上月':
    case '上个月':
      return previousPeriod(current('month'));
    case '本季度':
    case '本季':
      return current('quarter');
    case '上季度':
    case '上季':
      return previousPeriod(current('quarter'));
    case '今年':
    case '本年':
    case '全年':
      return current('year');
    case '去年':
      return previousPeriod(current('year'));
  }
  let m = /^(\d{4})(?:-|年)(\d{1,2})月?$/.exec(text) ?? /^(\d{4})(\d{2})$/.exec(text);
  if (m) {
    const year = checkYear(m[1]!, text);
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw new UserError(`“${text}”的月份应为 1-12。${HELP}`);
    return { kind: 'month', year, month };
  }
  m = /^(\d{4})(?:年|-)?(?:[Qq](\d{1,2})|第?([一二三四\d]{1,2})季度?)$/.exec(text);
  if (m) {
    const year = checkYear(m[1]!, text);
    const raw = m[2] ?? m[3]!;
    const quarter = /^\d+$/.test(raw) ? Number(raw) : QUARTER_NAMES.indexOf(raw) + 1;
    if (quarter < 1 || quarter > 4) throw new UserError(`“${text}”的季度应为 1-4。${HELP}`);
    return { kind: 'quarter', year, quarter };
  }
  m = /^(\d{4})年?(?:全年|年度)?$/.exec(text);
  if (m) return { kind: 'year', year: checkYear(m[1]!, text) };
  throw new UserError(`看不懂期间“${text}”。${HELP}`);
}

function checkYear(raw: string, text: string): number {
  const year = Number(raw);
  // The bot did not exist before 2000; a typo such as 1026 deserves a clear answer, not an empty table.
  if (year < 2000 || year > 2999) throw new UserError(`“${text}”的年份不对。${HELP}`);
  return year;
}

/** Reads a job slot back into its period ('2026-10', '2026Q3', '2026'). */
export function periodOfKey(key: string): Period {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return { kind: 'month', year: Number(m[1]), month: Number(m[2]) };
  m = /^(\d{4})Q([1-4])$/.exec(key);
  if (m) return { kind: 'quarter', year: Number(m[1]), quarter: Number(m[2]) };
  m = /^(\d{4})$/.exec(key);
  if (m) return { kind: 'year', year: Number(m[1]) };
  throw new Error(`not a period key: ${key}`);
}
