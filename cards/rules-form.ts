import { z } from 'zod';
import { actionSpec } from '../bot/declare.js';
import type { RuleVersion } from '../domain/scoring/rule-versions.js';
import { sectionEntries } from '../domain/scoring/rules.js';
import { describeQuota, type QuotaRule } from '../domain/ranking/quotas.js';
import { LEVEL_LABELS, type Level } from '../domain/scoring/types.js';
import { card, form, input, markdown, note, submitButton, type Card, type Element } from './elements.js';

/**
 * `base`: the version the form showed; `sections`, `pubs`, `quotas`: the section, publication and
 * quota names, in the order of the form's fields (cards sent before a list was added lack it).
 */
export const RULES_FORM_ACTION = actionSpec(
  'rules.form',
  z.object({
    base: z.number().int().optional(),
    sections: z.array(z.string().max(100)).max(50),
    pubs: z.array(z.string().max(30)).max(20).default([]),
    quotas: z.array(z.string().max(20)).max(10).default([]),
  }),
);
const LEVELS: Level[] = ['county', 'city', 'province', 'central'];
/** A whole issue is adopted by a level above the county. */
export const ISSUE_ADOPTION_LEVELS: Level[] = ['city', 'province', 'central'];

const optionalNum = (name: string, label: string, value: number | undefined) =>
  input({ name, label, placeholder: '留空为不单独设定', maxLength: 10, ...(value !== undefined ? { defaultValue: String(value) } : {}) });

const num = (name: string, label: string, value: number | null) =>
  input({ name, label, placeholder: '数字', maxLength: 10, ...(value !== null ? { defaultValue: String(value) } : {}) });

/**
 * The rules as numbers in fields: adoption points, each publication's points, a whole issue's
 * adoption points, the quarterly cap, the assessment table (maximum, each section's cap and weight),
 * each quota's target and an effective date. Submitting saves a new rule version.
 * `publications`: the desk's publications (those the rules price but the desk no longer has are
 * shown too); `quotas`: the quotas in force (the rules' own, else the configured ones).
 */
export function rulesFormCard(o: { current: RuleVersion; tomorrow: string; publications: string[]; quotas: QuotaRule[] }): Card {
  const r = o.current.rules;
  const sections = sectionEntries(r.assessment.sections);
  const pubs = [...new Set([...o.publications, ...Object.keys(r.publications)])];
  const fields: Element[] = [
    ...LEVELS.map((l) => num(`p_${l}`, `${LEVEL_LABELS[l]}采用分值`, r.points[l])),
    ...pubs.map((name, i) => optionalNum(`pub${i}`, `编入《${name}》的分值（留空按县级采用分值）`, r.publications[name])),
    ...ISSUE_ADOPTION_LEVELS.map((l) => optionalNum(`ia_${l}`, `整期被${LEVEL_LABELS[l]}采用，每条稿件的分值（留空按采用分值）`, r.issue_adoption[l])),
    input({
      name: 'qcap',
      label: '每单位每季度得分上限（留空为不设上限）',
      placeholder: '留空为不设上限',
      maxLength: 10,
      ...(r.cap_per_unit_per_quarter !== null ? { defaultValue: String(r.cap_per_unit_per_quarter) } : {}),
    }),
    num('max', '考核表满分', r.assessment.max),
    ...sections.flatMap(([name, s], i) => [num(`s${i}_cap`, `${name}：年度上限`, s.cap), num(`s${i}_weight`, `${name}：权重`, s.weight)]),
    ...o.quotas.map((q, i) => num(`q${i}`, `任务指标“${q.name}”的目标篇数（${describeQuota(q)}）`, q.target)),
    { tag: 'date_picker', name: 'date', required: true, initial_date: o.tomorrow, placeholder: { tag: 'plain_text', content: '生效日期' } },
    submitButton({ name: 'rules_submit', text: '保存为新版本', value: RULES_FORM_ACTION.value({ base: o.current.version, sections: sections.map(([name]) => name), pubs, quotas: o.quotas.map((q) => q.name) }) }),
  ];
  return card({
    title: `修改积分规则（当前第${o.current.version}版）`,
    template: 'turquoise',
    summary: '修改积分规则',
    elements: [
      markdown('改好数字、选好生效日期后保存。各考核项权重合计须等于满分。生效日期须晚于今天：之前发生的记分仍按原规则计算；任务指标按统计期最后一天执行的规则计。'),
      form('rules', fields),
      note('其他项（分类分值、综合稿、批示加分等），以及新增、删除任务指标或改其统计口径，请发送“规则 模板”按文字修改。'),
    ],
  });
}
