import { z } from 'zod';
import { actionSpec } from '../bot/declare.js';
import type { RuleVersion } from '../domain/scoring/rule-versions.js';
import { sectionEntries } from '../domain/scoring/rules.js';
import { LEVEL_LABELS, type Level } from '../domain/scoring/types.js';
import { card, form, input, markdown, note, submitButton, type Card, type Element } from './elements.js';

/** `base`: the version the form showed; `sections`: the section names, in the order of the form's fields. */
export const RULES_FORM_ACTION = actionSpec('rules.form', z.object({ base: z.number().int().optional(), sections: z.array(z.string().max(100)).max(50) }));
const LEVELS: Level[] = ['county', 'city', 'province', 'central'];

const num = (name: string, label: string, value: number | null) =>
  input({ name, label, placeholder: '数字', maxLength: 10, ...(value !== null ? { defaultValue: String(value) } : {}) });

/**
 * The rules as numbers in fields: adoption points, the quarterly cap, the assessment table (maximum,
 * each section's cap and weight) and an effective date. Submitting saves a new rule version.
 */
export function rulesFormCard(o: { current: RuleVersion; tomorrow: string }): Card {
  const r = o.current.rules;
  const sections = sectionEntries(r.assessment.sections);
  const fields: Element[] = [
    ...LEVELS.map((l) => num(`p_${l}`, `${LEVEL_LABELS[l]}采用分值`, r.points[l])),
    input({
      name: 'qcap',
      label: '每单位每季度得分上限（留空为不设上限）',
      placeholder: '留空为不设上限',
      maxLength: 10,
      ...(r.cap_per_unit_per_quarter !== null ? { defaultValue: String(r.cap_per_unit_per_quarter) } : {}),
    }),
    num('max', '考核表满分', r.assessment.max),
    ...sections.flatMap(([name, s], i) => [num(`s${i}_cap`, `${name}：年度上限`, s.cap), num(`s${i}_weight`, `${name}：权重`, s.weight)]),
    { tag: 'date_picker', name: 'date', required: true, initial_date: o.tomorrow, placeholder: { tag: 'plain_text', content: '生效日期' } },
    submitButton({ name: 'rules_submit', text: '保存为新版本', value: RULES_FORM_ACTION.value({ base: o.current.version, sections: sections.map(([name]) => name) }) }),
  ];
  return card({
    title: `修改积分规则（当前第${o.current.version}版）`,
    template: 'turquoise',
    summary: '修改积分规则',
    elements: [
      markdown('改好数字、选好生效日期后保存。各考核项权重合计须等于满分。生效日期须晚于今天：之前发生的记分仍按原规则计算。'),
      form('rules', fields),
      note('其他项（分类分值、综合稿、批示加分等）可发送“规则 模板”按文字修改。'),
    ],
  });
}
