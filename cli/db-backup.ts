import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { ConfigError, loadConfig } from '../bot/config.js';
import { loadDotEnv } from '../bot/dotenv.js';
import { acquireDirLock, DirLockedError } from '../db/dir-lock.js';

/**
 * npm run db:backup [-- 文件]   /   npm run db:restore -- 文件
 *
 * The embedded database (PGlite) is backed up as its data directory in one .tar.gz (PGlite's own
 * dump), with the bot stopped (the directory lock says so otherwise). PostgreSQL is backed up with
 * pg_dump's custom format and restored with pg_restore, which must be installed and not older than
 * the server (in the compose deployment, run them in the db container: see README 部署).
 */

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

async function main(argv: string[]) {
  const [command, file] = argv;
  const config = loadConfig(loadDotEnv(process.env));
  if (command === 'backup') {
    const out = resolve(file ?? join('backups', `gaojian-${stamp()}.${config.database.kind === 'pglite' ? 'tar.gz' : 'dump'}`));
    mkdirSync(dirname(out), { recursive: true });
    if (config.database.kind === 'pglite') await backupPglite(config.database.dir, out);
    else await run('pg_dump', ['--format=custom', '--no-owner', `--file=${out}`, config.database.url]);
    console.log(`备份完成：${out}`);
    return;
  }
  if (command === 'restore') {
    if (!file) throw new Error('请指定要恢复的备份文件：npm run db:restore -- 文件名');
    if (!existsSync(file)) throw new Error(`找不到备份文件 ${file}`);
    if (config.database.kind === 'pglite') {
      const moved = await restorePglite(config.database.dir, resolve(file));
      console.log(`恢复完成：内置数据库 ${config.database.dir}${moved ? `（原有数据已移到 ${moved}）` : ''}。启动机器人时会自动升级到当前结构。`);
    } else {
      await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${config.database.url}`, resolve(file)]);
      console.log('恢复完成（PostgreSQL）。启动机器人时会自动升级到当前结构。');
    }
    return;
  }
  throw new Error('用法：npm run db:backup [-- 文件]，或 npm run db:restore -- 文件');
}

async function backupPglite(dir: string, out: string) {
  if (!existsSync(dir)) throw new Error(`内置数据库目录 ${dir} 不存在，没有可备份的数据`);
  const lock = acquireDirLock(dir, 'npm run db:backup');
  try {
    const pg = new PGlite(dir);
    try {
      await pg.waitReady;
      // PGlite's own gzip option never settles under Node here; compress with zlib instead.
      const dump = await pg.dumpDataDir('none');
      writeFileSync(out, gzipSync(Buffer.from(await dump.arrayBuffer())));
    } finally {
      await pg.close();
    }
  } finally {
    lock.release();
  }
}

/** Restores into an empty directory; existing data is moved aside, never deleted. */
async function restorePglite(dir: string, file: string): Promise<string | undefined> {
  let moved: string | undefined;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    // Taking the lock first: a running bot keeps its data and the restore is refused.
    acquireDirLock(dir, 'npm run db:restore').release();
    moved = `${dir}.before-restore-${stamp()}`;
    renameSync(dir, moved);
  }
  mkdirSync(dir, { recursive: true });
  const lock = acquireDirLock(dir, 'npm run db:restore');
  try {
    const pg = new PGlite(dir, { loadDataDir: new Blob([gunzipSync(readFileSync(file))]) });
    await pg.waitReady;
    await pg.close();
  } finally {
    lock.release();
  }
  return moved;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) =>
      reject((e as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(`找不到 ${cmd}：请安装与服务器版本一致的 PostgreSQL 客户端（postgresql-client）`) : e),
    );
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${cmd} 失败（退出码 ${code}）：${err.trim()}`))));
  });
}


main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof DirLockedError || err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
});
