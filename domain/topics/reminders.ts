import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { sentReminders, topicTargets, topics, type Topic } from '../../db/schema/index.js';
import { designatedOfficers, holdersOf } from '../../db/queries/roster.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { chineseDateTime } from '../../bot/time.js';
import { refreshBoard } from './board-sync.js';
import { topicCode } from './code.js';
import { describeTimeLeft } from './datetime.js';
import { firstAnswers, settleTopic } from './timeliness.js';
import { peopleOfUnits, targetUnitIds, unitNames } from './recipients.js';

const HOUR = 3600_000;

/** Reminders before a deadline (催报), the earliest lead first. */
export const REMINDER_LEADS = [
  { kind: '24h', ms: 24 * HOUR },
  { kind: '2h', ms: 2 * HOUR },
] as const;
export type ReminderKind = (typeof REMINDER_LEADS)[number]['kind'];

/**
 * Which reminder is due now: the one whose window [deadline - lead, next window) holds `now`. A
 * window missed entirely (the bot was down) is skipped in favour of the current one, and a window
 * that had begun when the deadline was set is skipped: the post or extension notice said it already.
 */
export function dueReminder(topic: Pick<Topic, 'deadline' | 'deadlineSetAt'>, now: Date): ReminderKind | undefined {
  const left = topic.deadline.getTime() - now.getTime();
  if (left <= 0) return undefined;
  const current = [...REMINDER_LEADS].reverse().find((l) => left <= l.ms);
  if (!current) return undefined;
  if (topic.deadline.getTime() - topic.deadlineSetAt.getTime() <= current.ms) return undefined;
  return current.kind;
}

/** The key that makes one reminder go out once; a new deadline (延期) gets its own reminders. */
export function reminderKey(topic: Pick<Topic, 'id' | 'deadline'>, kind: string): string {
  return `topic:${topic.id}:${kind}:${topic.deadline.toISOString()}`;
}

/** Marks a reminder as sent; false when another run (or process) already did. */
export async function claimReminder(tx: Tx, key: string, now: Date): Promise<boolean> {
  const inserted = await tx.insert(sentReminders).values({ key, sentAt: now }).onConflictDoNothing().returning({ key: sentReminders.key });
  return inserted.length > 0;
}

export type ScanResult = { reminded: string[]; settled: string[]; messages: number };

/**
 * One pass over the open topics: sends the due 催报 to the officers and reviewers of units that have
 * not answered, and processes deadlines that passed (outcomes, board, overdue summary to editors).
 */
export async function scanTopics(c: UnitOfWork): Promise<ScanResult> {
  const now = c.deps.clock.now();
  const result: ScanResult = { reminded: [], settled: [], messages: 0 };
  const open = await c.tx.select().from(topics).where(and(eq(topics.status, 'open'), isNull(topics.settledAt))).orderBy(topics.deadline);
  for (const topic of open) {
    if (topic.deadline.getTime() <= now.getTime()) {
      const sent = await processDeadline(c, topic, now);
      if (sent !== undefined) {
        result.settled.push(topicCode(topic.id));
        result.messages += sent;
      }
      continue;
    }
    const kind = dueReminder(topic, now);
    if (!kind || !(await claimReminder(c.tx, reminderKey(topic, kind), now))) continue;
    result.reminded.push(`${topicCode(topic.id)}:${kind}`);
    result.messages += await sendReminders(c, topic, kind, now);
  }
  return result;
}

async function unansweredUnits(c: UnitOfWork, topicId: number): Promise<number[]> {
  const answered = await firstAnswers(c.tx, topicId);
  return (await targetUnitIds(c.tx, topicId)).filter((u) => !answered.has(u));
}

/**
 * 催报 to the units that have not answered. A unit's designated officer (专职信息员) answers for its
 * submissions, so the 24-hour reminder goes to them (and to whoever claimed the topic for the unit)
 * rather than to every officer; the 2-hour one goes to all of the unit's officers, the designated
 * one first. Reviewers get every reminder; a unit without a designated officer, or a topic posted
 * less than a day before its deadline, reminds all the officers.
 */
async function sendReminders(c: UnitOfWork, topic: Topic, kind: ReminderKind, now: Date): Promise<number> {
  const code = topicCode(topic.id);
  const when = `将于 ${chineseDateTime(topic.deadline, c.deps.config.timezone)} 截止（${describeTimeLeft(topic.deadline, now)}）`;
  const designated = await designatedOfficers(c.tx);
  const isDesignated = (openId: string, unitId: number) => designated.get(unitId)?.openId === openId;
  const claimers = new Map(
    (await c.tx.select({ unitId: topicTargets.unitId, claimedBy: topicTargets.claimedBy }).from(topicTargets).where(eq(topicTargets.topicId, topic.id))).map((t) => [t.unitId, t.claimedBy]),
  );
  const first = kind === REMINDER_LEADS[0].kind;
  const addressees = await peopleOfUnits(
    c.tx,
    await unansweredUnits(c, topic.id),
    ['officer', 'reviewer'],
    (h) => h.role === 'reviewer' || !first || !designated.has(h.unitId) || isDesignated(h.openId, h.unitId) || claimers.get(h.unitId) === h.openId,
  );
  const designatedIds = new Set([...designated.values()].map((d) => d.openId));
  // A stable sort: designated officers ahead of the other officers, reviewers last as before.
  addressees.sort((a, b) => rank(a) - rank(b));
  function rank(a: { openId: string; role: string }) {
    return a.role === 'reviewer' ? 2 : designatedIds.has(a.openId) ? 0 : 1;
  }
  let sent = 0;
  for (const p of addressees) {
    const units = p.unitNames.join('、');
    const text =
      p.role === 'officer'
        ? `【催报】点题 ${code}“${topic.title}”${when}，${units}尚未提交。写好后私聊发给我，提交审核时选择 ${code}。`
        : `【催报】点题 ${code}“${topic.title}”${when}，您负责的${units}尚未提交，请督促信息员按时提交。`;
    await c.out.sendText({ openId: p.openId }, text);
    sent += 1;
  }
  return sent;
}

/** Records outcomes once (see settleTopic), updates the board and tells whoever set the topic who is missing. */
async function processDeadline(c: UnitOfWork, topic: Topic, now: Date): Promise<number | undefined> {
  const s = await settleTopic(c.tx, topic.id, { now, actor: 'system' });
  if (!s) return undefined;
  await refreshBoard(c, topic.id);
  const code = topicCode(topic.id);
  const onTime = await unitNames(c.tx, s.onTime);
  const late = await unitNames(c.tx, s.late);
  const missing = await unitNames(c.tx, s.missing);
  let text = `【逾期汇总】点题 ${code}“${topic.title}”已于 ${chineseDateTime(topic.deadline, c.deps.config.timezone)} 截止。\n按时提交 ${onTime.length} 个单位${onTime.length ? `：${onTime.join('、')}` : ''}。`;
  if (late.length) text += `\n逾期提交 ${late.length} 个单位：${late.join('、')}。`;
  text += missing.length ? `\n未提交 ${missing.length} 个单位：${missing.join('、')}。此后提交的将记为逾期。` : '\n所有单位均已提交。';
  // Only the research office may 关闭 a topic.
  if (topic.unitId === null) text += `\n如需结束征集，请发“关闭 ${code}”。`;
  // A unit's own 点题 is its reviewers' business (they set it); the research office's go to the editors.
  const told = topic.unitId === null ? await holdersOf(c.tx, 'editor') : await holdersOf(c.tx, 'reviewer', [topic.unitId]);
  for (const e of told) await c.out.sendText({ openId: e.openId }, text);
  return told.length;
}
