import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { topics, topicTargets, units, type Topic } from '../../db/schema/index.js';
import { activeUnits } from '../../db/queries/roster.js';
import { UserError } from '../../bot/errors.js';
import { recordAudit } from '../drafts/transition.js';
import type { TopicInput } from './input.js';

/**
 * Stores a validated topic and its target rows (every active unit for 'all'). With a sourceKey (the
 * form's nonce) a repeated submit returns the topic already created instead of a second one.
 */
export async function createTopic(
  tx: Tx,
  input: TopicInput,
  /** `unitId`: a unit-level topic (a reviewer's 点题 for their own unit's officers). */
  o: { actor: string; now: Date; sourceKey?: string; unitId?: number },
): Promise<{ topic: Topic; created: boolean }> {
  if (!input.deadline) throw new Error('createTopic needs a validated input');
  if (o.sourceKey) {
    const [existing] = await tx.select().from(topics).where(eq(topics.sourceKey, o.sourceKey));
    if (existing) return { topic: existing, created: false };
  }
  const targetIds =
    input.units === 'all'
      ? (await activeUnits(tx)).map((u) => u.id)
      : (await tx.select({ id: units.id }).from(units).where(and(inArray(units.id, input.units), eq(units.active, true)))).map((u) => u.id);
  if (targetIds.length === 0) throw new UserError('所选单位都已停用或不存在，请重新选择。');
  const [topic] = await tx
    .insert(topics)
    .values({
      title: input.title.trim(),
      brief: input.brief.trim(),
      category: input.category,
      deadline: input.deadline,
      deadlineSetAt: o.now,
      allUnits: input.units === 'all',
      piecesPerUnit: input.piecesPerUnit ?? null,
      createdBy: o.actor,
      createdAt: o.now,
      sourceKey: o.sourceKey ?? null,
      unitId: o.unitId ?? null,
    })
    .onConflictDoNothing({ target: topics.sourceKey })
    .returning();
  if (!topic) {
    // A concurrent submit of the same form won the race.
    const [existing] = await tx.select().from(topics).where(eq(topics.sourceKey, o.sourceKey!));
    return { topic: existing!, created: false };
  }
  await tx.insert(topicTargets).values(targetIds.map((unitId) => ({ topicId: topic.id, unitId })));
  await recordAudit(tx, {
    at: o.now,
    actor: o.actor,
    entityType: 'topic',
    entityId: topic.id,
    action: 'topic_create',
    toState: 'open',
    data: { deadline: input.deadline.toISOString(), units: input.units === 'all' ? 'all' : targetIds, category: input.category, piecesPerUnit: input.piecesPerUnit ?? null },
  });
  return { topic, created: true };
}
