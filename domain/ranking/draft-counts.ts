import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { bulletinItems, drafts, type Category } from '../../db/schema/index.js';
import type { ScoreEvent } from '../scoring/types.js';

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

/**
 * Category of each adopted piece among the events: a bulletin item's own category (events of
 * bulletin items carry the item, not the drafts), else the draft's. For quotas such as "research
 * pieces adopted".
 */
export async function pieceCategories(db: DbOrTx, events: ScoreEvent[]): Promise<(e: ScoreEvent) => Category | undefined> {
  const itemIds = [...new Set(events.flatMap((e) => (e.itemId !== undefined ? [e.itemId] : [])))];
  const draftIds = [...new Set(events.flatMap((e) => (e.itemId === undefined && e.draftId !== undefined ? [e.draftId] : [])))];
  const items = new Map<number, Category>();
  const ofDrafts = new Map<number, Category>();
  for (let i = 0; i < itemIds.length; i += CHUNK) {
    const rows = await db
      .select({ id: bulletinItems.id, category: bulletinItems.category })
      .from(bulletinItems)
      .where(inArray(bulletinItems.id, itemIds.slice(i, i + CHUNK)));
    for (const r of rows) items.set(r.id, r.category);
  }
  for (let i = 0; i < draftIds.length; i += CHUNK) {
    const rows = await db.select({ id: drafts.id, category: drafts.category }).from(drafts).where(inArray(drafts.id, draftIds.slice(i, i + CHUNK)));
    for (const r of rows) ofDrafts.set(r.id, r.category);
  }
  return (e) => (e.itemId !== undefined ? items.get(e.itemId) : e.draftId !== undefined ? ofDrafts.get(e.draftId) : undefined);
}

/** Bound parameters per query stay far below PostgreSQL's 65535. */
const CHUNK = 5000;
