import { z } from 'zod';
import { CATEGORIES, type Category } from '../../db/schema/index.js';
import { quotaListSchema } from '../ranking/quotas.js';
import type { Level } from './types.js';

/**
 * The scoring rules as data. One version is a complete rule set; editors may send only the keys they
 * change, which are laid over the version in force on the new version's effective date.
 */

const LEVEL_KEYS = ['county', 'city', 'province', 'central'] as const;

const points = (max: number) =>
  z.number({ message: '应为数字' }).min(0, '不能为负数').max(max, `不能超过 ${max}`);

/** Points by level; every level present. */
const levelTable = z.strictObject(
  {
    county: points(1000),
    city: points(1000),
    province: points(1000),
    central: points(1000),
  },
  { message: '应写成 {county: 数字, city: 数字, province: 数字, central: 数字}' },
);

/** Points by level where only some levels are given. */
const partialLevelTable = z.strictObject(
  {
    county: points(1000).optional(),
    city: points(1000).optional(),
    province: points(1000).optional(),
    central: points(1000).optional(),
  },
  { message: '应写成 {级别: 数字}，级别为 county/city/province/central' },
);

const category = z.enum(CATEGORIES, { message: `分类只能是：${CATEGORIES.join('、')}` });

const combine = z.enum(['highest', 'cumulative'], { message: '只能是 highest（只计最高）或 cumulative（累加）' });

const penaltyOrBonus = z.number({ message: '应为数字' }).min(-100, '不能小于 -100').max(100, '不能超过 100');

/**
 * The year-end assessment table (千分制): each section's raw points stop at its cap for the year and
 * count for `capped / cap × weight`; the weights add up to `max`. Sections are the piece categories,
 * 时效 (topic timeliness) and any the department adds for manual 加分/扣分.
 */
const assessmentSection = z.strictObject(
  {
    cap: z.number({ message: '上限应为数字' }).gt(0, '上限应大于 0').max(100000, '上限不能超过 100000'),
    weight: z.number({ message: '权重应为数字' }).min(0, '权重不能为负数').max(100000, '权重不能超过 100000'),
  },
  { message: '应写成 {cap: 年度上限, weight: 权重}' },
);

const assessmentSchema = z
  .strictObject(
    {
      max: z.number({ message: '满分应为数字' }).gt(0, '满分应大于 0').max(100000, '满分不能超过 100000'),
      sections: z.record(
        z.string().min(1, '考核项名称不能为空').max(20, '考核项名称不超过 20 个字'),
        assessmentSection,
        { message: '应写成 {考核项: {cap: 年度上限, weight: 权重}}' },
      ),
    },
    { message: '应写成 {max: 满分, sections: {考核项: {cap: 年度上限, weight: 权重}}}' },
  )
  .superRefine((a, ctx) => {
    const entries = sectionEntries(a.sections);
    if (!entries.length) {
      ctx.addIssue({ code: 'custom', path: ['sections'], message: '至少要有一个考核项' });
      return;
    }
    const sum = round2(entries.reduce((s, [, v]) => s + v.weight, 0));
    if (sum !== a.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['sections'],
        message: `各项权重合计 ${sum}，应等于满分 ${a.max}（${entries.map(([k, v]) => `${k} ${v.weight}`).join(' + ')} = ${sum}）`,
      });
    }
  });

const round2 = (x: number) => Math.round(x * 100) / 100;

