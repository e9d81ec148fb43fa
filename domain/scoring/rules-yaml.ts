import { stringify } from 'yaml';
import type { Rules } from './rules.js';

const COMMENTS: Record<keyof Rules, string> = {
  name: '规则名称',
  points: '每篇被采用稿件的分值（county 县级，city 市级，province 省级，central 中央）',
  category_points: '某一分类单独的分值（可选），例如 {调研文稿: {county: 2}}',
  multipliers: '分类倍数（可选），例如 {调研文稿: 2}；乘在采用和媒体刊发分值上',
  publications: '编入本县某一刊物的分值（可选），例如 {组工专报: 3}；未写的刊物按县级分值',
  issue_adoption: '本县刊物整期被上级采用时，其中每条稿件按级别的分值（可选），例如 {city: 3}；未写的级别按上级采用分值',
  merged: '综合稿：credit 为 full（每个来源单位全额）或 split（各单位平分）；points 为综合稿按级别的分值',
  outlets: '一篇稿件多处采用或刊发：highest 只计最高一处，cumulative 累加',
  media: '上级媒体刊发的分值（按媒体级别）',
  endorsement: '领导批示加分（按领导级别）；combine 为 highest 或 cumulative',
  topic: '点题：按时提交加分；逾期、未提交扣分写负数；unit_topics 为 true 时组织委员给本单位的点题同样计分，false 或不写只统计时效、不计分',
  cap_per_unit_per_quarter: '每个单位每季度得分上限；不设上限写 null',
  assessment: '年度考核表（千分制）：max 为满分；sections 为各考核项的年度上限 cap 和权重 weight，权重合计须等于满分',
  quotas:
    '任务指标（排行和通报中的任务进度）：每项 name 名称，scope 为 county（全县合计）或 unit（每个单位），per 为 month/quarter/year，target 目标篇数，measure 为 submitted（送审）/approved（报研究室）/adopted（采用），可选 category 分类、minLevel 最低采用级别；写了即整体替换原列表',
};

/**
 * A rule set as YAML an editor can copy, edit and send back: one key a line in flow style, so the
 * text survives chat clients that strip indentation.
 */
export function rulesToYaml(r: Rules): string {
  return (Object.keys(COMMENTS) as (keyof Rules)[])
    // A version without quotas takes them from the deployment; writing them out would freeze them.
    .filter((k) => r[k] !== undefined)
    .map((k) => `# ${COMMENTS[k]}\n${k}: ${stringify(r[k], { collectionStyle: 'flow', lineWidth: 0 }).trim()}`)
    .join('\n');
}
