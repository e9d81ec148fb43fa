import { parseArgs } from 'node:util';
import { createApp } from '../bot/app.js';
import { systemClock } from '../bot/clock.js';
import { createLarkApi } from '../bot/lark-api.js';
import { createLogger } from '../bot/logger.js';
import { allFeatures } from '../commands/index.js';
import { allJobs } from '../jobs/index.js';
import { runJobSlot } from '../jobs/run-once.js';
import { fail, openForCli } from './open-db.js';

/**
 * npm run job -- NAME [--period P] [--dry-run] [--force]
 * Runs one scheduled job by hand. Messages go through the outbox like everything else; with a Lark
 * app configured the CLI delivers them before it exits, otherwise the bot sends them when it starts.
 */
async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { 'dry-run': { type: 'boolean' }, force: { type: 'boolean' }, period: { type: 'string' } },
  });
  const jobs = allJobs();
  const name = positionals[0];
  const job = jobs.find((j) => j.name === name);
  if (!job) {
    fail(
      `用法：npm run job -- <任务名> [--period 期间] [--dry-run]\n可用任务：${jobs.map((j) => `${j.name}（${j.description}）`).join('、') || '（暂无）'}`,
    );
  }
  const { config, handle } = await openForCli(`npm run job -- ${name}`);
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  try {
    const lark = config.lark;
    const api = lark
      ? createLarkApi({ appId: lark.appId, appSecret: lark.appSecret, baseUrl: lark.baseUrl, log })
      : undefined;
    const app = createApp({
      config,
      lark: lark ?? { appId: 'local', appSecret: '', encryptKey: undefined, verificationToken: '', baseUrl: '', mode: 'webhook' },
      db: handle,
      api: api ?? (undefined as never),
      clock: systemClock,
      log,
      features: allFeatures(),
      jobs,
    });
    const now = systemClock.now();
    const options = values as Record<string, string | boolean>;
    let slot: string;
    try {
      slot = job.manualSlot ? job.manualSlot(options, now, config.timezone) : job.slotOf(now, config.timezone);
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    }
    const outcome = await runJobSlot(app.deps, job, slot, {
      firedAt: now,
      dryRun: Boolean(values['dry-run']),
      force: Boolean(values.force),
      options,
    });
    if (!outcome.ran) {
      console.log(`${job.name} 的 ${slot} 已经执行过，未重复发送。如确需再发一次，请加 --force。`);
      return;
    }
    if (values['dry-run']) {
      console.log(JSON.stringify(outcome.result.preview ?? outcome.result.summary, null, 2));
      return;
    }
    console.log(outcome.result.summary);
    if (api) {
      // Deliver what this run enqueued before exiting.
      for (let i = 0; i < 600 && (await app.outbox.tick()) > 0; i++);
    } else {
      console.log('未配置飞书应用：消息已存入发送队列，机器人下次启动时发出。');
    }
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).catch(fail);