export const rulesSchema = z.strictObject({
  name: z.string({ message: '应为文字' }).min(1, '不能为空').max(60, '不超过 60 个字'),
  points: levelTable,
  category_points: z.partialRecord(category, partialLevelTable, { message: '应写成 {分类: {级别: 数字}}' }),
  multipliers: z.partialRecord(
    category,
    z.number({ message: '应为数字' }).gt(0, '应大于 0').max(10, '不能超过 10'),
    { message: '应写成 {分类: 倍数}' },
  ),
  publications: z.record(
    z.string().min(1, '刊物名称不能为空').max(30, '刊物名称不超过 30 个字'),
    points(1000),
    { message: '应写成 {刊物名称: 分值}，例如 {组工专报: 3}' },
  ),
  issue_adoption: partialLevelTable,
  merged: z.strictObject(
    {
      credit: z.enum(['split', 'full'], { message: '只能是 split（各单位平分）或 full（每个单位全额）' }),
      points: partialLevelTable,
    },
    { message: '应写成 {credit: split 或 full, points: {级别: 数字}}' },
  ),
  outlets: combine,
  media: levelTable,
  endorsement: z.strictObject(
    { points: levelTable, combine },
    { message: '应写成 {points: {级别: 数字}, combine: highest 或 cumulative}' },
  ),
  topic: z.strictObject(
    {
      on_time: penaltyOrBonus,
      late: penaltyOrBonus,
      missing: penaltyOrBonus,
      // A unit's own 点题 (set by its 组织委员) is recorded for timeliness either way; it earns or
      // loses points only when the rules say so, since a unit could otherwise award itself points.
      unit_topics: z.boolean({ message: '只能是 true（本单位点题同样计分）或 false（只统计时效，不计分）' }).optional(),
    },
    { message: '应写成 {on_time: 数字, late: 数字, missing: 数字, unit_topics: true 或 false}' },
  ),
  cap_per_unit_per_quarter: z
    .number({ message: '应为正数，或写 null 表示不设上限' })
    .gt(0, '应大于 0')
    .max(100000, '不能超过 100000')
    .nullable(),
  assessment: assessmentSchema,
  // The targets bulletins report progress against. Absent: RANKING_QUOTAS, then the built-in ones
  // (domain/ranking/quotas-in-force.ts); a list replaces the previous one whole.
  quotas: quotaListSchema.optional(),
});

export type Rules = z.infer<typeof rulesSchema>;

/** The keys an editor may write, with their Chinese names for messages and the rules card. */
export const RULE_KEY_LABELS: Record<keyof Rules, string> = {
  name: '规则名称',
  points: '采用分值',
  category_points: '分类分值',
  multipliers: '分类倍数',
  publications: '刊物分值',
  issue_adoption: '整期采用分值',
  merged: '综合稿',
  outlets: '多处采用',
  media: '媒体刊发分值',
  endorsement: '领导批示加分',
  topic: '点题时效',
  cap_per_unit_per_quarter: '季度上限',
  assessment: '考核表',
  quotas: '任务指标',
};

/** The section of topic timeliness events in the assessment table. */
export const TIMELINESS_SECTION = '时效';

const SECTION_ORDER: string[] = [...CATEGORIES, TIMELINESS_SECTION];

/**
 * A table's sections in a stable order: the categories, 时效, then those the department added by
 * name. Stored rules are jsonb, which keeps no key order.
 */
export function sectionEntries<T>(sections: Record<string, T>): [string, T][] {
  const rank = (k: string) => (SECTION_ORDER.includes(k) ? SECTION_ORDER.indexOf(k) : SECTION_ORDER.length);
  return Object.entries(sections).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b, 'zh'));
}

/**
 * Base points of an adoption of one piece, before multipliers and merged-credit splitting. A county
 * adoption into a publication the rules name (`publications: {组工专报: 3}`) is worth that, merged
 * or not: the department values its publications differently.
 */
export function adoptionBase(r: Rules, level: Level, cat: Category, merged: boolean, publication?: string): number {
  if (level === 'county' && publication !== undefined) {
    const p = r.publications[publication];
    if (p !== undefined) return p;
  }
  if (merged) {
    const m = r.merged.points[level];
    if (m !== undefined) return m;
  }
  return r.category_points[cat]?.[level] ?? r.points[level];
}

export function multiplierOf(r: Rules, cat: Category): number {
  return r.multipliers[cat] ?? 1;
}

export { LEVEL_KEYS };
