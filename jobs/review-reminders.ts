import { holdersOf, displayName } from '../db/queries/roster.js';
import { formatLocal } from '../bot/time.js';
import { claimReminder } from '../domain/topics/reminders.js';
import { deliveredReviewCard, pendingReviews } from '../domain/topics/pending-reviews.js';
import type { Job } from './types.js';

const HOUR = 3600_000;

/**
 * 催办: a draft waiting for review longer than REVIEW_REMIND_HOURS reminds its unit's reviewers once
 * per such period (optionally with Lark's buzz on their review card); past REVIEW_ESCALATE_HOURS the
 * editors are told once. Keys carry the time the wait began, so a resubmitted revision starts over.
 */
export const reviewRemindersJob: Job = {
  name: 'review-reminders',
  description: '稿件待审核催办',
  cron: '*/5 * * * *',
  slotOf: (firedAt, timezone) => formatLocal(firedAt, timezone),
  catchUpWindowMs: 24 * HOUR,
  async run(ctx, { tx, out }) {
    const now = ctx.deps.clock.now();
    const { remindHours, escalateHours, buzz } = ctx.deps.config.reviewReminders;
    let reminded = 0;
    let escalated = 0;
    for (const d of await pendingReviews(tx)) {
      const waited = now.getTime() - d.since.getTime();
      const hours = Math.floor(waited / HOUR);
      const period = Math.floor(waited / (remindHours * HOUR));
      const base = `review:${d.id}:${d.since.toISOString()}`;
      const reviewers = await holdersOf(tx, 'reviewer', [d.unitId]);
      if (period >= 1 && (await claimReminder(tx, `${base}:r${period}`, now))) {
        reminded += 1;
        for (const r of reviewers) {
          const text = `【催办】${d.unitName}稿件 ${d.serial}《${d.title}》已待审核 ${hours} 小时（${formatLocal(d.since, ctx.deps.config.timezone)} 提交），请尽快在审核卡片上通过或退回。`;
          // A reply to the reviewer's review card: Lark quotes it, its buttons one tap away.
          const card = await deliveredReviewCard(tx, d.id, r.openId);
          if (card) await out.replyText(card.messageId, r.openId, text);
          else await out.sendText({ openId: r.openId }, text);
          if (card && buzz) await out.urgent(card.id, [r.openId]);
        }
      }
      if (waited >= escalateHours * HOUR && (await claimReminder(tx, `${base}:escalate`, now))) {
        escalated += 1;
        const names = reviewers.map((r) => displayName(r.name, r.openId)).join('、') || '（本单位暂无组织委员）';
        const text = `【催办】${d.unitName}稿件 ${d.serial} 已待审核 ${hours} 小时仍未处理（超过 ${escalateHours} 小时），审核人：${names}。`;
        await out.sendMany((await holdersOf(tx, 'editor')).map((e) => ({ to: { openId: e.openId }, content: text })));
      }
    }
    return { summary: `催办 ${reminded} 篇，告知研究室 ${escalated} 篇` };
  },
};
