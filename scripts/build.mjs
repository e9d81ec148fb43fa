// Compiles the bot to JavaScript in dist/ (tsc, then the files the code reads at run time: migrations,
// YAML, dictionaries, the console's static files). Plain JavaScript on purpose: a production install
// (`npm ci --omit=dev`) has neither TypeScript nor tsx, and this file runs there too (scripts/run.mjs).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The directories tsconfig.build.json compiles; everything the bot runs lives in them. */
export const SOURCE_DIRS = ['bot', 'cli', 'commands', 'db', 'jobs', 'cards', 'domain', 'emulator', 'demo'];

function distOf(root) {
  return join(root, 'dist');
}
function stampOf(root) {
  return join(distOf(root), '.build-stamp');
}

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** Newest modification time of anything the build reads (sources, assets, its configuration). */
function newestSource(root) {
  let newest = 0;
  for (const d of SOURCE_DIRS) {
    const dir = join(root, d);
    if (!existsSync(dir)) continue;
    for (const f of filesUnder(dir)) newest = Math.max(newest, statSync(f).mtimeMs);
  }
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    const path = join(root, f);
    if (existsSync(path)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** 'fresh' when dist/ was built after the last change to any source, 'stale' or 'missing' otherwise. */
export function buildState(root = ROOT) {
  const stamp = stampOf(root);
  if (!existsSync(stamp)) return 'missing';
  if (!existsSync(join(root, 'bot'))) return 'fresh'; // an image holds dist/ only
  return statSync(stamp).mtimeMs >= newestSource(root) ? 'fresh' : 'stale';
}

/** The TypeScript compiler, if this install has it (a production install does not). */
export function findTsc(root = ROOT) {
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

/**
 * Compiles and copies the assets; throws with tsc's output when the code does not compile. Runs tsc
 * as a child without blocking this process's event loop (a test runner keeps answering meanwhile).
 */
export async function build(root = ROOT) {
  const tsc = findTsc(root);
  if (!tsc) throw new Error('无法编译：未安装 TypeScript（开发依赖）。请运行 npm install 后再执行 npm run build。');
  const started = Date.now();
  rmSync(stampOf(root), { force: true });
  const r = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (status) => resolve({ status, output }));
  });
  if (r.status !== 0) throw new Error(`编译失败（tsc 退出码 ${r.status}）：\n${r.output}`);
  for (const d of SOURCE_DIRS) {
    const dir = join(root, d);
    if (!existsSync(dir)) continue;
    for (const f of filesUnder(dir)) {
      if (/\.(ts|tsx|md)$/.test(f)) continue;
      const target = join(distOf(root), relative(root, f));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(f, target);
    }
  }
  writeFileSync(stampOf(root), new Date().toISOString() + '\n');
  return Date.now() - started;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Builds when dist/ is missing or older than the sources and TypeScript is installed. Several
 * processes may ask at once (tests starting bots side by side, two terminals): one builds under a
 * lock file, the others wait for it and then find dist/ fresh.
 * Returns what happened: 'fresh', 'built', or 'stale' (outdated but no compiler to rebuild it).
 */
export async function ensureBuilt(root = ROOT, log = (m) => console.error(m)) {
  const lock = join(root, '.build.lock');
  for (;;) {
    const state = buildState(root);
    if (state === 'fresh') return 'fresh';
    if (!findTsc(root)) {
      if (state === 'missing') throw new Error('dist/ 不存在且未安装 TypeScript：请先运行 npm install && npm run build（或使用已构建的镜像）。');
      log('注意：dist/ 比源代码旧，但本安装没有 TypeScript，无法重新编译；运行的是已有的编译结果。');
      return 'stale';
    }
    let fd;
    try {
      fd = openSync(lock, 'wx');
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lock, 'utf8').trim() || '0');
      if (holder && !isAlive(holder)) rmSync(lock, { force: true });
      else await sleep(250);
      continue;
    }
    try {
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      if (buildState(root) === 'fresh') return 'fresh';
      log(state === 'missing' ? '首次启动：正在编译（npm run build）…' : '源代码有改动：正在重新编译…');
      const ms = await build(root);
      log(`编译完成（${(ms / 1000).toFixed(1)} 秒）`);
      return 'built';
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const ms = await build();
    console.log(`编译完成：dist/（${(ms / 1000).toFixed(1)} 秒）`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
