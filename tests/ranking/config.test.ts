import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.js';

function problemOf(env: Record<string, string>): { variable: string; message: string } {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems[0]!;
  }
  throw new Error('expected loadConfig to reject');
}

describe('ranking configuration', () => {
  it('has no overrides by default', () => {
    const c = loadConfig({});
    expect(c.jobSchedules).toEqual({});
    expect(c.rankingQuotas).toBeUndefined();
  });

  it('reads bulletin schedules and quotas', () => {
    const c = loadConfig({
      BULLETIN_MONTHLY_CRON: '30 8 2 * *',
      BULLETIN_ANNUAL_CRON: '0 10 2 1 *',
      RANKING_QUOTAS: '[{"name":"网评","scope":"unit","per":"quarter","target":5,"measure":"approved","category":"网评文章"}]',
    });
    expect(c.jobSchedules).toEqual({ 'monthly-bulletin': '30 8 2 * *', 'annual-bulletin': '0 10 2 1 *' });
    expect(c.rankingQuotas).toEqual([{ name: '网评', scope: 'unit', per: 'quarter', target: 5, measure: 'approved', category: '网评文章' }]);
  });

  it('names a bad cron pattern or quota list', () => {
    expect(problemOf({ BULLETIN_QUARTERLY_CRON: 'every quarter' })).toMatchObject({ variable: 'BULLETIN_QUARTERLY_CRON', message: expect.stringContaining('cron') });
    expect(problemOf({ RANKING_QUOTAS: '[{name:' })).toMatchObject({ variable: 'RANKING_QUOTAS', message: expect.stringContaining('JSON') });
    expect(problemOf({ RANKING_QUOTAS: '[{"name":"x","scope":"town","per":"month","target":1,"measure":"submitted"}]' }).variable).toBe('RANKING_QUOTAS');
  });
});
