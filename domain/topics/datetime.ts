import { localParts, zonedTime } from '../../bot/time.js';

/** A date written without a time means the end of office hours that day. */
export const DEFAULT_DEADLINE_HOUR = 18;

export type ParsedDeadline = { ok: true; at: Date } | { ok: false; error: string };

const EXAMPLE = '例如 2026-12-05 18:00';

/**
 * Reads a deadline typed by a person, in the bot's timezone: `2026-12-05 18:00`, `2026/12/5 18:00`,
 * `2026年12月5日 18时`, `12-05 18:00` (the next such date), or a date alone (18:00 that day).
 */
export function parseDeadlineText(raw: string, now: Date, timezone: string): ParsedDeadline {
  const text = toHalfWidth(raw).trim().replace(/\s+/g, ' ');
  if (!text) return { ok: false, error: `请写明截止时间，${EXAMPLE}` };
  const m =
    /^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[ T]*(\d{1,2})\s*(?:[:点时]\s*(\d{1,2})?\s*分?)?(?::\d{2})?)?$/.exec(text);
  if (!m) return { ok: false, error: `无法识别截止时间“${raw.trim()}”，${EXAMPLE}` };
  const [, y, mo, d, h, mi] = m;
  const hour = h === undefined ? DEFAULT_DEADLINE_HOUR : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  let year = y === undefined ? localParts(now, timezone).year : Number(y);
  const build = (yr: number) => checkedLocal(yr, Number(mo), Number(d), hour, minute, timezone);
  let at = build(year);
  if (!at) return { ok: false, error: `截止时间“${raw.trim()}”不是有效的日期或时间，${EXAMPLE}` };
  // A date without a year is the next such date, so "01-05" written in December means January.
  if (y === undefined && at.getTime() <= now.getTime()) {
    year += 1;
    at = build(year) ?? at;
  }
  return { ok: true, at };
}

/**
 * Reads a form picker's value: `2026-12-05 18:00 +0800` (Lark adds the picker's UTC offset), or
 * without the offset, taken in the bot's timezone.
 */
export function parsePickerDatetime(raw: string, timezone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::\d{2})?(?:\s*([+-])(\d{2}):?(\d{2}))?$/.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sign, oh, om] = m;
  const local = checkedLocal(Number(y), Number(mo), Number(d), Number(h), Number(mi), timezone);
  if (!local) return undefined;
  if (!sign) return local;
  const offsetMin = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)) - offsetMin * 60_000);
}

function checkedLocal(y: number, mo: number, d: number, h: number, mi: number, timezone: string): Date | undefined {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return undefined;
  // Date.UTC rolls 2026-02-30 over to March; a rolled-over date was not a real one.
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return undefined;
  return zonedTime(y, mo, d, h, mi, timezone);
}

/** Chinese input methods often produce full-width digits and punctuation. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** 还剩约 23 小时 / 还剩 40 分钟 / 已超过 2 小时: how far a deadline is, in words. */
export function describeTimeLeft(deadline: Date, now: Date): string {
  const ms = deadline.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const minutes = Math.round(abs / 60_000);
  const span =
    minutes < 60 ? `${Math.max(minutes, 1)} 分钟` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} 小时` : `${Math.round(minutes / 1440)} 天`;
  return ms >= 0 ? `还剩约 ${span}` : `已超过 ${span}`;
}
