import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../../bot/errors.js';
import { RULE_KEY_LABELS, rulesSchema, type Rules } from './rules.js';

export type ParsedDefault = { rules: Rules; effectiveFrom: string; yaml: string };

const DEFAULT_YAML = readFileSync(new URL('./default-rules.yaml', import.meta.url), 'utf8');

let defaultRules: ParsedDefault | undefined;

/** Version 1: the rules shipped with the program. A broken file is a bug, so it throws plainly. */
export function defaultRuleSet(): ParsedDefault {
  if (!defaultRules) {
    const doc = parseYaml(DEFAULT_YAML) as Record<string, unknown>;
    const { effective_from, ...rest } = doc;
    const effectiveFrom = typeof effective_from === 'string' ? effective_from : String(effective_from ?? '2000-01-01');
    defaultRules = { rules: rulesSchema.parse(rest), effectiveFrom, yaml: DEFAULT_YAML };
  }
  return defaultRules;
}

/**
 * Reads an editor's YAML: either a whole rule set or only the keys to change, laid over `base` (the
 * version in force on the effective date). Everything wrong is reported at once, in Chinese. Keys in
 * `replace` take the given table whole instead of merging it: a form that shows every entry of a
 * table (刊物分值) clears an entry by leaving its field blank, which a merge could not express.
 */
export function parseRulesYaml(text: string, base: Rules, replace: readonly (keyof Rules)[] = []): Rules {
  let doc: unknown;
  try {
    // Dates stay strings; an editor writing 2026-12-01 in a note must not get a Date object.
    doc = parseYaml(text, { schema: 'core', uniqueKeys: true });
  } catch (err) {
    throw new UserError(yamlErrorText(err, text));
  }
  if (doc === null || doc === undefined) throw new UserError('规则内容为空：请在“规则 生效 日期”的下一行写要修改的项，例如\ncap_per_unit_per_quarter: 40');
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UserError('规则应写成“项: 值”的形式，每项一行，例如\npoints: {county: 1, city: 5, province: 10, central: 30}');
  }
  const given = doc as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(given)) {
    if (key === 'effective_from' || key === 'version') {
      problems.push(`“${key}”不用写：生效日期写在第一行“规则 生效 YYYY-MM-DD”中，版本号由系统编排。`);
    } else if (/[：，｛｝［］]/.test(key)) {
      problems.push(`“${key}”中有中文标点：请使用英文半角的冒号、逗号和括号（“:”“,”“{}”“[]”）。`);
    } else if (!(key in RULE_KEY_LABELS)) {
      problems.push(`不认识的项“${key}”。可用的项：${Object.keys(RULE_KEY_LABELS).join('、')}。`);
    }
  }
  if (problems.length) throw new UserError(rulesErrorText(problems));
  const merged = deepMerge(base as unknown as Record<string, unknown>, given);
  for (const key of replace) if (key in given) merged[key] = given[key];
  const result = rulesSchema.safeParse(merged);
  if (!result.success) throw new UserError(rulesErrorText(result.error.issues.map(issueText)));
  return result.data;
}

function rulesErrorText(problems: string[]): string {
  const list = problems.slice(0, 8).map((p, i) => `${i + 1}. ${p}`);
  if (problems.length > 8) list.push(`……另有 ${problems.length - 8} 处`);
  return `规则未保存，请修改后重新发送：\n${list.join('\n')}`;
}

function issueText(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  const top = path[0] as keyof typeof RULE_KEY_LABELS | undefined;
  const where = path.length ? `“${path.join('.')}”${top && RULE_KEY_LABELS[top] ? `（${RULE_KEY_LABELS[top]}）` : ''}` : '规则';
  if (issue.code === 'unrecognized_keys') return `${where}中有不认识的项：${issue.keys.join('、')}。`;
  // Our schema carries Chinese messages; zod's own defaults are English and only say "invalid".
  const message = /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : '取值不符合要求';
  return `${where}：${message}。`;
}

function yamlErrorText(err: unknown, text: string): string {
  const line = err instanceof YAMLParseError ? err.linePos?.[0]?.line : undefined;
  const hints: string[] = [];
  if (/[：，｛｝［］]/.test(text)) hints.push('请使用英文半角的冒号、逗号和括号（“:”“,”“{}”“[]”）');
  hints.push('每项一行，写成“项: 值”，冒号后留一个空格');
  return `规则格式有误${line ? `（规则第 ${line} 行）` : ''}，未保存。${hints.join('；')}。`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key (so `points: {city: 6}` changes one level); anything else replaces. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}
