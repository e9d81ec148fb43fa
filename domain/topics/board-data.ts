import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { drafts, people, topicAnswers, topics, topicTargets, units, type DraftState, type Topic, type TopicOutcome } from '../../db/schema/index.js';
import { displayName } from '../../db/queries/roster.js';
import { ANSWERING_STATES, unitState, type UnitState } from './unit-state.js';

export type BoardRow = {
  unitId: number;
  unitName: string;
  state: UnitState;
  claimedBy: string | undefined;
  /** Linked drafts that count as answers (not withdrawn). */
  pieces: number;
  outcome: TopicOutcome | null;
};

export type BoardView = {
  topic: Topic;
  rows: BoardRow[];
  /** Whether the deadline has passed (or was processed), as of the `now` the view was built for. */
  deadlinePassed: boolean;
  counts: Record<UnitState, number> & { answered: number; total: number };
};

export async function loadTopic(db: DbOrTx, topicId: number): Promise<Topic | undefined> {
  const [t] = await db.select().from(topics).where(eq(topics.id, topicId));
  return t;
}

/** Everything the board and the lists show about one topic, unit by unit. */
export async function loadBoard(db: DbOrTx, topicId: number, now: Date): Promise<BoardView | undefined> {
  const topic = await loadTopic(db, topicId);
  if (!topic) return undefined;
  const targets = await db
    .select({ unitId: topicTargets.unitId, unitName: units.name, claimedBy: topicTargets.claimedBy, claimerName: people.name, outcome: topicTargets.outcome })
    .from(topicTargets)
    .innerJoin(units, eq(units.id, topicTargets.unitId))
    .leftJoin(people, eq(people.openId, topicTargets.claimedBy))
    .where(eq(topicTargets.topicId, topicId))
    .orderBy(asc(units.sortOrder), asc(units.id));
  const answers = await db
    .select({ unitId: topicAnswers.unitId, state: drafts.state })
    .from(topicAnswers)
    .innerJoin(drafts, eq(drafts.id, topicAnswers.draftId))
    .where(and(eq(topicAnswers.topicId, topicId), isNull(topicAnswers.unlinkedAt)));
  const statesByUnit = new Map<number, DraftState[]>();
  for (const a of answers) statesByUnit.set(a.unitId, [...(statesByUnit.get(a.unitId) ?? []), a.state]);
  const deadlinePassed = topic.settledAt !== null || now.getTime() >= topic.deadline.getTime();
  const rows: BoardRow[] = targets.map((t) => {
    const states = statesByUnit.get(t.unitId) ?? [];
    return {
      unitId: t.unitId,
      unitName: t.unitName,
      state: unitState({ claimed: t.claimedBy !== null, draftStates: states, deadlinePassed }),
      claimedBy: t.claimedBy ? displayName(t.claimerName, t.claimedBy) : undefined,
      pieces: states.filter((s) => ANSWERING_STATES.includes(s)).length,
      outcome: t.outcome,
    };
  });
  const counts = { unclaimed: 0, claimed: 0, submitted: 0, approved: 0, adopted: 0, overdue: 0, answered: 0, total: rows.length };
  for (const r of rows) {
    counts[r.state] += 1;
    if (r.pieces > 0) counts.answered += 1;
  }
  return { topic, rows, deadlinePassed, counts };
}
