import { stringify } from 'yaml';
import { cardAction, command, roles } from '../../bot/declare.js';
import { UserError } from '../../bot/errors.js';
import { formatLocalDate } from '../../bot/time.js';
import { ruleSavedCard } from '../../cards/desk-rules.js';
import { ISSUE_ADOPTION_LEVELS, RULES_FORM_ACTION, rulesFormCard } from '../../cards/rules-form.js';
import { activePublications } from '../../domain/desk/publications.js';
import { quotasOf } from '../../domain/ranking/quotas.js';
import { createRuleVersion, loadRuleVersions, ruleInForce } from '../../domain/scoring/rule-versions.js';
import type { Rules } from '../../domain/scoring/rules.js';
import { LEVEL_LABELS, type Level } from '../../domain/scoring/types.js';

const LEVELS: Level[] = ['county', 'city', 'province', 'central'];

/** `规则表单`: the rules as a card form, for editors. */
export const rulesFormCommand = command({
  name: '规则表单',
  summary: '用表单修改积分分值、上限、考核表权重、任务指标（研究室）',
  usage: '规则表单',
  allow: roles(['editor'], '修改积分规则'),
  async run(ctx) {
    const now = ctx.deps.clock.now();
    const tz = ctx.deps.config.timezone;
    const current = ruleInForce(await loadRuleVersions(ctx.tx), formatLocalDate(now, tz));
    const publications = (await activePublications(ctx.tx)).map((p) => p.name);
    await ctx.reply(
      rulesFormCard({
        current,
        tomorrow: formatLocalDate(new Date(now.getTime() + 86_400_000), tz),
        publications,
        quotas: quotasOf(current.rules, ctx.deps.config.rankingQuotas),
      }),
    );
  },
});

/**
 * Saves the form as a new rule version. The fields become the same YAML an editor could type, laid
 * over the version in force on the effective date, so every check of the YAML path applies (weights
 * adding up to the maximum, caps above zero, quota targets above zero) and the version keeps a YAML
 * for export. Quotas are written only when a target changed: a version that leaves them alone keeps
 * following RANKING_QUOTAS if the rules never set any.
 */
export const rulesFormSubmit = cardAction(RULES_FORM_ACTION, {
  allow: roles(['editor'], '修改积分规则'),
  async run(ctx, { sections, pubs, quotas: quotaNames }) {
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
    const optional = (key: string, label: string): number | undefined => (String(values[key] ?? '').trim() ? number(key, label) : undefined);
    const points = Object.fromEntries(LEVELS.map((l) => [l, number(`p_${l}`, `${LEVEL_LABELS[l]}采用分值`)]));
    const qcapRaw = String(values.qcap ?? '').trim();
    const qcap = qcapRaw ? number('qcap', '每单位每季度得分上限') : null;
    const max = number('max', '考核表满分');
    const table = Object.fromEntries(sections.map((name, i) => [name, { cap: number(`s${i}_cap`, `${name}：年度上限`), weight: number(`s${i}_weight`, `${name}：权重`) }]));
    const pubPoints = pubs.map((name, i) => [name, optional(`pub${i}`, `编入《${name}》的分值`)] as const);
    const issueAdoption = ISSUE_ADOPTION_LEVELS.map((l) => [l, optional(`ia_${l}`, `整期被${LEVEL_LABELS[l]}采用的分值`)] as const);
    const targets = new Map(quotaNames.map((name, i) => [name, number(`q${i}`, `${name}目标篇数`)]));
    const date = String(values.date ?? '').split(' ')[0] ?? '';
    if (!date) problems.push('请选择生效日期');
    if (problems.length) throw new UserError(`未保存：${problems.join('；')}。`);
    const configured = ctx.deps.config.rankingQuotas;
    const flow = (v: unknown) => stringify(v, { collectionStyle: 'flow' }).trim();
    const defined = <K extends string>(entries: readonly (readonly [K, number | undefined])[]) =>
      Object.fromEntries(entries.filter((e): e is readonly [K, number] => e[1] !== undefined));
    const yaml = (base: Rules) => {
      const lines = [`points: ${flow(points)}`];
      // The form shows some publications and levels; the rest (a county level written in YAML) stay.
      const shownPubs = new Set(pubs);
      lines.push(`publications: ${flow({ ...Object.fromEntries(Object.entries(base.publications).filter(([k]) => !shownPubs.has(k))), ...defined(pubPoints) })}`);
      const keptLevels = Object.entries(base.issue_adoption).filter(([l]) => !(ISSUE_ADOPTION_LEVELS as string[]).includes(l));
      lines.push(`issue_adoption: ${flow({ ...Object.fromEntries(keptLevels), ...defined(issueAdoption) })}`);
      lines.push(`cap_per_unit_per_quarter: ${flow(qcap)}`, `assessment: ${flow({ max, sections: table })}`);
      const inForce = quotasOf(base, configured);
      for (const name of targets.keys()) {
        if (!inForce.some((q) => q.name === name)) {
          throw new UserError(`未保存：任务指标“${name}”在 ${date} 执行的规则中已没有，请重新发送“规则表单”。`);
        }
      }
      if (inForce.some((q) => targets.has(q.name) && targets.get(q.name) !== q.target)) {
        lines.push(`quotas: ${flow(inForce.map((q) => ({ ...q, target: targets.get(q.name) ?? q.target })))}`);
      }
      return lines.join('\n');
    };
    const { version, base } = await createRuleVersion(ctx.tx, {
      yaml,
      replace: ['publications', 'issue_adoption'],
      effectiveFrom: date,
      actor: ctx.who.openId,
      now: ctx.deps.clock.now(),
      timezone: ctx.deps.config.timezone,
    });
    ctx.log.info({ version: version.version, effectiveFrom: version.effectiveFrom }, 'score rules saved from the form');
    return { toast: { type: 'success', content: `已保存第${version.version}版规则` }, card: ruleSavedCard({ saved: version, base, configuredQuotas: configured }) };
  },
});
