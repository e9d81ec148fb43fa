import { stringify } from 'yaml';
import { cardAction, command, roles } from '../../bot/declare.js';
import { UserError } from '../../bot/errors.js';
import { formatLocalDate } from '../../bot/time.js';
import { ruleSavedCard } from '../../cards/desk-rules.js';
import { RULES_FORM_ACTION, rulesFormCard } from '../../cards/rules-form.js';
import { createRuleVersion, loadRuleVersions, ruleInForce } from '../../domain/scoring/rule-versions.js';
import { LEVEL_LABELS, type Level } from '../../domain/scoring/types.js';

const LEVELS: Level[] = ['county', 'city', 'province', 'central'];

/** `规则表单`: the rules as a card form, for editors. */
export const rulesFormCommand = command({
  name: '规则表单',
  summary: '用表单修改积分分值、上限、考核表权重（研究室）',
  usage: '规则表单',
  allow: roles(['editor'], '修改积分规则'),
  async run(ctx) {
    const now = ctx.deps.clock.now();
    const tz = ctx.deps.config.timezone;
    const current = ruleInForce(await loadRuleVersions(ctx.tx), formatLocalDate(now, tz));
    await ctx.reply(rulesFormCard({ current, tomorrow: formatLocalDate(new Date(now.getTime() + 86_400_000), tz) }));
  },
});

/**
 * Saves the form as a new rule version. The fields become the same YAML an editor could type, laid
 * over the version in force on the effective date, so every check of the YAML path applies (weights
 * adding up to the maximum, caps above zero) and the version keeps a YAML for export.
 */
export const rulesFormSubmit = cardAction(RULES_FORM_ACTION, {
  allow: roles(['editor'], '修改积分规则'),
  async run(ctx, { sections }) {
    const values = ctx.event.formValue ?? {};
    const problems: string[] = [];
    const number = (key: string, label: string): number | undefined => {
      const raw = String(values[key] ?? '').trim();
      const n = Number(raw);
      if (!raw || !Number.isFinite(n)) {
        problems.push(`“${label}”应为数字`);
        return undefined;
      }
      return n;
    };
    const points = Object.fromEntries(LEVELS.map((l) => [l, number(`p_${l}`, `${LEVEL_LABELS[l]}采用分值`)]));
    const qcapRaw = String(values.qcap ?? '').trim();
    const qcap = qcapRaw ? number('qcap', '每单位每季度得分上限') : null;
    const max = number('max', '考核表满分');
    const table = Object.fromEntries(sections.map((name, i) => [name, { cap: number(`s${i}_cap`, `${name}：年度上限`), weight: number(`s${i}_weight`, `${name}：权重`) }]));
    const date = String(values.date ?? '').split(' ')[0] ?? '';
    if (!date) problems.push('请选择生效日期');
    if (problems.length) throw new UserError(`未保存：${problems.join('；')}。`);
    const flow = (v: unknown) => stringify(v, { collectionStyle: 'flow' }).trim();
    const yaml = [`points: ${flow(points)}`, `cap_per_unit_per_quarter: ${flow(qcap)}`, `assessment: ${flow({ max, sections: table })}`].join('\n');
    const { version, base } = await createRuleVersion(ctx.tx, { yaml, effectiveFrom: date, actor: ctx.who.openId, now: ctx.deps.clock.now(), timezone: ctx.deps.config.timezone });
    ctx.log.info({ version: version.version, effectiveFrom: version.effectiveFrom }, 'score rules saved from the form');
    return { toast: { type: 'success', content: `已保存第${version.version}版规则` }, card: ruleSavedCard({ saved: version, base }) };
  },});
