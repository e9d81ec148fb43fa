import { and, asc, gte, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { scoreEvents, type ScoreEventRow } from '../../db/schema/index.js';
import { centsToPoints, refreshScoreLedger } from './ledger.js';
import type { ScoreEvent } from './types.js';

export type ScoreEventOptions = {
  from: Date;
  to: Date;
  unitIds?: number[];
  /** Calendar of rule effective dates, recognition dates and quarters (BOT_TIMEZONE). */
  timezone: string;
};

/**
 * The score events in [from, to), in the order they were priced, from the score ledger (brought up
 * to date first). Each was priced by the rule version in force on its own date, with everything
 * before it taken into account.
 */
export async function readScoreEvents(db: DbOrTx, opts: ScoreEventOptions): Promise<ScoreEvent[]> {
  await refreshScoreLedger(db, opts.timezone);
  if (opts.unitIds && !opts.unitIds.length) return [];
  const rows = await db
    .select()
    .from(scoreEvents)
    .where(and(gte(scoreEvents.at, opts.from), lt(scoreEvents.at, opts.to), opts.unitIds ? inArray(scoreEvents.unitId, opts.unitIds) : undefined))
    .orderBy(asc(scoreEvents.at), asc(scoreEvents.id));
  return rows.map(toEvent);
}

function toEvent(r: ScoreEventRow): ScoreEvent {
  return {
    unitId: r.unitId,
    at: r.at,
    kind: r.kind,
    ...(r.level ? { level: r.level } : {}),
    points: centsToPoints(r.cents),
    ruleVersion: r.ruleVersion,
    description: r.description,
    ...(r.pieceKey ? { pieceKey: r.pieceKey } : {}),
    ...(r.category ? { category: r.category } : {}),
    ...(r.draftId !== null ? { draftId: r.draftId } : {}),
    ...(r.itemId !== null ? { itemId: r.itemId } : {}),
    ...(r.topicId !== null ? { topicId: r.topicId } : {}),
    ...(r.section !== null ? { section: r.section } : {}),
    ...(r.adjustmentId !== null ? { adjustmentId: r.adjustmentId } : {}),
  };
}
