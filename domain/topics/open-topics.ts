import { and, eq } from 'drizzle-orm';
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
  const rows = await db
    .select({ id: topics.id, title: topics.title, deadline: topics.deadline })
    .from(topics)
    .innerJoin(topicTargets, eq(topicTargets.topicId, topics.id))
    .where(and(eq(topicTargets.unitId, unitId), eq(topics.status, 'open')));
  const t = now.getTime();
  const upcoming = rows.filter((r) => r.deadline.getTime() > t).sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || a.id - b.id);
  const overdue = rows.filter((r) => r.deadline.getTime() <= t).sort((a, b) => b.deadline.getTime() - a.deadline.getTime() || b.id - a.id);
  return [...upcoming, ...overdue].map((r) => ({ id: r.id, code: topicCode(r.id), title: r.title, deadline: r.deadline }));
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
