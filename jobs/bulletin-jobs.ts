import { APPROVAL_PURPOSE, approvalCard } from '../cards/bulletin-approval.js';
import { rankingCard } from '../cards/ranking-card.js';
import { currentRanking } from '../domain/ranking/compute.js';
import {
  parsePeriod,
  periodContaining,
  periodKey,
  periodLabel,
  periodOfKey,
  previousPeriod,
  type PeriodKind,
} from '../domain/ranking/period.js';
import { prepareApproval } from '../domain/ranking/approval.js';
import type { Job } from './types.js';
import { UserError } from '../bot/errors.js';

const SPECS: { kind: PeriodKind; name: string; title: string; cron: string; example: string }[] = [
  // 09:00 local on the 1st: the previous month is complete and people are at their desks.
  { kind: 'month', name: 'monthly-bulletin', title: '月通报', cron: '0 9 1 * *', example: '2026-10' },
  { kind: 'quarter', name: 'quarterly-bulletin', title: '季度通报', cron: '0 9 1 1,4,7,10 *', example: '2026Q3' },
  { kind: 'year', name: 'annual-bulletin', title: '年度通报', cron: '0 9 1 1 *', example: '2026' },
];

/**
 * The ranking bulletins to the work group. A firing is about the period that just ended, and that
 * period is the slot: the job machinery runs each slot once across bot processes and catches a
 * missed one up after a restart.
 */
export function bulletinJobs(): Job[] {
  return SPECS.map((spec) => bulletinJob(spec));
}

function bulletinJob(spec: (typeof SPECS)[number]): Job {
  const slotOf = (at: Date, timezone: string) => periodKey(previousPeriod(periodContaining(spec.kind, at, timezone)));
  return {
    name: spec.name,
    description: `生成上一期排行${spec.title}（经研究室审定后发送到工作群），可用 --period ${spec.example} 指定期间`,
    cron: spec.cron,
    slotOf,
    manualSlot(options, now, timezone) {
      if (typeof options.period !== 'string') return slotOf(now, timezone);
      // A UserError's message is its Chinese explanation, which the CLI prints as it is.
      const period = parsePeriod(options.period, now, timezone);
      if (period.kind !== spec.kind) throw new UserError(`${spec.title}的期间应写成 ${spec.example} 这样，而“${options.period}”是${periodLabel(period)}。`);
      return periodKey(period);
    },
    async run(ctx, { tx, out }) {
      const { report, department, groupChatId } = await currentRanking(tx, ctx.deps, periodOfKey(ctx.slot));
      const card = rankingCard(report, { timezone: ctx.deps.config.timezone, department, bulletin: true });
      // No roster means no group to post to; failing keeps the slot open for the run after the import.
      if (!groupChatId) throw new UserError('名册尚未导入，不知道工作群，通报未发送（npm run org:import）');
      // A period before the roster existed has no units: a fresh deployment catching up the last
      // slot must not post an empty bulletin to the group.
      if (report.rows.length === 0) return { summary: `${report.label}没有参加排行的单位，${spec.title}未发送`, preview: card };
      const counts = `${report.rows.length} 个单位，零报送 ${report.zeroSubmission.length} 个`;
      if (ctx.dryRun) return { summary: `（试运行，未发送）${report.label}${spec.title}：${counts}`, preview: card };
      if (ctx.deps.config.bulletinApproval.mode === 'off') {
        await out.sendCard({ chatId: groupChatId }, card);
        return { summary: `已向工作群发送${report.label}${spec.title}：${counts}`, preview: card };
      }
      // 审定: prepared and shown to the approvers; only their 审定发布 posts it to the group.
      const prepared = await prepareApproval(tx, ctx.deps, { job: spec.name, period: ctx.slot, title: `${report.label}${spec.title}`, card, groupChatId });
      if (prepared) {
        const preview = approvalCard(prepared.row, { timezone: ctx.deps.config.timezone });
        const track = { purpose: APPROVAL_PURPOSE, entityType: 'bulletin_approval', entityId: prepared.row.id };
        for (const openId of prepared.approvers) await out.sendCard({ openId }, preview, track);
      }
      return {
        summary: prepared
          ? `已生成${report.label}${spec.title}（${counts}），已发研究室审定，审定后发送到工作群`
          : `${report.label}${spec.title}此前已生成，未重复生成`,
        preview: card,
      };
    },
  };
}
