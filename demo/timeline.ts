import { localParts, zonedTime } from '../bot/time.js';

/** How far back the demo history reaches. */
export const HISTORY_DAYS = 30;

/** 09:00 local time, HISTORY_DAYS days before `end`. */
export function historyStart(end: Date, timezone: string): Date {
  return localDayAt(end, -HISTORY_DAYS, 9, 0, timezone);
}

/** hh:mm local time on the day `dayOffset` days from `base`'s local date. */
export function localDayAt(base: Date, dayOffset: number, hour: number, minute: number, timezone: string): Date {
  const p = localParts(base, timezone);
  // Date.UTC normalises day overflow (e.g. -3 → the previous month) before the zone is applied.
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + dayOffset));
  return zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute, timezone);
}
