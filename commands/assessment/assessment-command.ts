import { command, roles } from '../../bot/declare.js';
import { optionalYear } from '../arg-schemas.js';
import { localYear } from '../../bot/time.js';
import { assessmentCard } from '../../cards/assessment.js';
import { computeAssessment } from '../../domain/ranking/assessment.js';

/** `考核 [年份]`: the year's assessment table. Editors and leaders see every unit; units their own. */
export const assessmentCommand = command({
  name: '考核',
  summary: '查看年度考核表（千分制）',
  usage: '考核 [2026]',
  // Units see their own rows only (below).
  allow: roles(['officer', 'reviewer', 'editor', 'leader'], '查看考核表', '只有名册中的信息员、组织委员、研究室和部领导可以查看考核表。'),
  audience: ['editor', 'leader', 'reviewer', 'officer'],
  args: optionalYear('请写年份，例如：考核 2026'),
  async run(ctx, year) {
    const who = ctx.who;
    const seesAll = who.editor || who.leader;
    const own = [...who.officerUnits, ...who.reviewerUnits].map((u) => u.id);
    const now = ctx.deps.clock.now();
    const report = await computeAssessment(ctx.tx, { year: year ?? localYear(now, ctx.deps.config.timezone), timezone: ctx.deps.config.timezone, now, ...(seesAll ? {} : { unitIds: own }) });
    await ctx.reply(assessmentCard(report));
  },
});
