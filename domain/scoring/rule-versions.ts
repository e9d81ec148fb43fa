import { asc, max, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { scoreRuleVersions } from '../../db/schema/index.js';
import { UserError } from '../../bot/errors.js';
import { formatLocalDate } from '../../bot/time.js';
import { recordAudit } from '../drafts/transition.js';
import { defaultRuleSet, parseRulesYaml } from './parse-rules.js';
import { rulesSchema, type Rules } from './rules.js';

export type RuleVersion = {
  version: number;
  /** Local calendar date (YYYY-MM-DD) from which this version prices events. */
  effectiveFrom: string;
  rules: Rules;
  yaml: string;
  createdBy: string | undefined;
  createdAt: Date | undefined;
};

/** Every version, oldest effective date first (ties: the later version wins, so it sorts after). */
export async function loadRuleVersions(db: DbOrTx): Promise<RuleVersion[]> {
  const d = defaultRuleSet();
  const rows = await db.select().from(scoreRuleVersions).orderBy(asc(scoreRuleVersions.version));
  const versions: RuleVersion[] = [
    { version: 1, effectiveFrom: d.effectiveFrom, rules: d.rules, yaml: d.yaml, createdBy: undefined, createdAt: undefined },
    ...rows.map((r) => ({
      version: r.version,
      effectiveFrom: r.effectiveFrom,
      // Stored rules were validated when saved; keys added to the defaults since come from version 1.
      rules: rulesSchema.parse({ ...d.rules, ...r.rules }),
      yaml: r.yaml,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
    })),
  ];
  return versions.sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? a.version - b.version : a.effectiveFrom < b.effectiveFrom ? -1 : 1));
}

/** The version in force on a local date: the latest effective date not after it. */
export function ruleInForce(versions: RuleVersion[], localDate: string): RuleVersion {
  let found = versions[0]!;
  for (const v of versions) if (v.effectiveFrom <= localDate) found = v;
  return found;
}

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/** Serializes rule changes, whose version number is max + 1. */
const lockSql = sql`select pg_advisory_xact_lock(hashtext('gaojian.score_rules'))`;

/** 2026-12-01 (or 2026-12-1) → 2026-12-01, or undefined when it is not a real date. */
export function normalizeDate(s: string): string | undefined {
  const m = DATE.exec(s.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Saves an editor's rule change as a new version. The effective date must be after today: events that
 * already happened keep the points they were given (a change never rewrites history). `yaml` may be
 * built from the base rules (the version in force on the effective date, read under the lock), as the
 * rules form does to keep what it does not show; `replace` as in parseRulesYaml.
 */
export async function createRuleVersion(
  tx: Tx,
  o: {
    yaml: string | ((base: Rules) => string);
    replace?: readonly (keyof Rules)[];
    effectiveFrom: string;
    actor: string;
    now: Date;
    timezone: string;
  },
): Promise<{ version: RuleVersion; base: RuleVersion }> {
  const effectiveFrom = normalizeDate(o.effectiveFrom);
  if (!effectiveFrom) throw new UserError(`生效日期“${o.effectiveFrom}”无法识别，请写成 YYYY-MM-DD，例如 2026-12-01。`);
  const today = formatLocalDate(o.now, o.timezone);
  if (effectiveFrom <= today) {
    throw new UserError(`生效日期须晚于今天（${today}）：已发生的记分按当时的规则计算，规则变更不改写历史。`);
  }
  await tx.execute(lockSql);
  const versions = await loadRuleVersions(tx);
  const base = ruleInForce(versions, effectiveFrom);
  const yaml = typeof o.yaml === 'string' ? o.yaml : o.yaml(base.rules);
  const rules = parseRulesYaml(yaml, base.rules, o.replace);
  const [{ top } = { top: null }] = await tx.select({ top: max(scoreRuleVersions.version) }).from(scoreRuleVersions);
  const version = Math.max(1, Number(top ?? 1)) + 1;
  await tx.insert(scoreRuleVersions).values({
    version,
    effectiveFrom,
    yaml,
    rules: rules as unknown as Record<string, unknown>,
    createdBy: o.actor,
    createdAt: o.now,
  });
  await recordAudit(tx, {
    at: o.now,
    actor: o.actor,
    entityType: 'score_rules',
    entityId: version,
    action: 'rules.create',
    data: { effectiveFrom, baseVersion: base.version, rules },
  });
  return { version: { version, effectiveFrom, rules, yaml, createdBy: o.actor, createdAt: o.now }, base };
}

