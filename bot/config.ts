import { z } from 'zod';
import cron from 'node-cron';
import { quotaListSchema, type QuotaRule } from '../domain/ranking/quotas.js';

/**
 * The only place that reads the environment. Pure: pass the env in,
 * get a validated config or a ConfigError naming every bad variable and its fix.
 */

const LARK_APP_ID = /^cli_[0-9a-zA-Z]{16}$/;

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

function intInRange(min: number, max: number, message: string) {
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));
}

const cronPattern = optionalString.pipe(
  z.string().refine((v) => cron.validate(v), '应为 5 段 cron 表达式（分 时 日 月 周，按 BOT_TIMEZONE），例如 0 9 1 * *').optional(),
);

/** Scheduled bulletins (jobs/bulletin-jobs.ts) by job name: their optional cron overrides. */
const BULLETIN_SCHEDULE_VARS = {
  BULLETIN_MONTHLY_CRON: 'monthly-bulletin',
  BULLETIN_QUARTERLY_CRON: 'quarterly-bulletin',
  BULLETIN_ANNUAL_CRON: 'annual-bulletin',
} as const;

const quotasJson = optionalString.pipe(
  z
    .string()
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: '应为 JSON 数组，格式见 .env.example' });
        return z.NEVER;
      }
    })
    .pipe(quotaListSchema)
    .optional(),
);

const envSchema = z.object({
  LARK_APP_ID: optionalString.pipe(
    z.string().regex(LARK_APP_ID, '应形如 cli_ 加 16 位字母数字（飞书开发者后台“凭证与基础信息”页的 App ID）').optional(),
  ),
  LARK_APP_SECRET: optionalString,
  LARK_ENCRYPT_KEY: optionalString,
  LARK_VERIFICATION_TOKEN: optionalString,
  LARK_BASE_URL: optionalString.pipe(
    z.string().url('应为完整网址，例如 https://open.feishu.cn 或 https://open.larksuite.com').optional(),
  ),
  LARK_MODE: optionalString.pipe(z.enum(['webhook', 'ws'], { message: '只能是 webhook 或 ws' }).optional()),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, '应为 postgres:// 开头的连接串；不设置则使用内置数据库')
      .optional(),
  ),
  PGLITE_DIR: optionalString,
  LOCAL_MODE: optionalString.pipe(
    z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: '只能是 1（本地体验模式）或 0' }).optional(),
  ),
  PORT: optionalString.pipe(intInRange(1, 65535, '应为 1-65535 的端口号').optional()),
  BOT_TIMEZONE: optionalString.pipe(
    z
      .string()
      .refine(isTimeZone, '应为 IANA 时区名，例如 Asia/Shanghai')
      .optional(),
  ),
  LOG_LEVEL: optionalString.pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: '只能是 fatal/error/warn/info/debug/trace/silent',
    }).optional(),
  ),
  OUTBOX_APP_RATE: optionalString.pipe(intInRange(1, 50, '应为 1-50 的整数（飞书应用级上限为每秒 50 条）').optional()),
  REVIEW_REMIND_HOURS: optionalString.pipe(intInRange(1, 720, '应为 1-720 的整数（小时）').optional()),
  REVIEW_ESCALATE_HOURS: optionalString.pipe(intInRange(1, 2160, '应为 1-2160 的整数（小时）').optional()),
  REVIEW_REMIND_BUZZ: optionalString.pipe(
    z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: '只能是 true 或 false' }).optional(),
  ),
  MAX_FILE_MB: optionalString.pipe(intInRange(1, 100, '应为 1-100 的整数（飞书消息文件下载上限为 100 MB）').optional()),
  INBOX_CONCURRENCY: optionalString.pipe(intInRange(1, 50, '应为 1-50 的整数（同时处理的消息条数）').optional()),
  INBOX_FILE_CONCURRENCY: optionalString.pipe(intInRange(1, 10, '应为 1-10 的整数（同时下载、解析的文件个数）').optional()),
  DOWNLOAD_IDLE_SECONDS: optionalString.pipe(intInRange(5, 600, '应为 5-600 的整数（秒）').optional()),
  BULLETIN_MONTHLY_CRON: cronPattern,
  BULLETIN_QUARTERLY_CRON: cronPattern,
  BULLETIN_ANNUAL_CRON: cronPattern,
  RANKING_QUOTAS: quotasJson,
  BULLETIN_APPROVAL: optionalString.pipe(
    z.enum(['on', 'signers', 'off'], { message: '只能是 on（研究室审定）、signers（研究室和签发人审定）或 off（不审定，按时直接发送）' }).optional(),
  ),
  BULLETIN_REMIND_HOURS: optionalString.pipe(intInRange(1, 720, '应为 1-720 的整数（小时）').optional()),
  ISSUE_PUBLISH_NOTIFY: optionalString.pipe(
    z
      .string()
      .transform((v) => v.split(/[,，\s]+/).filter(Boolean))
      .pipe(z.array(z.enum(['leaders', 'units', 'group'], { message: '只能是 leaders、units、group 的组合（逗号分隔）' })))
      .optional(),
  ),
  TRUST_PROXY: optionalString.pipe(
    z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: '只能是 true 或 false' }).optional(),
  ),
  SHUTDOWN_TIMEOUT_SECONDS: optionalString.pipe(intInRange(1, 600, '应为 1-600 的整数（秒）').optional()),
  RETENTION_DAYS: optionalString.pipe(intInRange(1, 3650, '应为 1-3650 的整数（天）').optional()),
  LOG_FORMAT: optionalString.pipe(z.enum(['json', 'pretty'], { message: '只能是 json 或 pretty' }).optional()),
});

