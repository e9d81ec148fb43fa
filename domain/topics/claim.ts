import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { people, topicTargets, type Topic, type Unit } from '../../db/schema/index.js';
import { displayName } from '../../db/queries/roster.js';
import { PermissionError, UserError } from '../../bot/errors.js';
import { recordAudit } from '../drafts/transition.js';
import { loadTopic } from './board-data.js';

export type ClaimResult = {
  topic: Topic;
  claimed: Unit[];
  /** Target units of the officer someone had claimed already, with that person's name. */
  takenBy: { unit: Unit; name: string; self: boolean }[];
};

/**
 * 认领: the officer claims the topic for each of their units it targets that nobody claimed yet.
 * The conditional update makes two officers of one unit tapping at once end with one claimer.
 */
export async function claimTopic(tx: Tx, o: { topicId: number; openId: string; officerUnits: Unit[]; now: Date }): Promise<ClaimResult> {
  const topic = await loadTopic(tx, o.topicId);
  if (!topic) throw new UserError('找不到这个点题。');
  if (topic.status === 'closed') throw new UserError('该点题已关闭，不再接收稿件。');
  if (o.officerUnits.length === 0) throw new PermissionError('只有各单位的信息员可以认领点题。');
  const targets = await tx
    .select({ unitId: topicTargets.unitId, claimedBy: topicTargets.claimedBy, name: people.name })
    .from(topicTargets)
    .leftJoin(people, eq(people.openId, topicTargets.claimedBy))
    .where(and(eq(topicTargets.topicId, o.topicId), inArray(topicTargets.unitId, o.officerUnits.map((u) => u.id))));
  if (targets.length === 0) {
    throw new UserError(`本点题不面向${o.officerUnits.map((u) => u.name).join('、')}，无需认领。`);
  }
  const result: ClaimResult = { topic, claimed: [], takenBy: [] };
  for (const t of targets) {
    const unit = o.officerUnits.find((u) => u.id === t.unitId)!;
    const updated = t.claimedBy
      ? []
      : await tx
          .update(topicTargets)
          .set({ claimedBy: o.openId, claimedAt: o.now })
          .where(and(eq(topicTargets.topicId, o.topicId), eq(topicTargets.unitId, t.unitId), isNull(topicTargets.claimedBy)))
          .returning({ unitId: topicTargets.unitId });
    if (updated.length) {
      result.claimed.push(unit);
      await recordAudit(tx, { at: o.now, actor: o.openId, entityType: 'topic', entityId: o.topicId, action: 'topic_claim', data: { unitId: unit.id } });
      continue;
    }
    const [now] = await tx
      .select({ claimedBy: topicTargets.claimedBy, name: people.name })
      .from(topicTargets)
      .leftJoin(people, eq(people.openId, topicTargets.claimedBy))
      .where(and(eq(topicTargets.topicId, o.topicId), eq(topicTargets.unitId, t.unitId)));
    const by = now?.claimedBy ?? '';
    result.takenBy.push({ unit, name: displayName(now?.name, by), self: by === o.openId });
  }
  return result;
}
