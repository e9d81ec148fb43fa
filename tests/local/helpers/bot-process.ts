import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** The environment of a child bot: ours without any Lark or database settings, plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(LARK_|DATABASE_URL$|LOCAL_MODE$|PGLITE_DIR$|PORT$|VITEST|NODE_ENV$)/.test(k)) base[k] = v;
  }
  // Empty values beat a developer's .env file (real variables win over it, and '' means unset).
  return { ...base, LARK_APP_ID: '', LARK_APP_SECRET: '', LARK_ENCRYPT_KEY: '', LARK_VERIFICATION_TOKEN: '', DATABASE_URL: '', ...env };
}

/**
 * Runs `npm <args>` in the repository to completion, as an operator types it. `output` interleaves
 * both streams; `stdout` alone is what a command prints for other programs (JSON, say).
 */
export function runNpm(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; output: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: REPO, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d) => {
      output += d;
      stdout += d;
    });
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    // 'close', not 'exit': the streams are read to their end before the result is looked at.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, stdout });
    });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export type BotProcess = {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM to the process group; `clean` when the bot logged its orderly stop and exited within 20 s. */
  stop: () => Promise<{ clean: boolean }>;
};

/** Node options that start a child's wall clock at `now` (see shifted-clock.mjs). */
export function clockEnv(now: Date): Record<string, string> {
  const preload = fileURLToPath(new URL('./shifted-clock.mjs', import.meta.url));
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(), GAOJIAN_TEST_NOW: now.toISOString() };
}

/**
 * `npm start` in local mode on a free port and its own data directory; resolves once it serves.
 * `now` sets the child's clock, so what the demo history and the cards hold does not depend on the
 * day the test runs.
 */
export async function startBot(env: Record<string, string>, o: { now?: Date; timeoutMs?: number } = {}): Promise<BotProcess> {
  const timeoutMs = o.timeoutMs ?? 180_000;
  const port = await freePort();
  const clock = o.now ? clockEnv(o.now) : {};
  // detached: npm, tsx and node form a process group we can stop together.
  const child = spawn('npm', ['start'], { cwd: REPO, env: childEnv({ PORT: String(port), ...clock, ...env }), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  // 'close', not 'exit': the output streams are read to their end before the stop is judged.
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return { clean: false };
    const pid = child.pid;
    process.kill(-pid, 'SIGTERM');
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      process.kill(-pid, 'SIGKILL');
    }, 20_000);
    await exited;
    clearTimeout(timer);
    // npm itself dies of the signal; the bot underneath logs 正在停止 and exits on its own.
    return { clean: !killed && output.includes('正在停止') && !/ERR_STREAM_PREMATURE_CLOSE|request failed/.test(output) };
  };
  const started = Date.now();
  while (!output.includes('机器人已启动')) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`npm start did not come up in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, stop };
}
