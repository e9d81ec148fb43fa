import { afterEach, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { outbox, people, roleAssignments, sentReminders, topicTargets } from '../../db/schema/index.js';
import { createScheduler } from '../../jobs/scheduler.js';
import { allJobs } from '../../jobs/index.js';
import { topicOutcomes } from '../../domain/topics/timeliness.js';
import { findButton, Harness, P } from '../helpers/harness.js';
import { board, boardText, DEADLINE, expectAllCardsValid, HOUR, postTopic, submitDraft, tickAt, unitId, LONG_SCENARIO_MS } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const EVERYONE = [P.officer1, P.officer2, P.officer3, P.reviewer1, P.reviewer2, P.reviewer3, P.editor];
const at = (msBeforeDeadline: number) => new Date(DEADLINE.getTime() - msBeforeDeadline);

/** 催报 texts each person received so far. */
function reminders(harness: Harness) {
  return Object.fromEntries(EVERYONE.map((p) => [p, harness.textsTo(p).filter((t) => t.includes('【催报】'))]));
}
function counts(harness: Harness) {
  return Object.fromEntries(Object.entries(reminders(harness)).map(([p, list]) => [p, list.length]));
}
const none = Object.fromEntries(EVERYONE.map((p) => [p, 0]));

describe('deadline reminders (催报)', () => {
  it('reminds only the units that have not submitted, 24 h and 2 h before, then records the deadline', async () => {
    h = await Harness.start();
    await postTopic(h); // T1, 城关镇 and 东街街道, 2026-11-05 18:00
    const { draft } = await submitDraft(h, P.officer1, 1);
    const submittedAt = draft.submittedAt;

    await tickAt(h, at(24 * HOUR + 5 * 60_000));
    expect(counts(h)).toEqual(none);

    await tickAt(h, at(24 * HOUR));
    const r = reminders(h);
    expect(r[P.officer3]).toEqual(['【催报】点题 T1“基层党建典型经验”将于 2026年11月5日 18:00 截止（还剩约 24 小时），东街街道尚未提交。写好后私聊发给我，提交审核时选择 T1。']);
    expect(r[P.reviewer2]).toEqual(['【催报】点题 T1“基层党建典型经验”将于 2026年11月5日 18:00 截止（还剩约 24 小时），您负责的东街街道尚未提交，请督促信息员按时提交。']);
    expect(counts(h)).toEqual({ ...none, [P.officer3]: 1, [P.reviewer2]: 1, [P.reviewer3]: 1 });

    // Later heartbeats in the same window send nothing more.
    await tickAt(h, at(24 * HOUR - 5 * 60_000));
    await tickAt(h, at(2 * HOUR + 5 * 60_000));
    expect(counts(h)).toEqual({ ...none, [P.officer3]: 1, [P.reviewer2]: 1, [P.reviewer3]: 1 });

    await tickAt(h, at(2 * HOUR));
    expect(reminders(h)[P.officer3]![1]).toContain('（还剩约 2 小时）');
    expect(counts(h)).toEqual({ ...none, [P.officer3]: 2, [P.reviewer2]: 2, [P.reviewer3]: 2 });

    // The deadline: outcomes recorded, the board turns, the editors get the overdue summary.
    await tickAt(h, DEADLINE);
    const summary = h.textsTo(P.editor).find((t) => t.includes('【逾期汇总】'))!;
    expect(summary).toContain('点题 T1“基层党建典型经验”已于 2026年11月5日 18:00 截止');
    expect(summary).toContain('按时提交 1 个单位：城关镇');
    expect(summary).toContain('未提交 1 个单位：东街街道');
    expect(boardText(h)).toContain('东街街道：逾期');
    expect(boardText(h)).toContain('已截止');
    expect(boardText(h)).toContain('此后提交的稿件记为逾期');
    const cgz = await unitId(h, '城关镇');
    const djj = await unitId(h, '东街街道');
    expect(await topicOutcomes(h.db.db, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') })).toEqual([
      { topicId: 1, unitId: cgz, outcome: 'on_time', at: DEADLINE, answeredAt: submittedAt },
      { topicId: 1, unitId: djj, outcome: 'missing', at: DEADLINE, answeredAt: null },
    ]);
    // Processed once: later heartbeats neither re-send the summary nor remind anyone.
    await tickAt(h, new Date(DEADLINE.getTime() + 5 * 60_000));
    expect(h.textsTo(P.editor).filter((t) => t.includes('【逾期汇总】'))).toHaveLength(1);
    expect(counts(h)).toEqual({ ...none, [P.officer3]: 2, [P.reviewer2]: 2, [P.reviewer3]: 2 });

    // A late answer: still offered (open topic), recorded as late with its own time.
    h.clock.set(new Date(DEADLINE.getTime() + 3 * HOUR));
    const late = await submitDraft(h, P.officer3, 1, '东街街道网格党建见实效');
    expect(boardText(h)).toContain('东街街道：已提交 1 篇（逾期提交）');
    const outcomes = await topicOutcomes(h.db.db, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
    expect(outcomes[1]).toEqual({ topicId: 1, unitId: djj, outcome: 'late', at: DEADLINE, answeredAt: late.draft.submittedAt });
    // The range selects topics by deadline: [from, to).
    expect(await topicOutcomes(h.db.db, { from: new Date('2026-11-05T10:00:00Z'), to: new Date('2026-11-06T00:00:00Z') })).toEqual(outcomes);
    expect(await topicOutcomes(h.db.db, { from: new Date('2026-10-01T00:00:00Z'), to: DEADLINE })).toEqual([]);
    expectAllCardsValid(h);
  }, LONG_SCENARIO_MS);

  it('reminds the designated officer (专职信息员) first: the 24 h reminder is theirs, the 2 h one goes to every officer, theirs first', async () => {
    h = await Harness.start();
    await postTopic(h); // T1, 城关镇 (赵信息 designated, 钱信息) and 东街街道 (吴信息 designated)
    await tickAt(h, at(24 * HOUR));
    expect(counts(h)).toEqual({ ...none, [P.officer1]: 1, [P.officer3]: 1, [P.reviewer1]: 1, [P.reviewer2]: 1, [P.reviewer3]: 1 });
    expect(reminders(h)[P.officer1]).toEqual(['【催报】点题 T1“基层党建典型经验”将于 2026年11月5日 18:00 截止（还剩约 24 小时），城关镇尚未提交。写好后私聊发给我，提交审核时选择 T1。']);

    await tickAt(h, at(2 * HOUR));
    expect(counts(h)).toEqual({ ...none, [P.officer1]: 2, [P.officer2]: 1, [P.officer3]: 2, [P.reviewer1]: 2, [P.reviewer2]: 2, [P.reviewer3]: 2 });
    // In the order the bot queued them (one outbox row each, delivered per chat in parallel):
    // designated officers, then the other officers, then reviewers.
    const queued = (await h.db.db.select().from(outbox).orderBy(asc(outbox.id)))
      .filter((r) => JSON.stringify(r.payload).includes('还剩约 2 小时'))
      .map((r) => r.orderKey);
    expect(queued).toEqual([P.officer1, P.officer3, P.officer2, P.reviewer1, P.reviewer2, P.reviewer3]);
  });

  it('sends the 24 h reminder to whoever claimed the topic for the unit, and follows a change of designated officer', async () => {
    h = await Harness.start();
    await postTopic(h);
    const b = board(h);
    expect((await h.click(P.officer2, b.messageId, findButton(b.content, '认领'))).toast?.type).toBe('success');
    // 东街街道's designated officer is replaced by a new officer before the reminder.
    const djj = await unitId(h, '东街街道');
    await h.db.db.insert(people).values({ openId: 'ou_officer9', name: '郑信息' });
    await h.db.db.update(roleAssignments).set({ designated: false }).where(and(eq(roleAssignments.unitId, djj), eq(roleAssignments.role, 'officer')));
    await h.db.db.insert(roleAssignments).values({ openId: 'ou_officer9', role: 'officer', unitId: djj, designated: true });
    await tickAt(h, at(24 * HOUR));
    expect(counts(h)).toEqual({ ...none, [P.officer1]: 1, [P.officer2]: 1, [P.reviewer1]: 1, [P.reviewer2]: 1, [P.reviewer3]: 1 });
    expect(h.textsTo('ou_officer9').filter((t) => t.includes('【催报】'))).toHaveLength(1);
  });

  it('skips a reminder whose window had begun when the topic was posted', async () => {
    h = await Harness.start({ start: '2026-11-04T12:00:00Z' }); // 22 h before the deadline
    await postTopic(h);
    await tickAt(h, '2026-11-04T12:05:00Z');
    expect(counts(h)).toEqual(none);
    await tickAt(h, at(2 * HOUR));
    expect(counts(h)).toEqual({ ...none, [P.officer1]: 1, [P.officer2]: 1, [P.officer3]: 1, [P.reviewer1]: 1, [P.reviewer2]: 1, [P.reviewer3]: 1 });
  });

  it('sends each reminder once with two schedulers on one database', async () => {
    h = await Harness.start();
    await postTopic(h);
    const second = createScheduler({ deps: h.app.deps, jobs: allJobs(), timezone: h.app.deps.config.timezone });
    try {
      h.clock.set(at(24 * HOUR));
      await Promise.all([h.app.scheduler.tick(h.clock.now()), second.tick(h.clock.now())]);
      await h.settle();
      // The second bot's next heartbeat (a different slot) finds the reminder already sent.
      await tickAt(h, at(24 * HOUR - 5 * 60_000), second);
      await tickAt(h, at(24 * HOUR - 10 * 60_000));
      // The 24-hour reminder goes to each unit's designated officer (赵信息, 吴信息), not 钱信息.
      expect(counts(h)).toEqual({ ...none, [P.officer1]: 1, [P.officer3]: 1, [P.reviewer1]: 1, [P.reviewer2]: 1, [P.reviewer3]: 1 });
      // And the deadline is processed once.
      h.clock.set(DEADLINE);
      await Promise.all([h.app.scheduler.tick(h.clock.now()), second.tick(h.clock.now())]);
      await tickAt(h, new Date(DEADLINE.getTime() + 5 * 60_000), second);
      expect(h.textsTo(P.editor).filter((t) => t.includes('【逾期汇总】'))).toHaveLength(1);
      expect((await h.db.db.select().from(sentReminders).orderBy(asc(sentReminders.key))).map((r) => r.key)).toEqual([
        `topic:1:24h:${DEADLINE.toISOString()}`,
      ]);
    } finally {
      await second.stop();
    }
  }, LONG_SCENARIO_MS);

  it('sends a reminder missed while the bot was down once after the restart', async () => {
    h = await Harness.start();
    await postTopic(h);
    const db = h.db;
    const before = h;
    await h.close({ keepDb: true });
    // Down across the 24 h mark; back 92 minutes later.
    h = await Harness.start({ db, org: null, sameAppAs: before, start: '2026-11-04T11:32:00Z' });
    await h.app.scheduler.catchUp(h.clock.now());
    await h.settle();
    await h.app.scheduler.catchUp(h.clock.now());
    await tickAt(h, '2026-11-04T11:35:00Z');
    await h.settle();
    const r = reminders(h);
    expect(r[P.officer3]).toHaveLength(1);
    expect(r[P.officer3]![0]).toContain('（还剩约 22 小时）');
    expect(counts(h)).toEqual({ ...none, [P.officer1]: 1, [P.officer3]: 1, [P.reviewer1]: 1, [P.reviewer2]: 1, [P.reviewer3]: 1 });
  }, LONG_SCENARIO_MS);

  it('an answer after the deadline but before the heartbeat processed it counts as late', async () => {
    h = await Harness.start();
    await postTopic(h);
    h.clock.set(new Date(DEADLINE.getTime() + 2 * 60_000));
    const { draft } = await submitDraft(h, P.officer1, 1);
    await tickAt(h, new Date(DEADLINE.getTime() + 5 * 60_000));
    const summary = h.textsTo(P.editor).find((t) => t.includes('【逾期汇总】'))!;
    expect(summary).toContain('按时提交 0 个单位。');
    expect(summary).toContain('逾期提交 1 个单位：城关镇');
    expect(summary).toContain('未提交 1 个单位：东街街道');
    const outcomes = await topicOutcomes(h.db.db, { from: DEADLINE, to: new Date(DEADLINE.getTime() + 1) });
    expect(outcomes.map((o) => [o.outcome, o.answeredAt])).toEqual([
      ['late', draft.submittedAt],
      ['missing', null],
    ]);
  });

  it('a unit that withdrew its only answer is missing at the deadline', async () => {
    h = await Harness.start();
    await postTopic(h);
    const { draft } = await submitDraft(h, P.officer1, 1);
    const receipt = [...h.cardsTo(P.officer1)].reverse().find((m) => JSON.stringify(m.content).includes('撤回'))!;
    const { findButton } = await import('../helpers/harness.js');
    const res = await h.click(P.officer1, receipt.messageId, findButton(receipt.content, '撤回'));
    expect(res.toast?.type).toBe('success');
    await h.settle();
    expect(boardText(h)).toContain('城关镇：未认领');
    await tickAt(h, DEADLINE);
    const targets = await h.db.db.select().from(topicTargets).orderBy(asc(topicTargets.unitId));
    expect(targets.map((t) => t.outcome)).toEqual(['missing', 'missing']);
    expect(draft.serial).toBe('2026-0001');
  });
});
