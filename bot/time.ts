/** Calendar arithmetic in the bot's timezone (BOT_TIMEZONE): years, months, display strings. */

// Building an Intl.DateTimeFormat costs far more than using one; scoring converts every fact's date.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  return f;
}

function parts(d: Date, timezone: string) {
  const f = formatterOf(timezone);
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

export function localParts(d: Date, timezone: string) {
  return parts(d, timezone);
}

export function localYear(d: Date, timezone: string): number {
  return parts(d, timezone).year;
}

/** 2026-11-02 14:05 in the bot's timezone. */
export function formatLocal(d: Date, timezone: string): string {
  const p = parts(d, timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

export function formatLocalDate(d: Date, timezone: string): string {
  return formatLocal(d, timezone).slice(0, 10);
}

/** Offset of the timezone from UTC at instant d, in minutes (Asia/Shanghai: +480). */
function offsetMinutes(d: Date, timezone: string): number {
  const p = parts(d, timezone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

/** The instant of a local wall-clock time in the timezone (e.g. 2026-12-01 00:00 Asia/Shanghai). */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timezone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = new Date(guess - offsetMinutes(new Date(guess), timezone) * 60_000);
  // Re-check once for instants near a DST change (none in China, but the timezone is configurable).
  return new Date(guess - offsetMinutes(first, timezone) * 60_000);
}

/** 2026-10-12 → 2026年10月12日 (dates in notices, docs/glossary.md). */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** An instant's local day as a notice writes it: 2026年10月12日. */
export function chineseLocalDate(d: Date, timezone: string): string {
  return chineseDate(formatLocalDate(d, timezone));
}

/** An instant as a notice writes it: 2026年10月12日 18:00. */
export function chineseDateTime(d: Date, timezone: string): string {
  const local = formatLocal(d, timezone);
  return `${chineseDate(local.slice(0, 10))} ${local.slice(11)}`;
}