const truthy = (v: string | undefined) => ['true', '1', 'yes', 'on'].includes(v ?? '');

/** Every variable the bot reads (each must be documented in .env.example). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type LarkConfig = {
  appId: string;
  appSecret: string;
  encryptKey: string | undefined;
  verificationToken: string;
  baseUrl: string;
  mode: 'webhook' | 'ws';
};

export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

export type Config = {
  /** The Lark app; undefined when none is configured (local mode, or a CLI that does not talk to Lark). */
  lark: LarkConfig | undefined;
  /**
   * Local mode: the built-in emulator plays Lark. Only when asked for (LOCAL_MODE=1) or when nothing
   * points at real data (no Lark app and no DATABASE_URL): a production database whose Lark secrets
   * were not mounted must not have its outbox delivered to the emulator.
   */
  localMode: boolean;
  database: DatabaseConfig;
  port: number;
  timezone: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  outboxAppRate: number;
  /** 催办: remind reviewers of a draft pending this long, once per period; tell editors past escalateHours. */
  reviewReminders: { remindHours: number; escalateHours: number; buzz: boolean };
  /** Largest draft file (Word, PDF, text) the bot downloads, in bytes. */
  maxFileBytes: number;
  /**
   * Messages handled at once, and of those how many may download and parse a file (each can hold
   * maxFileBytes and a parser). A chat's messages are always handled one after another.
   */
  inbox: { concurrency: number; fileConcurrency: number };
  /** A file download that receives no byte for this long is given up (the sender is told). */
  downloadIdleMs: number;
  /** Cron overrides by job name (the scheduler falls back to each job's own pattern). */
  jobSchedules: Record<string, string>;
  /** Targets shown on rankings; undefined means the defaults in domain/ranking/quotas.ts. */
  rankingQuotas: QuotaRule[] | undefined;
  /** 审定 of the ranking bulletins: who approves before the group sees them ('off': post at once). */
  bulletinApproval: { mode: 'on' | 'signers' | 'off'; remindHours: number };
  /** Who hears of a 印发: leaders (the .docx privately), the units in it, the work group (titles only). */
  issuePublishNotify: ('leaders' | 'units' | 'group')[];
  /** Believe X-Forwarded-For (only behind a reverse proxy that sets it); off by default. */
  trustProxy: boolean;
  /** SIGTERM: finish work in flight for this long, then hand back what is still held and exit. */
  shutdownTimeoutMs: number;
  /** Copies of message text in handled inbox events and sent outbox rows are blanked after this many days. */
  retentionDays: number;
  /** Log lines as JSON (production) or readable text; undefined = pretty in local mode, JSON otherwise. */
  logFormat: 'json' | 'pretty' | undefined;
};

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      '配置有误，机器人未启动：\n' +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n') +
        '\n请在 .env 或环境变量中修正后重新启动（各变量说明见 .env.example）。',
    );
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  const e = parsed.data;
  const problems: { variable: string; message: string }[] = [];

  let lark: LarkConfig | undefined;
  if (e.LARK_APP_ID) {
    // Once an app id is given we are talking to a real tenant: never fall back to the emulator silently.
    if (!e.LARK_APP_SECRET) problems.push({ variable: 'LARK_APP_SECRET', message: '已设置 LARK_APP_ID，必须同时设置 App Secret' });
    if (!e.LARK_VERIFICATION_TOKEN)
      problems.push({
        variable: 'LARK_VERIFICATION_TOKEN',
        message: '已设置 LARK_APP_ID，必须设置 Verification Token（开发者后台“事件与回调 → 加密策略”）',
      });
    if ((e.LARK_MODE ?? 'webhook') === 'webhook' && !e.LARK_ENCRYPT_KEY)
      problems.push({
        variable: 'LARK_ENCRYPT_KEY',
        message: 'webhook 模式必须设置 Encrypt Key，否则无法校验请求签名（开发者后台“事件与回调 → 加密策略”）',
      });
    lark = {
      appId: e.LARK_APP_ID,
      appSecret: e.LARK_APP_SECRET ?? '',
      encryptKey: e.LARK_ENCRYPT_KEY,
      verificationToken: e.LARK_VERIFICATION_TOKEN ?? '',
      baseUrl: e.LARK_BASE_URL ?? 'https://open.feishu.cn',
      mode: e.LARK_MODE ?? 'webhook',
    };
    if (truthy(e.LOCAL_MODE))
      problems.push({ variable: 'LOCAL_MODE', message: '已设置 LARK_APP_ID（飞书模式），不能同时设置 LOCAL_MODE=1；二者只能选一' });
  } else {
    for (const v of ['LARK_APP_SECRET', 'LARK_ENCRYPT_KEY', 'LARK_VERIFICATION_TOKEN'] as const) {
      if (e[v]) problems.push({ variable: 'LARK_APP_ID', message: `设置了 ${v} 却缺少 LARK_APP_ID；本地体验模式请删除全部 LARK_ 变量` });
    }
  }
  if (problems.length) throw new ConfigError(dedupeProblems(problems));

  return {
    lark,
    localMode: !lark && (truthy(e.LOCAL_MODE) || (e.LOCAL_MODE === undefined && !e.DATABASE_URL)),
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dir: e.PGLITE_DIR ?? './data/pglite' },
    port: e.PORT ?? 3000,
    timezone: e.BOT_TIMEZONE ?? 'Asia/Shanghai',
    logLevel: e.LOG_LEVEL ?? 'info',
    outboxAppRate: e.OUTBOX_APP_RATE ?? 20,
    reviewReminders: {
      remindHours: e.REVIEW_REMIND_HOURS ?? 24,
      escalateHours: e.REVIEW_ESCALATE_HOURS ?? 72,
      buzz: truthy(e.REVIEW_REMIND_BUZZ),
    },
    maxFileBytes: (e.MAX_FILE_MB ?? 20) * 1024 * 1024,
    inbox: { concurrency: e.INBOX_CONCURRENCY ?? 8, fileConcurrency: e.INBOX_FILE_CONCURRENCY ?? 2 },
    downloadIdleMs: (e.DOWNLOAD_IDLE_SECONDS ?? 30) * 1000,
    jobSchedules: Object.fromEntries(
      Object.entries(BULLETIN_SCHEDULE_VARS).flatMap(([variable, job]) => {
        const pattern = e[variable as keyof typeof BULLETIN_SCHEDULE_VARS];
        return pattern ? [[job, pattern]] : [];
      }),
    ),
    rankingQuotas: e.RANKING_QUOTAS,
    bulletinApproval: { mode: e.BULLETIN_APPROVAL ?? 'on', remindHours: e.BULLETIN_REMIND_HOURS ?? 24 },
    issuePublishNotify: e.ISSUE_PUBLISH_NOTIFY ?? ['leaders', 'units', 'group'],
    trustProxy: truthy(e.TRUST_PROXY),
    shutdownTimeoutMs: (e.SHUTDOWN_TIMEOUT_SECONDS ?? 8) * 1000,
    retentionDays: e.RETENTION_DAYS ?? 30,
    logFormat: e.LOG_FORMAT,
  };
}

