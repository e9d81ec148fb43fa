import { LEVEL_LABELS, type Level } from '../domain/scoring/types.js';
import { sectionEntries, type Rules } from '../domain/scoring/rules.js';
import type { RuleVersion } from '../domain/scoring/rule-versions.js';
import { describeQuota, quotasOf, type QuotaRule } from '../domain/ranking/quotas.js';
import { card, escapeMd, markdown, note, type Card } from './elements.js';

const LEVELS: Level[] = ['county', 'city', 'province', 'central'];

function levels(t: Partial<Record<Level, number>>): string {
  const parts = LEVELS.filter((l) => t[l] !== undefined).map((l) => `${LEVEL_LABELS[l]} ${t[l]}`);
  return parts.length ? parts.join(' · ') : '（未设）';
}

const COMBINE = { highest: '只计最高一处', cumulative: '累加' } as const;

/**
 * The rules as lines people read, one per rule key (same order as the YAML). `configuredQuotas`
 * (RANKING_QUOTAS) are the quotas of a rule set that names none.
 */
export function describeRules(r: Rules, configuredQuotas: QuotaRule[] | undefined): [key: keyof Rules, label: string, text: string][] {
  const quotas = quotasOf(r, configuredQuotas);
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  const cats = Object.entries(r.category_points);
  const mults = Object.entries(r.multipliers);
  return [
    ['name', '规则名称', r.name],
    ['points', '采用分值', levels(r.points)],
    ['category_points', '分类分值', cats.length ? cats.map(([c, t]) => `${c}：${levels(t ?? {})}`).join('；') : '无（按采用分值）'],
    ['multipliers', '分类倍数', mults.length ? mults.map(([c, m]) => `${c} ×${m}`).join('；') : '无'],
    ['publications', '刊物分值', Object.keys(r.publications).length ? Object.entries(r.publications).map(([p, n]) => `《${p}》${n} 分`).join('；') : '无（按县级采用分值）'],
    ['issue_adoption', '整期采用分值', Object.keys(r.issue_adoption).length ? levels(r.issue_adoption) : '未设（按采用分值）'],
    ['merged', '综合稿', `${r.merged.credit === 'full' ? '每个来源单位全额计分' : '各来源单位平分'}；综合稿分值 ${levels(r.merged.points)}`],
    ['outlets', '多处采用或刊发', COMBINE[r.outlets]],
    ['media', '上级媒体刊发', levels(r.media)],
    ['endorsement', '领导批示加分', `${levels(r.endorsement.points)}（${COMBINE[r.endorsement.combine]}）`],
    ['topic', '点题时效', `按时 ${signed(r.topic.on_time)} · 逾期 ${signed(r.topic.late)} · 未提交 ${signed(r.topic.missing)}；本单位点题${r.topic.unit_topics ? '同样计分' : '只统计时效，不计分'}`],
    ['cap_per_unit_per_quarter', '每单位每季度上限', r.cap_per_unit_per_quarter === null ? '不设上限' : `${r.cap_per_unit_per_quarter} 分`],
    [
      'assessment',
      '考核表',
      `满分 ${r.assessment.max}；${sectionEntries(r.assessment.sections)
        .map(([name, s]) => `${name} 上限 ${s.cap} 分、权重 ${s.weight}`)
        .join('；')}`,
    ],
    [
      'quotas',
      '任务指标',
      (quotas.length ? quotas.map((q) => `${q.name}：${describeQuota(q)}`).join('；') : '无') + (r.quotas ? '' : '（初始设置）'),
    ],
  ];
}

function lines(r: Rules, configuredQuotas: QuotaRule[] | undefined): string {
  return describeRules(r, configuredQuotas)
    .slice(1)
    .map(([, label, text]) => `- **${label}**：${escapeMd(text)}`)
    .join('\n');
}

export function rulesCard(o: { current: RuleVersion; scheduled: RuleVersion[]; editor: boolean; configuredQuotas: QuotaRule[] | undefined }): Card {
  const { current } = o;
  return card({
    title: `积分规则 · 第${current.version}版`,
    subtitle: `${escapeMd(current.rules.name)}，自 ${current.version === 1 ? '启用' : current.effectiveFrom} 起执行`,
    template: 'blue',
    summary: `积分规则第${current.version}版`,
    elements: [
      markdown(lines(current.rules, o.configuredQuotas)),
      o.scheduled.length > 0 &&
        markdown(`**已排定的新规则**\n${o.scheduled.map((v) => `- 第${v.version}版：${v.effectiveFrom} 起生效`).join('\n')}`),
      note(
        o.editor
          ? '修改规则：发送“规则 生效 YYYY-MM-DD”，换行后写要改的项，例如\n规则 生效 2027-01-01\ncap_per_unit_per_quarter: 40\n发送“规则 模板”获取全部可改的项。生效日期须晚于今天，已发生的记分不受影响。'
          : '每条记分按其发生当日执行的规则计算。发送“积分”查看本单位得分明细。',
      ),
    ],
  });
}

/** Confirmation of a saved version, with what changed against the version it replaces. */
export function ruleSavedCard(o: { saved: RuleVersion; base: RuleVersion; configuredQuotas: QuotaRule[] | undefined }): Card {
  const before = new Map(describeRules(o.base.rules, o.configuredQuotas).map(([k, , t]) => [k, t]));
  const changed = describeRules(o.saved.rules, o.configuredQuotas).filter(([k, , t]) => before.get(k) !== t);
  return card({
    title: `已保存第${o.saved.version}版积分规则`,
    subtitle: `自 ${o.saved.effectiveFrom} 起生效，替代第${o.base.version}版`,
    template: 'green',
    summary: `第${o.saved.version}版积分规则已保存`,
    elements: [
      markdown(
        changed.length
          ? `**改动**\n${changed.map(([k, label, t]) => `- **${label}**：${escapeMd(before.get(k) ?? '')} → ${escapeMd(t)}`).join('\n')}`
          : '内容与第' + o.base.version + '版相同（只新增了一个生效日期）。',
      ),
      markdown(`**新规则全文**\n${lines(o.saved.rules, o.configuredQuotas)}`),
      note('生效日之前发生的记分仍按原规则计算。'),
    ],
  });
}
