import { z } from 'zod';
import { CATEGORIES } from '../../db/schema/drafts.js';
import type { Level } from '../scoring/types.js';
import { PERIOD_MONTHS, enclosingPeriod, type Period, type PeriodKind } from './period.js';

/**
 * Targets the bulletin reports progress against. They are part of the scoring rules (`quotas:`, a
 * rule version's list; see quotas-in-force.ts), not code: every county sets its own ("4-5 research
 * pieces a month", "3-5 flagship pieces a year per unit"). RANKING_QUOTAS is the initial default.
 */
export type QuotaRule = {
  /** Short name shown on the card and as an Excel column, e.g. 精品稿件. */
  name: string;
  /** Across the whole county, or for each unit. */
  scope: 'county' | 'unit';
  per: PeriodKind;
  target: number;
  /** What counts: drafts submitted, drafts that passed review, or pieces adopted. */
  measure: 'submitted' | 'approved' | 'adopted';
  category?: (typeof CATEGORIES)[number];
  /** For adopted: the lowest level that counts (flagship pieces: city and above). */
  minLevel?: Level;
};

export const LEVEL_ORDER: Level[] = ['county', 'city', 'province', 'central'];

export const quotaRuleSchema = z
  .strictObject(
    {
      name: z.string({ message: '名称应为文字' }).trim().min(1, '名称不能为空').max(20, '名称不超过 20 个字'),
      scope: z.enum(['county', 'unit'], { message: 'scope 只能是 county（全县合计）或 unit（每个单位）' }),
      per: z.enum(['month', 'quarter', 'year'], { message: 'per 只能是 month、quarter 或 year' }),
      target: z.number({ message: '目标应为数字' }).positive('目标应大于 0').max(100000, '目标不能超过 100000'),
      measure: z.enum(['submitted', 'approved', 'adopted'], { message: 'measure 只能是 submitted（送审）、approved（报研究室）或 adopted（采用）' }),
      category: z.enum(CATEGORIES, { message: `category 只能是：${CATEGORIES.join('、')}` }).optional(),
      minLevel: z.enum(['county', 'city', 'province', 'central'], { message: 'minLevel 只能是 county、city、province 或 central' }).optional(),
    },
    { message: '每项任务指标应写成 {name: 名称, scope: county 或 unit, per: month/quarter/year, target: 数字, measure: submitted/approved/adopted}' },
  )
  .refine((q) => !q.minLevel || q.measure === 'adopted', { message: 'minLevel 只能用于 measure 为 adopted 的指标' });

export const quotaListSchema = z
  .array(quotaRuleSchema, { message: '应写成任务指标的列表 [{name: …, scope: …, per: …, target: …, measure: …}, …]' })
  .max(10, '任务指标不超过 10 项')
  // Names are what the card, the Excel columns and the rules form tell lines apart by.
  .refine((list) => new Set(list.map((q) => q.name)).size === list.length, { message: '任务指标的名称不能重复' });

/** The examples from the county's own rules, used until RANKING_QUOTAS or a rule version's `quotas` says otherwise. */
export const DEFAULT_QUOTAS: QuotaRule[] = [
  { name: '调研文稿', scope: 'county', per: 'month', target: 4, measure: 'adopted', category: '调研文稿' },
  { name: '精品稿件', scope: 'unit', per: 'year', target: 3, measure: 'adopted', minLevel: 'city' },
  { name: '月度送审', scope: 'unit', per: 'month', target: 2, measure: 'submitted' },
];

/**
 * The quotas a rule set gives. A version that never wrote `quotas:` (version 1, and every version
 * laid over it) uses the deployment's RANKING_QUOTAS, then the built-in ones: the variable is the
 * initial default, and the first version that writes a list takes over from it. Which version
 * applies to a period is quotasInForce's business (quotas-in-force.ts).
 */
export function quotasOf(rules: { quotas?: QuotaRule[] | undefined }, configured: QuotaRule[] | undefined): QuotaRule[] {
  return rules.quotas ?? configured ?? DEFAULT_QUOTAS;
}

const MEASURE_LABELS: Record<QuotaRule['measure'], string> = { submitted: '送审', approved: '报研究室', adopted: '采用' };
const PER_LABELS: Record<PeriodKind, string> = { month: '每月', quarter: '每季度', year: '每年' };
const LEVEL_WORDS: Record<Level, string> = { county: '县级', city: '市级', province: '省级', central: '中央' };

/** One line that says what the target is: 每单位每年 3 篇（市级及以上采用）. */
export function describeQuota(q: QuotaRule): string {
  const who = q.scope === 'county' ? '全县' : '每单位';
  const what = [q.category, q.minLevel && q.minLevel !== 'county' ? `${LEVEL_WORDS[q.minLevel]}及以上` : undefined, MEASURE_LABELS[q.measure]]
    .filter(Boolean)
    .join('');
  return `${who}${PER_LABELS[q.per]} ${formatNumber(q.target)} 篇（${what}）`;
}

/**
 * Which stretch of time a quota is judged over in a bulletin for `p`, and the target there. A quota
 * longer than the bulletin counts "so far" (a yearly quota in October: January to October); a
 * shorter one is multiplied (a monthly quota in a quarterly bulletin: three months' worth).
 */
export function quotaWindow(q: QuotaRule, p: Period): { window: Period; target: number; soFar: boolean } {
  const quotaMonths = PERIOD_MONTHS[q.per];
  const periodMonths = PERIOD_MONTHS[p.kind];
  if (quotaMonths >= periodMonths) return { window: enclosingPeriod(q.per, p), target: q.target, soFar: quotaMonths > periodMonths };
  return { window: p, target: q.target * (periodMonths / quotaMonths), soFar: false };
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}
