import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { jobRuns } from '../../db/schema/index.js';
import { findButton, Harness, P } from '../helpers/harness.js';
import { confirm, sampleDraft, sendDraft } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const REMINDER = /^【提醒】您 .+ 发来的稿件《(.+)》还没有提交审核，组织委员还看不到它。请在这张确认卡片上点“提交审核”；不需要提交的，点“取消”。$/;

/** Ticks the scheduler at a local (Asia/Shanghai) time of 4 December 2026, with the clock there. */
async function at(h: Harness, local: string) {
  const t = new Date(`2026-12-04T${local}:00+08:00`);
  h.clock.set(t.toISOString());
  await h.app.scheduler.tick(t);
  await h.settle(0);
}

describe('稿件待提交提醒', { timeout: 120_000 }, () => {
  it('answers a confirmation card left unanswered for two hours, once, in working hours; not one answered', async () => {
    h = await Harness.start({ start: '2026-12-04T01:00:00Z' }); // 09:00 local
    const forgotten = await sendDraft(h, P.officer1, sampleDraft('城关镇推进网格化治理').text);
    const submitted = await sendDraft(h, P.officer2, sampleDraft('城关镇开展党员冬训').text);
    const cancelled = await sendDraft(h, P.officer1, sampleDraft('一条不打算提交的消息').text);
    expect((await confirm(h, P.officer2, submitted)).toast?.type).toBe('success');
    const res = await h.click(P.officer1, cancelled.messageId, findButton(cancelled.content, '取消'), { formValue: {}, name: 'cancel_draft' });
    expect(res.toast?.content).toBe('已取消，未提交。');

    const reminders = () => h!.fake.messages.filter((m) => !m.inbound && m.msgType === 'text' && REMINDER.test(String((m.content as { text?: string }).text)));
    await at(h, '10:45');
    expect(reminders()).toEqual([]);

    await at(h, '11:15');
    const [sent] = reminders();
    expect(reminders()).toHaveLength(1);
    expect(String((sent!.content as { text: string }).text).match(REMINDER)![1]).toBe('城关镇推进网格化治理');
    // A reply to the card: Lark quotes it, its buttons one tap away.
    expect(sent!.parentId).toBe(forgotten.messageId);
    expect(sent!.p2pUserOpenId ?? sent!.receiveId).toBe(P.officer1);

    await at(h, '11:30');
    await at(h, '15:00');
    expect(reminders()).toHaveLength(1);
    // Tapped after the reminder: it is a draft like any other.
    expect((await confirm(h, P.officer1, forgotten)).toast?.type).toBe('success');
  });

  it('waits for the morning when the two hours end at night, and leaves cards of days ago alone', async () => {
    h = await Harness.start({ start: '2026-12-01T12:30:00Z' }); // 20:30 local on 1 December
    await sendDraft(h, P.officer1, sampleDraft('三天前的旧稿').text);
    h.clock.set('2026-12-04T12:30:00Z'); // 20:30 on 4 December
    await sendDraft(h, P.officer2, sampleDraft('晚上发来的稿件').text);
    const texts = () => h!.fake.messages.filter((m) => !m.inbound && m.msgType === 'text' && REMINDER.test(String((m.content as { text?: string }).text))).map((m) => String((m.content as { text: string }).text).match(REMINDER)![1]);

    // 22:45: two hours have passed, but the job runs from 08:00 to 20:59 only.
    const night = new Date('2026-12-04T14:45:00Z');
    h.clock.set(night.toISOString());
    await h.app.scheduler.tick(night);
    await h.settle(0);
    expect(texts()).toEqual([]);
    expect(await h.db.db.select().from(jobRuns).where(eq(jobRuns.job, 'confirm-reminders'))).toEqual([]);

    // A bot started at 06:30 catches up the evening's last slot: it says nothing before 08:00 either.
    const early = new Date('2026-12-04T22:30:00Z');
    h.clock.set(early.toISOString());
    await h.app.scheduler.catchUp(early);
    await h.settle(0);
    expect(texts()).toEqual([]);
    expect((await h.db.db.select().from(jobRuns).where(eq(jobRuns.job, 'confirm-reminders'))).map((r) => r.outcome)).toEqual(['非工作时间，不发提醒']);

    const morning = new Date('2026-12-05T00:00:00Z'); // 08:00 on 5 December
    h.clock.set(morning.toISOString());
    await h.app.scheduler.tick(morning);
    await h.settle(0);
    expect(texts()).toEqual(['晚上发来的稿件']);
  });
});