/**
 * What `npm start` needs beyond a valid config: a Lark app or local mode. Without either (DATABASE_URL
 * set, no LARK_ variables: typically secrets that were not mounted) the bot must not start at all.
 */
export function assertStartable(config: Config): void {
  if (config.lark || config.localMode) return;
  throw new ConfigError([
    {
      variable: 'LARK_APP_ID',
      message:
        config.database.kind === 'postgres'
          ? '缺少。已设置 DATABASE_URL（PostgreSQL）却没有配置飞书应用，为免把真实数据交给内置飞书模拟器，机器人未启动'
          : '缺少。LOCAL_MODE=0 关闭了本地体验模式，需要配置飞书应用',
    },
    { variable: 'LARK_APP_SECRET', message: '缺少（开发者后台“凭证与基础信息”）' },
    { variable: 'LARK_VERIFICATION_TOKEN', message: '缺少（开发者后台“事件与回调 → 加密策略”）' },
    { variable: 'LARK_ENCRYPT_KEY', message: '缺少（webhook 模式必填；LARK_MODE=ws 长连接模式可不设）' },
    { variable: 'LOCAL_MODE', message: '如确实要在 DATABASE_URL 指向的数据库上运行本地体验模式，请设置 LOCAL_MODE=1' },
  ]);
}

function dedupeProblems(problems: { variable: string; message: string }[]) {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.variable) ? false : (seen.add(p.variable), true)));
}
