import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { drafts, type Category } from '../../db/schema/index.js';

/** Drafts that passed review: approved, later adopted, or approved and then archived (备用/不采用). */
export const PASSED_STATES = ['approved', 'adopted', 'archived'] as const;

export type DraftCount = { unitId: number; category: Category; submitted: number; approved: number };

/**
 * Submissions and passes per unit and category for drafts submitted in [start, end), in one grouped
 * range scan. Withdrawn drafts are not submissions: the officer took them back before anyone acted.
 */
export function draftCountsQuery(db: DbOrTx, range: { start: Date; end: Date }) {
  return db
    .select({
      unitId: drafts.unitId,
      category: drafts.category,
      submitted: sql<number>`count(*) filter (where ${drafts.state} <> 'withdrawn')`.mapWith(Number),
      approved: sql<number>`count(*) filter (where ${inArray(drafts.state, [...PASSED_STATES])})`.mapWith(Number),
    })
    .from(drafts)
    .where(and(gte(drafts.submittedAt, range.start), lt(drafts.submittedAt, range.end)))
    .groupBy(drafts.unitId, drafts.category);
}

export async function draftCounts(db: DbOrTx, range: { start: Date; end: Date }): Promise<DraftCount[]> {
  return draftCountsQuery(db, range);
}
