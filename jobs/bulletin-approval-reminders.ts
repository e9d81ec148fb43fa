import { formatLocal } from '../bot/time.js';
import { approversOf, pendingApprovals, reminderText } from '../domain/ranking/approval.js';
import { claimReminder } from '../domain/topics/reminders.js';
import type { Job } from './types.js';

const HOUR = 3600_000;

/**
 * A prepared bulletin nobody has acted on reminds its approvers once every BULLETIN_REMIND_HOURS.
 * Nothing is ever posted by this job: only 审定发布 posts.
 */
export const bulletinApprovalRemindersJob: Job = {
  name: 'bulletin-approval-reminders',
  description: '通报待审定提醒',
  cron: '*/15 * * * *',
  slotOf: (firedAt, timezone) => formatLocal(firedAt, timezone),
  catchUpWindowMs: 24 * HOUR,
  async run(ctx, { tx, out }) {
    const now = ctx.deps.clock.now();
    const { remindHours, mode } = ctx.deps.config.bulletinApproval;
    let reminded = 0;
    for (const a of await pendingApprovals(tx)) {
      const waited = now.getTime() - a.preparedAt.getTime();
      const period = Math.floor(waited / (remindHours * HOUR));
      if (period < 1 || !(await claimReminder(tx, `bulletin-approval:${a.id}:r${period}`, now))) continue;
      reminded += 1;
      for (const openId of await approversOf(tx, mode)) await out.sendText({ openId }, reminderText(a, ctx.deps.config.timezone, Math.floor(waited / HOUR)));
    }
    return { summary: `提醒待审定通报 ${reminded} 期` };
  },
};
