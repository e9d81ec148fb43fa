import { describe, expect, it } from 'vitest';
import { UserError } from '../../bot/errors.js';
import {
  parsePeriod,
  periodKey,
  periodLabel,
  periodOfKey,
  periodRange,
  previousPeriod,
  type Period,
} from '../../domain/ranking/period.js';
import { quotaWindow, type QuotaRule } from '../../domain/ranking/quotas.js';

const TZ = 'Asia/Shanghai';
// 2 November 2026, 10:00 in Shanghai.
const NOW = new Date('2026-11-02T02:00:00Z');
const parse = (s: string) => parsePeriod(s, NOW, TZ);

function errorOf(s: string): string {
  try {
    parse(s);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).userMessage;
  }
  throw new Error(`expected "${s}" to be refused`);
}

describe('parsePeriod', () => {
  it.each<[string, Period]>([
    ['', { kind: 'month', year: 2026, month: 11 }],
    ['2026-10', { kind: 'month', year: 2026, month: 10 }],
    ['2026-1', { kind: 'month', year: 2026, month: 1 }],
    ['2026年10月', { kind: 'month', year: 2026, month: 10 }],
    ['２０２６－１０', { kind: 'month', year: 2026, month: 10 }],
    ['2026.10', { kind: 'month', year: 2026, month: 10 }],
    ['202610', { kind: 'month', year: 2026, month: 10 }],
    ['2026Q3', { kind: 'quarter', year: 2026, quarter: 3 }],
    ['2026q3', { kind: 'quarter', year: 2026, quarter: 3 }],
    ['2026-Q3', { kind: 'quarter', year: 2026, quarter: 3 }],
    ['2026年第3季度', { kind: 'quarter', year: 2026, quarter: 3 }],
    ['2026年第三季度', { kind: 'quarter', year: 2026, quarter: 3 }],
    ['2026', { kind: 'year', year: 2026 }],
    ['2026年', { kind: 'year', year: 2026 }],
    ['2025年度', { kind: 'year', year: 2025 }],
    ['本月', { kind: 'month', year: 2026, month: 11 }],
    ['上月', { kind: 'month', year: 2026, month: 10 }],
    ['本季度', { kind: 'quarter', year: 2026, quarter: 4 }],
    ['上季度', { kind: 'quarter', year: 2026, quarter: 3 }],
    ['今年', { kind: 'year', year: 2026 }],
    ['去年', { kind: 'year', year: 2025 }],
  ])('reads "%s"', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('names the mistake in bad input', () => {
    expect(errorOf('2026-13')).toContain('“2026-13”的月份应为 1-12');
    expect(errorOf('2026-0')).toContain('月份应为 1-12');
    expect(errorOf('2026Q5')).toContain('季度应为 1-4');
    expect(errorOf('1026-10')).toContain('年份不对');
    expect(errorOf('十月')).toContain('看不懂期间“十月”');
    expect(errorOf('2026-10-05')).toContain('看不懂期间');
    // Every error also says how to write a period.
    expect(errorOf('abc')).toContain('2026Q3');
  });

  it('refuses periods that have not started', () => {
    expect(errorOf('2026-12')).toBe('2026年12月还没有开始，无法排行。');
    expect(errorOf('2027')).toBe('2027年还没有开始，无法排行。');
    // The month in progress is allowed.
    expect(parse('2026-11')).toEqual({ kind: 'month', year: 2026, month: 11 });
  });
});

describe('period calendar', () => {
  it('uses local midnight in the bot timezone', () => {
    expect(periodRange({ kind: 'month', year: 2026, month: 10 }, TZ)).toEqual({
      start: new Date('2026-09-30T16:00:00Z'),
      end: new Date('2026-10-31T16:00:00Z'),
    });
    expect(periodRange({ kind: 'quarter', year: 2026, quarter: 4 }, TZ)).toEqual({
      start: new Date('2026-09-30T16:00:00Z'),
      end: new Date('2026-12-31T16:00:00Z'),
    });
    expect(periodRange({ kind: 'year', year: 2026 }, 'UTC')).toEqual({
      start: new Date('2026-01-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it('steps back across year ends and round-trips keys', () => {
    expect(previousPeriod({ kind: 'month', year: 2026, month: 1 })).toEqual({ kind: 'month', year: 2025, month: 12 });
    expect(previousPeriod({ kind: 'quarter', year: 2026, quarter: 1 })).toEqual({ kind: 'quarter', year: 2025, quarter: 4 });
    for (const p of [parse('2026-03'), parse('2026Q2'), parse('2025')]) expect(periodOfKey(periodKey(p))).toEqual(p);
    // Keys also come back in card callbacks, from the client.
    for (const bad of ['2026-13', '2026-00', '2026Q5', '26-10', 'x']) expect(() => periodOfKey(bad)).toThrow();
    expect([periodKey(parse('2026-3')), periodKey(parse('2026Q2')), periodKey(parse('2025'))]).toEqual(['2026-03', '2026Q2', '2025']);
    expect([periodLabel(parse('2026-3')), periodLabel(parse('2026Q2')), periodLabel(parse('2025'))]).toEqual(['2026年3月', '2026年第二季度', '2025年']);
  });

  it('judges quotas over the right stretch', () => {
    const monthly: QuotaRule = { name: 'm', scope: 'unit', per: 'month', target: 2, measure: 'submitted' };
    const yearly: QuotaRule = { name: 'y', scope: 'unit', per: 'year', target: 3, measure: 'adopted' };
    expect(quotaWindow(monthly, parse('2026-10'))).toEqual({ window: parse('2026-10'), target: 2, soFar: false });
    expect(quotaWindow(monthly, parse('2026Q3'))).toEqual({ window: parse('2026Q3'), target: 6, soFar: false });
    expect(quotaWindow(yearly, parse('2026-10'))).toEqual({ window: parse('2026'), target: 3, soFar: true });
    expect(quotaWindow(yearly, parse('2025'))).toEqual({ window: parse('2025'), target: 3, soFar: false });
  });
});
