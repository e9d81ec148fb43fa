import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.js';

describe('review reminder configuration', () => {
  it('defaults to 24 h reminders, 72 h escalation, no buzz', () => {
    expect(loadConfig({}).reviewReminders).toEqual({ remindHours: 24, escalateHours: 72, buzz: false });
  });

  it('reads the variables', () => {
    expect(loadConfig({ REVIEW_REMIND_HOURS: '12', REVIEW_ESCALATE_HOURS: '48', REVIEW_REMIND_BUZZ: 'true' }).reviewReminders).toEqual({
      remindHours: 12,
      escalateHours: 48,
      buzz: true,
    });
  });

  it.each([
    ['REVIEW_REMIND_HOURS', '0'],
    ['REVIEW_REMIND_HOURS', '一天'],
    ['REVIEW_ESCALATE_HOURS', '-3'],
    ['REVIEW_REMIND_BUZZ', 'maybe'],
  ])('names a bad %s (%s)', (variable, value) => {
    try {
      loadConfig({ [variable]: value });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable)).toContain(variable);
    }
  });
});
