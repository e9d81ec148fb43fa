import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { topics, type Topic } from '../../db/schema/index.js';
import { UserError } from '../../bot/errors.js';
import { chineseDateTime } from '../../bot/time.js';
import { recordAudit } from '../drafts/transition.js';
import { topicCode } from './code.js';
import { settleTopic, type Settlement } from './timeliness.js';

async function lockTopic(tx: Tx, topicId: number): Promise<Topic> {
  const [topic] = await tx.select().from(topics).where(eq(topics.id, topicId)).for('update');
  if (!topic) throw new UserError(`找不到点题 ${topicCode(topicId)}。发“点题”可查看进行中的点题。`);
  return topic;
}

/**
 * 延期: a later deadline for an open topic whose deadline has not been processed yet. After that the
 * outcomes are on record and a new deadline would rewrite history, so the editor is told to re-post.
 */
export async function extendTopic(
  tx: Tx,
  o: { topicId: number; deadline: Date; actor: string; now: Date; timezone: string },
): Promise<{ topic: Topic; previous: Date }> {
  const topic = await lockTopic(tx, o.topicId);
  const code = topicCode(topic.id);
  if (topic.status === 'closed') throw new UserError(`点题 ${code} 已关闭，不能延期。`);
  if (topic.settledAt) throw new UserError(`点题 ${code} 已过截止时间并已记录逾期情况，不能再延期。如需继续征集，请重新点题。`);
  if (o.deadline.getTime() <= o.now.getTime()) throw new UserError('新的截止时间已过，请写将来的时间。');
  if (o.deadline.getTime() <= topic.deadline.getTime()) {
    throw new UserError(`新的截止时间应晚于原截止时间 ${chineseDateTime(topic.deadline, o.timezone)}。`);
  }
  const [updated] = await tx.update(topics).set({ deadline: o.deadline, deadlineSetAt: o.now }).where(eq(topics.id, topic.id)).returning();
  await recordAudit(tx, {
    at: o.now,
    actor: o.actor,
    entityType: 'topic',
    entityId: topic.id,
    action: 'topic_extend',
    data: { from: topic.deadline.toISOString(), to: o.deadline.toISOString() },
  });
  return { topic: updated!, previous: topic.deadline };
}

/**
 * 关闭: no more answers. Outcomes are recorded now unless the deadline was processed already; a
 * close before the deadline does not count the units that had not answered yet as missing.
 */
export async function closeTopic(tx: Tx, o: { topicId: number; actor: string; now: Date }): Promise<{ topic: Topic; settlement: Settlement | undefined }> {
  const topic = await lockTopic(tx, o.topicId);
  if (topic.status === 'closed') throw new UserError(`点题 ${topicCode(topic.id)} 已经关闭。`);
  const [updated] = await tx
    .update(topics)
    .set({ status: 'closed', closedAt: o.now, closedBy: o.actor })
    .where(eq(topics.id, topic.id))
    .returning();
  await recordAudit(tx, { at: o.now, actor: o.actor, entityType: 'topic', entityId: topic.id, action: 'topic_close', fromState: 'open', toState: 'closed' });
  const settlement = await settleTopic(tx, topic.id, { now: o.now, actor: o.actor, early: o.now.getTime() < topic.deadline.getTime() });
  return { topic: settlement?.topic ?? updated!, settlement };
}
