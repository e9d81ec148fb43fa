import type { Command } from '../../bot/handlers.js';
import { PermissionError, UserError } from '../../bot/errors.js';
import { localYear } from '../../bot/time.js';
import { assessmentCard } from '../../cards/assessment.js';
import { computeAssessment } from '../../domain/ranking/assessment.js';

/** `考核 [年份]`: the year's assessment table. Editors and leaders see every unit; units their own. */
export const assessmentCommand: Command = {
  name: '考核',
  summary: '查看年度考核表（千分制）',
  usage: '考核 [2026]',
  audience: ['editor', 'leader', 'reviewer', 'officer'],
  async run(ctx, args) {
    const who = ctx.who;
    const seesAll = who.editor || who.leader;
    const own = [...who.officerUnits, ...who.reviewerUnits].map((u) => u.id);
    if (!seesAll && !own.length) throw new PermissionError('只有名册中的信息员、组织委员、研究室和部领导可以查看考核表。');
    const now = ctx.deps.clock.now();
    const word = args.trim().replace(/年度?$/, '');
    if (word && !/^\d{4}$/.test(word)) throw new UserError('请写年份，例如：考核 2026');
    const year = word ? Number(word) : localYear(now, ctx.deps.config.timezone);
    const report = await computeAssessment(ctx.tx, { year, timezone: ctx.deps.config.timezone, now, ...(seesAll ? {} : { unitIds: own }) });
    await ctx.reply(assessmentCard(report));
  },
};
