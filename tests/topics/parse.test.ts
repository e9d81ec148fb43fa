import { describe, expect, it } from 'vitest';
import { parseDeadlineText, parsePickerDatetime, describeTimeLeft } from '../../domain/topics/datetime.js';
import { parseTopicCode } from '../../domain/topics/code.js';
import { dueReminder } from '../../domain/topics/reminders.js';
import { unitState } from '../../domain/topics/unit-state.js';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-11-02T02:00:00Z');
const iso = (text: string) => {
  const r = parseDeadlineText(text, NOW, TZ);
  return r.ok ? r.at.toISOString() : r.error;
};

describe('deadline text', () => {
  it.each([
    ['2026-12-05 18:00', '2026-12-05T10:00:00.000Z'],
    ['2026/12/5 9:30', '2026-12-05T01:30:00.000Z'],
    ['2026.12.05 18:00', '2026-12-05T10:00:00.000Z'],
    ['２０２６－１２－０５　１８：００', '2026-12-05T10:00:00.000Z'],
    ['2026年12月5日 18时', '2026-12-05T10:00:00.000Z'],
    ['2026年12月5日18点30分', '2026-12-05T10:30:00.000Z'],
    ['12月5日', '2026-12-05T10:00:00.000Z'],
    ['12-05 17:00', '2026-12-05T09:00:00.000Z'],
    ['01-05 12:00', '2027-01-05T04:00:00.000Z'],
  ])('reads %s', (text, expected) => expect(iso(text)).toBe(expected));

  it.each([
    ['2026-02-30 18:00', '不是有效的日期或时间'],
    ['2026-12-05 25:00', '不是有效的日期或时间'],
    ['明天下午', '无法识别截止时间'],
    ['', '请写明截止时间'],
  ])('refuses %s', (text, message) => expect(iso(text)).toContain(message));

  it('reads the picker value with and without its offset', () => {
    expect(parsePickerDatetime('2026-12-05 18:00 +0800', TZ)?.toISOString()).toBe('2026-12-05T10:00:00.000Z');
    expect(parsePickerDatetime('2026-12-05 18:00 +0000', TZ)?.toISOString()).toBe('2026-12-05T18:00:00.000Z');
    expect(parsePickerDatetime('2026-12-05 18:00', TZ)?.toISOString()).toBe('2026-12-05T10:00:00.000Z');
    expect(parsePickerDatetime('tomorrow', TZ)).toBeUndefined();
  });

  it('describes the time left', () => {
    const d = new Date('2026-11-05T10:00:00Z');
    expect(describeTimeLeft(d, new Date('2026-11-04T10:00:00Z'))).toBe('还剩约 24 小时');
    expect(describeTimeLeft(d, new Date('2026-11-05T09:20:00Z'))).toBe('还剩约 40 分钟');
    expect(describeTimeLeft(d, new Date('2026-11-01T10:00:00Z'))).toBe('还剩约 4 天');
    expect(describeTimeLeft(d, new Date('2026-11-05T12:00:00Z'))).toBe('已超过 2 小时');
  });
});

describe('topic codes', () => {
  it.each([
    ['T12', 12],
    ['t3', 3],
    ['Ｔ１２', 12],
    ['12', undefined],
    ['T', undefined],
    ['TX1', undefined],
  ])('%s → %s', (text, id) => expect(parseTopicCode(text)).toBe(id));
});

describe('which reminder is due', () => {
  const deadline = new Date('2026-11-05T10:00:00Z');
  const H = 3600_000;
  const at = (hoursBefore: number) => new Date(deadline.getTime() - hoursBefore * H);
  const topic = { deadline, deadlineSetAt: at(72) };
  it.each([
    [25, undefined],
    [24, '24h'],
    [3, '24h'],
    [2, '2h'],
    [0.1, '2h'],
    [0, undefined],
    [-1, undefined],
  ])('%s h before the deadline: %s', (hours, kind) => expect(dueReminder(topic, at(hours))).toBe(kind));

  it('skips a window that had begun when the deadline was set', () => {
    expect(dueReminder({ deadline, deadlineSetAt: at(10) }, at(5))).toBeUndefined();
    expect(dueReminder({ deadline, deadlineSetAt: at(10) }, at(2))).toBe('2h');
    expect(dueReminder({ deadline, deadlineSetAt: at(1) }, at(0.5))).toBeUndefined();
  });
});

describe('a unit’s state on the board', () => {
  it('takes the furthest answer, and overdue only without one', () => {
    expect(unitState({ claimed: false, draftStates: [], deadlinePassed: false })).toBe('unclaimed');
    expect(unitState({ claimed: true, draftStates: [], deadlinePassed: false })).toBe('claimed');
    expect(unitState({ claimed: true, draftStates: ['withdrawn'], deadlinePassed: false })).toBe('claimed');
    expect(unitState({ claimed: true, draftStates: [], deadlinePassed: true })).toBe('overdue');
    expect(unitState({ claimed: false, draftStates: ['returned'], deadlinePassed: true })).toBe('submitted');
    expect(unitState({ claimed: false, draftStates: ['pending_review', 'approved'], deadlinePassed: false })).toBe('approved');
    expect(unitState({ claimed: false, draftStates: ['archived'], deadlinePassed: false })).toBe('approved');
    expect(unitState({ claimed: false, draftStates: ['approved', 'adopted'], deadlinePassed: false })).toBe('adopted');
  });
});
