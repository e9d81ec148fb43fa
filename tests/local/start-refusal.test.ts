import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNpm } from './helpers/bot-process.js';
import { ensureBuilt } from '../../scripts/build.mjs';
import { postgresRun } from '../helpers/test-db.js';

// npm start and the npm scripts run the compiled dist/: compile once (if stale) before the timed tests.
beforeAll(() => ensureBuilt(), 300_000);

const dir = mkdtempSync(join(tmpdir(), 'gaojian-refusal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Never fall back to the emulator once a Lark app is configured, however incompletely. */
describe.skipIf(postgresRun)('npm start with an incomplete Lark setup', () => {
  it('refuses to start when LARK_APP_ID is set but the other Lark variables are missing', async () => {
    const { code, output } = await runNpm(['start'], { LARK_APP_ID: 'cli_a1b2c3d4e5f6a7b8', PGLITE_DIR: join(dir, 'db') });
    expect(code).toBe(1);
    expect(output).toContain('配置有误，机器人未启动');
    expect(output).toContain('LARK_APP_SECRET: 已设置 LARK_APP_ID，必须同时设置 App Secret');
    expect(output).toContain('LARK_VERIFICATION_TOKEN');
    expect(output).toContain('LARK_ENCRYPT_KEY');
    expect(output).not.toContain('本地体验模式');
    expect(output).not.toContain('内置飞书模拟器');
  }, 60_000);

  it('refuses a webhook setup without an Encrypt Key, naming only that variable', async () => {
    const { code, output } = await runNpm(['start'], {
      LARK_APP_ID: 'cli_a1b2c3d4e5f6a7b8',
      LARK_APP_SECRET: 'secret',
      LARK_VERIFICATION_TOKEN: 'token',
      PGLITE_DIR: join(dir, 'db'),
    });
    expect(code).toBe(1);
    expect(output).toContain('LARK_ENCRYPT_KEY: webhook 模式必须设置 Encrypt Key');
    expect(output).not.toContain('LARK_APP_SECRET:');
    expect(output).not.toContain('本地体验模式');
  }, 60_000);

  it('refuses to run local mode on a PostgreSQL database nobody asked it to use, naming the missing variables', async () => {
    // Unreachable on purpose: the refusal must come before any connection (the emulator would mark
    // the real outbox as sent).
    const { code, output } = await runNpm(['start'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(code).toBe(1);
    expect(output).toContain('配置有误，机器人未启动');
    expect(output).toContain('LARK_APP_ID: 缺少。已设置 DATABASE_URL（PostgreSQL）却没有配置飞书应用');
    for (const v of ['LARK_APP_SECRET', 'LARK_VERIFICATION_TOKEN', 'LARK_ENCRYPT_KEY', 'LOCAL_MODE=1']) expect(output).toContain(v);
    expect(output).not.toContain('本地体验模式：');
    expect(output).not.toContain('ECONNREFUSED');
  }, 60_000);

  it('refuses Lark secrets without an app id instead of quietly running the emulator', async () => {
    const { code, output } = await runNpm(['start'], { LARK_APP_SECRET: 'secret', PGLITE_DIR: join(dir, 'db') });
    expect(code).toBe(1);
    expect(output).toContain('设置了 LARK_APP_SECRET 却缺少 LARK_APP_ID');
    expect(output).not.toContain('内置飞书模拟器');
  }, 60_000);
});
