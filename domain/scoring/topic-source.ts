import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { topics } from '../../db/schema/index.js';
import { topicOutcomes } from '../topics/timeliness.js';
import type { TopicFact } from './facts.js';

/**
 * Topic timeliness as scoring facts, for topics whose deadline is in [from, to). The topics feature
 * owns the outcomes (`topicOutcomes`); this is the one place scoring reads them.
 */
export async function topicOutcomeFacts(db: DbOrTx, range: { from: Date; to: Date }): Promise<TopicFact[]> {
  const rows = await topicOutcomes(db, range);
  if (!rows.length) return [];
  const ids = [...new Set(rows.map((r) => r.topicId))];
  const found = new Map((await db.select({ id: topics.id, title: topics.title, unitId: topics.unitId }).from(topics).where(inArray(topics.id, ids))).map((t) => [t.id, t]));
  return rows.map((r) => ({
    kind: 'topic',
    topicId: r.topicId,
    title: found.get(r.topicId)?.title ?? `T${r.topicId}`,
    unitId: r.unitId,
    outcome: r.outcome,
    unitTopic: found.get(r.topicId)?.unitId != null,
    at: r.at,
    order: `topic:${String(r.topicId).padStart(10, '0')}:${r.unitId}`,
  }));
}
