import { and, eq, gte, isNotNull, lte, sql } from 'drizzle-orm';
import { formatLocal, localParts } from '../bot/time.js';
import { titleOrPlaceholder } from '../cards/draft-parts.js';
import { excerpt } from '../cards/elements.js';
import { cardMessages, draftCandidates, roleAssignments } from '../db/schema/index.js';
import { PURPOSES } from '../domain/drafts/routing.js';
import { claimReminder } from '../domain/topics/reminders.js';
import type { Job } from './types.js';

const HOUR = 3600_000;
/** A draft still unconfirmed this long after its card was sent is probably thought sent. */
const REMIND_AFTER_MS = 2 * HOUR;
/**
 * Older ones are not reminded: a card ignored for days was given up, and the first run after an
 * upgrade must not remind of every card ever left open.
 */
const REMIND_WITHIN_MS = 3 * 24 * HOUR;
/** Local hours in which reminders go out, as the cron pattern says (08:00–20:59). */
const WORKING_HOURS = { from: 8, to: 20 };

/**
 * 待提交提醒: nothing an officer sends is a draft until they tap 提交审核 on its confirmation card,
 * and one who does not may believe the reviewer has it. Once, two hours on, the bot answers that
 * card (a reply quotes it, so the buttons are one tap away) saying it has not been submitted.
 * Working hours only (08:00–20:59): a reminder due at night waits for the morning.
 */
export const confirmRemindersJob: Job = {
  name: 'confirm-reminders',
  description: '稿件待提交提醒',
  cron: `*/15 ${WORKING_HOURS.from}-${WORKING_HOURS.to} * * *`,
  slotOf: (firedAt, timezone) => formatLocal(firedAt, timezone),
  catchUpWindowMs: 12 * HOUR,
  async run(ctx, { tx, out }) {
    const now = ctx.deps.clock.now();
    // A slot run late (at start-up, or again after a failure) looks at the present: not at night.
    const { hour } = localParts(now, ctx.deps.config.timezone);
    if (hour < WORKING_HOURS.from || hour > WORKING_HOURS.to) return { summary: '非工作时间，不发提醒' };
    const open = await tx
      .selectDistinct({ id: draftCandidates.id, openId: draftCandidates.openId, title: draftCandidates.title, revisionOf: draftCandidates.draftId, createdAt: draftCandidates.createdAt, cardMessageId: cardMessages.messageId })
      .from(draftCandidates)
      .innerJoin(
        cardMessages,
        and(
          eq(cardMessages.purpose, PURPOSES.confirm),
          eq(cardMessages.entityType, 'draft_candidate'),
          eq(cardMessages.entityId, sql`${draftCandidates.id}::text`),
          eq(cardMessages.recipient, draftCandidates.openId),
          isNotNull(cardMessages.messageId),
        ),
      )
      // Someone no longer an officer of the unit cannot submit it: nothing to remind them of.
      .innerJoin(
        roleAssignments,
        and(eq(roleAssignments.openId, draftCandidates.openId), eq(roleAssignments.unitId, draftCandidates.unitId), eq(roleAssignments.role, 'officer'), eq(roleAssignments.active, true)),
      )
      .where(
        and(
          eq(draftCandidates.status, 'open'),
          lte(draftCandidates.createdAt, new Date(now.getTime() - REMIND_AFTER_MS)),
          gte(draftCandidates.createdAt, new Date(now.getTime() - REMIND_WITHIN_MS)),
        ),
      )
      .orderBy(draftCandidates.id);
    let reminded = 0;
    for (const c of open) {
      if (!(await claimReminder(tx, `confirm:${c.id}`, now))) continue;
      reminded += 1;
      const what = `${c.revisionOf ? '修改稿' : '稿件'}《${excerpt(titleOrPlaceholder(c.title), 40)}》`;
      await out.replyText(
        c.cardMessageId!,
        c.openId,
        `【提醒】您 ${formatLocal(c.createdAt, ctx.deps.config.timezone)} 发来的${what}还没有提交审核，组织委员还看不到它。请在这张确认卡片上点“提交审核”；不需要提交的，点“取消”。`,
      );
    }
    return { summary: `提醒待提交稿件 ${reminded} 篇` };
  },
};
