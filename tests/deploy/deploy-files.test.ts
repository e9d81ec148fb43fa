import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { builtinModules } from 'node:module';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseEnv } from 'dotenv';
import { ENV_VARIABLES, loadConfig } from '../../bot/config.js';
import { DEFAULT_QUOTAS } from '../../domain/ranking/quotas.js';
import { ensureBuilt } from './helpers/built-bot.js';
import { REPO } from '../local/helpers/bot-process.js';

const read = (f: string) => readFileSync(join(REPO, f), 'utf8');

/** Dockerfile instructions by stage, continuation lines joined. */
function dockerStages(text: string) {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: { from: string; name?: string; instructions: { op: string; args: string }[] }[] = [];
  for (const line of lines) {
    const [op, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op!.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ from: m[1]!, name: m[2], instructions: [] });
    } else stages.at(-1)!.instructions.push({ op: op!.toUpperCase(), args });
  }
  return stages;
}

/** No Docker on these machines: the image and compose file are checked by reading them. */
describe('Dockerfile', () => {
  const stages = dockerStages(read('Dockerfile'));
  const final = stages.at(-1)!;
  const ops = (op: string) => final.instructions.filter((i) => i.op === op);

  it('is multi-stage on a Node LTS slim base: compile, production dependencies, runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const s of stages) expect(s.from).toBe('node:24-slim');
    const build = stages.find((s) => s.name === 'build')!;
    expect(build.instructions.some((i) => i.op === 'RUN' && i.args.includes('npm run build'))).toBe(true);
    const deps = stages.find((s) => s.name === 'deps')!;
    expect(deps.instructions.some((i) => i.op === 'RUN' && i.args.includes('npm ci --omit=dev'))).toBe(true);
    expect(ops('COPY').map((c) => c.args)).toEqual(expect.arrayContaining(['--from=deps /app/node_modules ./node_modules', '--from=build /app/dist ./dist']));
  });

  it('runs the compiled bot as a non-root user, with a health check on /healthz', () => {
    const user = ops('USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(ops('HEALTHCHECK')[0]?.args).toMatch(/\/healthz/);
    expect(ops('CMD').at(-1)?.args).toBe('["node", "dist/bot/main.js"]');
    expect(ops('STOPSIGNAL')[0]?.args).toBe('SIGTERM');
  });

  it('copies only paths that exist in the repository', () => {
    for (const s of stages) {
      for (const c of s.instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
        const sources = c.args.split(/\s+/).slice(0, -1);
        for (const src of sources) expect(existsSync(join(REPO, src)), `${src} in COPY ${c.args}`).toBe(true);
      }
    }
  });
});

describe('compose.yaml and .env.example', () => {
  const compose = parse(read('compose.yaml')) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const documented = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

  it('runs PostgreSQL on a named volume and the bot on it, started once the database is healthy', () => {
    const db = compose.services.db!;
    expect(String(db.image)).toMatch(/^postgres:\d+/);
    const volume = (db.volumes as string[]).find((v) => v.endsWith(':/var/lib/postgresql/data'))!;
    const name = volume.split(':')[0]!;
    expect(name).not.toMatch(/^[./]/); // a named volume, not a bind mount
    expect(Object.keys(compose.volumes)).toContain(name);
    expect(db.healthcheck).toBeDefined();

    const bot = compose.services.bot!;
    expect(bot.build).toBe('.');
    expect((bot.environment as Record<string, string>).DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@db:5432\//);
    expect(bot.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    // Docker waits longer than the bot's own shutdown deadline and the hand-back after it (3 s).
    const deadline = Number(/^SHUTDOWN_TIMEOUT_SECONDS=(\d+)$/m.exec(read('.env.example'))![1]);
    expect(Number(String(bot.stop_grace_period).replace(/s$/, ''))).toBeGreaterThan(deadline + 3);
  });

  it('documents in .env.example every variable the bot reads and every one compose uses', () => {
    const used = [...read('compose.yaml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!);
    for (const v of [...ENV_VARIABLES, ...used]) expect(documented, v).toContain(v);
  });

  it('its sample values load as they are, and its quota line is the built-in default it says it is', () => {
    const sample = parseEnv(read('.env.example'));
    // The credentials are left blank for the deployer; everything else is a working value.
    const config = loadConfig({ ...sample, LARK_APP_ID: 'cli_a1b2c3d4e5f6a7b8', LARK_APP_SECRET: 's', LARK_ENCRYPT_KEY: 'k', LARK_VERIFICATION_TOKEN: 't' });
    expect(read('.env.example')).toMatch(/默认即下面这一行/);
    expect(config.rankingQuotas).toEqual(DEFAULT_QUOTAS);
  });

  it('the README has a 部署 section with the commands for compose, org:import, upgrade, logs, backup and restore', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## 部署'), readme.indexOf('\n## ', readme.indexOf('## 部署') + 1));
    for (const command of ['docker compose up -d', 'org:import', 'docker compose logs', 'db:backup', 'pg_dump', 'pg_restore', 'docker compose pull', 'docker compose build']) {
      expect(section, command).toContain(command);
    }
  });
});

describe('the production install', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  /** Bare imports in dist/: every one must be a runtime dependency or a Node built-in. */
  it('the compiled code imports only runtime dependencies (npm ci --omit=dev can start it)', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    const missing = new Map<string, string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        const path = join(dir, e);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.js')) {
          for (const m of read(path.slice(REPO.length)).matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
            const spec = (m[1] ?? m[2])!;
            if (spec.startsWith('.') || spec.startsWith('node:')) continue;
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
            if (!allowed.has(name)) missing.set(name, path.slice(REPO.length));
          }
        }
      }
    };
    walk(join(REPO, 'dist'));
    expect(Object.fromEntries(missing)).toEqual({});
    for (const dev of ['tsx', 'typescript', 'vitest', 'drizzle-kit']) expect(Object.keys(pkg.dependencies)).not.toContain(dev);
    // The commands people run go through scripts/run.mjs (compiled JavaScript), not tsx.
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const s of ['start', 'org:import', 'job', 'db:migrate', 'db:backup', 'db:restore']) expect(scripts[s]).toMatch(/^node scripts\/run\.mjs /);
  });
});
