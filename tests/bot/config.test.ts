import { describe, expect, it } from 'vitest';
import { assertStartable, ConfigError, loadConfig } from '../../bot/config.js';

const real = {
  LARK_APP_ID: 'cli_a1b2c3d4e5f6a7b8',
  LARK_APP_SECRET: 'secret',
  LARK_ENCRYPT_KEY: 'enc',
  LARK_VERIFICATION_TOKEN: 'tok',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => p.variable);
  }
  throw new Error('expected loadConfig to reject');
}

describe('loadConfig', () => {
  it('defaults to local mode on the embedded database', () => {
    const c = loadConfig({});
    expect(c.lark).toBeUndefined();
    expect(c.database).toEqual({ kind: 'pglite', dir: './data/pglite' });
    expect(c.port).toBe(3000);
    expect(c.timezone).toBe('Asia/Shanghai');
    expect(c.logLevel).toBe('info');
  });

  it('local mode only when asked for or when nothing points at real data', () => {
    expect(loadConfig({}).localMode).toBe(true);
    expect(loadConfig({ LOCAL_MODE: '1', DATABASE_URL: 'postgres://u@h/db' }).localMode).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).localMode).toBe(false);
    expect(loadConfig({ ...real }).localMode).toBe(false);
    expect(loadConfig({ LOCAL_MODE: '0' }).localMode).toBe(false);
    expect(() => assertStartable(loadConfig({}))).not.toThrow();
    expect(() => assertStartable(loadConfig({ ...real, DATABASE_URL: 'postgres://u@h/db' }))).not.toThrow();
  });

  it('a PostgreSQL database without a Lark app cannot start the bot, and the error names what is missing', () => {
    let error: unknown;
    try {
      assertStartable(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([
      'LARK_APP_ID',
      'LARK_APP_SECRET',
      'LARK_VERIFICATION_TOKEN',
      'LARK_ENCRYPT_KEY',
      'LOCAL_MODE',
    ]);
    expect((error as Error).message).toContain('已设置 DATABASE_URL（PostgreSQL）却没有配置飞书应用');
  });

  it('refuses LOCAL_MODE=1 beside a Lark app', () => {
    expect(problemsOf({ ...real, LOCAL_MODE: '1' })).toEqual(['LOCAL_MODE']);
  });

  it('reads a complete Lark setup', () => {
    const c = loadConfig({ ...real, DATABASE_URL: 'postgres://u@h/db', PORT: '8080', LARK_MODE: 'ws' });
    expect(c.lark).toMatchObject({ appId: real.LARK_APP_ID, mode: 'ws', baseUrl: 'https://open.feishu.cn' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(c.port).toBe(8080);
  });

  it.each([
    ['LARK_APP_ID', { ...real, LARK_APP_ID: 'app123' }],
    ['LARK_APP_SECRET', { ...real, LARK_APP_SECRET: '' }],
    ['LARK_VERIFICATION_TOKEN', { ...real, LARK_VERIFICATION_TOKEN: '' }],
    ['LARK_ENCRYPT_KEY', { ...real, LARK_ENCRYPT_KEY: '' }],
    ['LARK_BASE_URL', { ...real, LARK_BASE_URL: 'open.feishu.cn' }],
    ['LARK_MODE', { ...real, LARK_MODE: 'socket' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: 'abc' }],
    ['BOT_TIMEZONE', { BOT_TIMEZONE: 'Mars/Olympus' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['OUTBOX_APP_RATE', { OUTBOX_APP_RATE: '500' }],
  ])('rejects a bad %s and names it', (variable, env) => {
    expect(problemsOf(env)).toContain(variable);
  });

  it('refuses Lark secrets without an app id instead of silently running the emulator', () => {
    expect(problemsOf({ LARK_APP_SECRET: 's', LARK_VERIFICATION_TOKEN: 't' })).toContain('LARK_APP_ID');
  });

  it('long-connection mode does not need an encrypt key', () => {
    const c = loadConfig({ ...real, LARK_ENCRYPT_KEY: '', LARK_MODE: 'ws' });
    expect(c.lark?.encryptKey).toBeUndefined();
  });

  it('explains the fix in Chinese', () => {
    try {
      loadConfig({ ...real, LARK_APP_SECRET: '' });
    } catch (err) {
      expect((err as Error).message).toMatch(/LARK_APP_SECRET.*App Secret/);
      expect((err as Error).message).toContain('.env.example');
    }
  });
});
