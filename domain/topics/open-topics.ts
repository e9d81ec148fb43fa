import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { topics, topicTargets } from '../../db/schema/index.js';
import { topicCode } from './code.js';

export type OpenTopic = { id: number; code: string; title: string; deadline: Date };

/**
 * Topics a unit can answer now, for the draft confirmation card: open and targeting the unit. Those
 * still before their deadline come first, nearest deadline first; past-deadline ones (still open,
 * answers count as late) follow, most recent first.
 */
export async function openTopicsForUnit(db: DbOrTx, unitId: number, now: Date): Promise<OpenTopic[]> {
  return (await openTopicsForUnits(db, [unitId], now)).get(unitId)!;
}

/** openTopicsForUnit for several units in one query (a burst of drafts from many units). */
export async function openTopicsForUnits(db: DbOrTx, unitIds: number[], now: Date): Promise<Map<number, OpenTopic[]>> {
  const ids = [...new Set(unitIds)];
  const rows = ids.length
    ? await db
        .select({ unitId: topicTargets.unitId, id: topics.id, title: topics.title, deadline: topics.deadline })
        .from(topics)
        .innerJoin(topicTargets, eq(topicTargets.topicId, topics.id))
        .where(and(sql`${topicTargets.unitId} = any(${sql.param(ids)}::int[])`, eq(topics.status, 'open')))
    : [];
  const t = now.getTime();
  return new Map(
    ids.map((unitId) => {
      const mine = rows.filter((r) => r.unitId === unitId);
      const upcoming = mine.filter((r) => r.deadline.getTime() > t).sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || a.id - b.id);
      const overdue = mine.filter((r) => r.deadline.getTime() <= t).sort((a, b) => b.deadline.getTime() - a.deadline.getTime() || b.id - a.id);
      return [unitId, [...upcoming, ...overdue].map((r) => ({ id: r.id, code: topicCode(r.id), title: r.title, deadline: r.deadline }))];
    }),
  );
}

/** Whether a draft of this unit may be linked to the topic now (for callers checking a client-sent id). */
export async function isOpenForUnit(db: DbOrTx, topicId: number, unitId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: topics.id })
    .from(topics)
    .innerJoin(topicTargets, eq(topicTargets.topicId, topics.id))
    .where(and(eq(topics.id, topicId), eq(topicTargets.unitId, unitId), eq(topics.status, 'open')));
  return Boolean(row);
}
