import { and, asc, eq, isNull } from 'drizzle-orm';
import { topicAnswers, topics, topicTargets, type Draft } from '../../db/schema/index.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { refreshBoard } from './board-sync.js';
import { recordLateAnswer } from './timeliness.js';

/**
 * Brings the topic side in line with a draft after any change to it: the link row follows
 * drafts.topic_id (linked now, or ended when the draft moved to another topic), a late answer is
 * recorded, and the boards of every topic involved are re-rendered. Returns whether the answer
 * counted as late. Safe to call repeatedly: without a change it only refreshes the board.
 */
export async function syncDraftTopic(c: UnitOfWork, draft: Draft, actor: string): Promise<{ late: boolean }> {
  const now = c.deps.clock.now();
  const live = await c.tx
    .select()
    .from(topicAnswers)
    .where(and(eq(topicAnswers.draftId, draft.id), isNull(topicAnswers.unlinkedAt)))
    .orderBy(asc(topicAnswers.id));
  const affected = new Set<number>();
  for (const a of live) {
    if (a.topicId === draft.topicId) continue;
    await c.tx.update(topicAnswers).set({ unlinkedAt: now }).where(eq(topicAnswers.id, a.id));
    affected.add(a.topicId);
  }
  let late = false;
  if (draft.topicId !== null) {
    affected.add(draft.topicId);
    // Serializes with the deadline processing and 关闭 (both update the topic row): either they see
    // this answer, or this sees their result and records the answer as late.
    const [topic] = await c.tx.select({ status: topics.status }).from(topics).where(eq(topics.id, draft.topicId)).for('share');
    const [target] = await c.tx
      .select({ unitId: topicTargets.unitId })
      .from(topicTargets)
      .where(and(eq(topicTargets.topicId, draft.topicId), eq(topicTargets.unitId, draft.unitId)));
    // A closed topic, or one that does not target the draft's unit, gets no answer row: such a link
    // (from a stale confirmation card) earns no credit.
    const accepted = Boolean(target) && topic?.status === 'open';
    if (accepted && !live.some((a) => a.topicId === draft.topicId)) {
      await c.tx.insert(topicAnswers).values({ topicId: draft.topicId, draftId: draft.id, unitId: draft.unitId, linkedAt: now, linkedBy: actor });
    }
    if (accepted) late = await recordLateAnswer(c.tx, draft.topicId, draft.unitId, { now, actor });
  }
  for (const topicId of affected) await refreshBoard(c, topicId);
  return { late };
}
