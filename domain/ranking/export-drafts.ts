import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { displayName } from '../../db/queries/roster.js';
import { bulletinItemSources, drafts, people, topics, units, type Category, type DraftState } from '../../db/schema/index.js';
import type { Level, ScoreEvent } from '../scoring/types.js';
import { LEVEL_ORDER } from './quotas.js';
import { round2 as roundPoints } from '../scoring/engine.js';

/** One line of the export's draft sheet. */
export type ExportDraft = {
  serial: string;
  unitName: string;
  author: string;
  category: Category;
  title: string;
  topic: string | undefined;
  state: DraftState;
  submittedAt: Date;
  /** Levels that adopted it so far, lowest first. */
  levels: Level[];
  /** Points it earned so far (adoptions, endorsements, media, topic bonuses tied to it). */
  points: number;
};

/**
 * Every draft submitted in the period, with its current state, and its adoption levels and points
 * from `events`, which should run up to now: an export read in November shows that an October draft
 * was adopted on 3 November.
 */
export async function exportDrafts(db: DbOrTx, range: { start: Date; end: Date }, events: ScoreEvent[]): Promise<ExportDraft[]> {
  const rows = await db
    .select({
      id: drafts.id,
      serial: drafts.serial,
      unitName: units.name,
      authorOpenId: drafts.authorOpenId,
      authorName: people.name,
      category: drafts.category,
      title: drafts.title,
      topic: topics.title,
      state: drafts.state,
      submittedAt: drafts.submittedAt,
    })
    .from(drafts)
    .innerJoin(units, eq(units.id, drafts.unitId))
    .leftJoin(people, eq(people.openId, drafts.authorOpenId))
    .leftJoin(topics, eq(topics.id, drafts.topicId))
    .where(and(gte(drafts.submittedAt, range.start), lt(drafts.submittedAt, range.end)))
    .orderBy(asc(drafts.submittedAt), asc(drafts.id));
  const draftOf = await draftOfItemEvents(db, rows.map((r) => r.id));
  const points = new Map<number, number>();
  const levels = new Map<number, Set<Level>>();
  for (const e of events) {
    const draftId = e.itemId !== undefined ? draftOf.get(`${e.itemId}|${e.unitId}`) : e.draftId;
    if (draftId === undefined) continue;
    points.set(draftId, (points.get(draftId) ?? 0) + e.points);
    if (e.kind === 'adoption' && e.level) {
      const set = levels.get(draftId) ?? new Set<Level>();
      set.add(e.level);
      levels.set(draftId, set);
    }
  }
  return rows.map((r) => ({
    serial: r.serial,
    unitName: r.unitName,
    author: displayName(r.authorName, r.authorOpenId),
    category: r.category,
    title: r.title,
    topic: r.topic ?? undefined,
    state: r.state,
    submittedAt: r.submittedAt,
    levels: LEVEL_ORDER.filter((l) => levels.get(r.id)?.has(l)),
    points: roundPoints(points.get(r.id) ?? 0),
  }));
}

/**
 * Score events of a bulletin item name the item and the unit, not the draft. Each (item, unit) is
 * credited to that unit's draft in the item; when a merged item holds two drafts of one unit, to the
 * earlier one, so the drafts' points still add up to the unit's.
 */
async function draftOfItemEvents(db: DbOrTx, draftIds: number[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const ids = [...draftIds].sort((a, b) => a - b);
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await db
      .select({ itemId: bulletinItemSources.itemId, unitId: bulletinItemSources.unitId, draftId: bulletinItemSources.draftId })
      .from(bulletinItemSources)
      .where(inArray(bulletinItemSources.draftId, ids.slice(i, i + 5000)))
      .orderBy(asc(bulletinItemSources.draftId));
    for (const r of rows) {
      const key = `${r.itemId}|${r.unitId}`;
      if (!out.has(key)) out.set(key, r.draftId);
    }
  }
  return out;
}
