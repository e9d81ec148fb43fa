import { and, eq, gte, inArray, isNotNull, isNull, lt, min } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { drafts, topicAnswers, topics, topicTargets, type Topic, type TopicOutcome } from '../../db/schema/index.js';
import { recordAudit } from '../drafts/transition.js';
import { ANSWERING_STATES } from './unit-state.js';

export type TopicOutcomeRow = {
  topicId: number;
  unitId: number;
  outcome: TopicOutcome;
  /** The topic's deadline: every outcome of a topic counts in the period its deadline falls in. */
  at: Date;
  /** When the unit answered (on_time, late); null for missing. */
  answeredAt: Date | null;
};

/**
 * Timeliness for scoring: one row per topic and target unit whose outcome is recorded, for topics
 * whose deadline is in [from, to). A unit recorded missing that answers later turns late (same
 * topic, same period), so a period's figures can change until its topics are closed.
 */
export async function topicOutcomes(db: DbOrTx, range: { from: Date; to: Date }): Promise<TopicOutcomeRow[]> {
  const rows = await db
    .select({ topicId: topicTargets.topicId, unitId: topicTargets.unitId, outcome: topicTargets.outcome, answeredAt: topicTargets.outcomeAt, deadline: topics.deadline })
    .from(topicTargets)
    .innerJoin(topics, eq(topics.id, topicTargets.topicId))
    .where(and(isNotNull(topicTargets.outcome), gte(topics.deadline, range.from), lt(topics.deadline, range.to)))
    .orderBy(topicTargets.topicId, topicTargets.unitId);
  return rows.map((r) => ({
    topicId: r.topicId,
    unitId: r.unitId,
    outcome: r.outcome!,
    at: new Date(r.deadline),
    answeredAt: r.outcome === 'missing' || !r.answeredAt ? null : new Date(r.answeredAt),
  }));
}

/** When each unit first answered the topic with a draft that still counts (not withdrawn, still linked). */
export async function firstAnswers(db: DbOrTx, topicId: number): Promise<Map<number, Date>> {
  const rows = await db
    .select({ unitId: topicAnswers.unitId, at: min(topicAnswers.linkedAt) })
    .from(topicAnswers)
    .innerJoin(drafts, eq(drafts.id, topicAnswers.draftId))
    .where(and(eq(topicAnswers.topicId, topicId), isNull(topicAnswers.unlinkedAt), inArray(drafts.state, [...ANSWERING_STATES])))
    .groupBy(topicAnswers.unitId);
  return new Map(rows.filter((r) => r.at).map((r) => [r.unitId, new Date(r.at!)]));
}

export type Settlement = { topic: Topic; onTime: number[]; late: number[]; missing: number[]; unrecorded: number[] };

/**
 * Records every target unit's outcome once: the conditional update of settled_at lets exactly one
 * caller (scheduler, second bot process, or 关闭) do it. `early` is a close before the deadline:
 * units that answered count as on time, the others are not held to a deadline that never came.
 */
export async function settleTopic(tx: Tx, topicId: number, o: { now: Date; actor: string; early?: boolean }): Promise<Settlement | undefined> {
  const [topic] = await tx
    .update(topics)
    .set({ settledAt: o.now })
    .where(and(eq(topics.id, topicId), isNull(topics.settledAt)))
    .returning();
  if (!topic) return undefined;
  const answered = await firstAnswers(tx, topicId);
  const targets = await tx.select({ unitId: topicTargets.unitId }).from(topicTargets).where(eq(topicTargets.topicId, topicId));
  const s: Settlement = { topic, onTime: [], late: [], missing: [], unrecorded: [] };
  for (const { unitId } of targets) {
    const at = answered.get(unitId);
    let outcome: TopicOutcome | undefined;
    if (at) outcome = at.getTime() <= topic.deadline.getTime() ? 'on_time' : 'late';
    else if (!o.early) outcome = 'missing';
    if (!outcome) {
      s.unrecorded.push(unitId);
      continue;
    }
    ({ on_time: s.onTime, late: s.late, missing: s.missing })[outcome].push(unitId);
    await tx
      .update(topicTargets)
      .set({ outcome, outcomeAt: at ?? topic.deadline })
      .where(and(eq(topicTargets.topicId, topicId), eq(topicTargets.unitId, unitId)));
  }
  await recordAudit(tx, {
    at: o.now,
    actor: o.actor,
    entityType: 'topic',
    entityId: topicId,
    action: 'topic_settle',
    data: { onTime: s.onTime, late: s.late, missing: s.missing, unrecorded: s.unrecorded, early: Boolean(o.early) },
  });
  return s;
}

/**
 * After the deadline was processed, a unit recorded missing that now has an answer becomes late,
 * dated by the answer. Returns whether it changed.
 */
export async function recordLateAnswer(tx: Tx, topicId: number, unitId: number, o: { now: Date; actor: string }): Promise<boolean> {
  const [topic] = await tx.select({ settledAt: topics.settledAt }).from(topics).where(eq(topics.id, topicId));
  if (!topic?.settledAt) return false;
  const at = (await firstAnswers(tx, topicId)).get(unitId);
  if (!at) return false;
  const changed = await tx
    .update(topicTargets)
    .set({ outcome: 'late', outcomeAt: at })
    .where(and(eq(topicTargets.topicId, topicId), eq(topicTargets.unitId, unitId), eq(topicTargets.outcome, 'missing')))
    .returning({ unitId: topicTargets.unitId });
  if (changed.length === 0) return false;
  await recordAudit(tx, {
    at: o.now,
    actor: o.actor,
    entityType: 'topic',
    entityId: topicId,
    action: 'topic_late_answer',
    fromState: 'missing',
    toState: 'late',
    data: { unitId, answeredAt: at.toISOString() },
  });
  return true;
}
