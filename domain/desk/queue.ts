import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { draftRevisions, drafts, units, type Category } from '../../db/schema/index.js';

export type QueueView = 'approved' | 'reserve';

export type QueueRow = {
  id: number;
  serial: string;
  title: string;
  category: Category;
  unitName: string;
  /** When it reached the desk: approval time, or when it was put in reserve. */
  since: Date;
  body: string;
  charCount: number;
  /** 1-based place in the whole queue, as the desk numbers its rows. */
  position: number;
};

export const DESK_PAGE_SIZE = 6;

/** Latest disposition of an archived draft is 备用. */
const inReserve = sql`(select dd.disposition from draft_dispositions dd where dd.draft_id = ${drafts.id} order by dd.id desc limit 1) = 'reserve'`;

function viewFilter(view: QueueView): SQL {
  return view === 'approved' ? eq(drafts.state, 'approved') : and(eq(drafts.state, 'archived'), inReserve)!;
}

/** One page of the desk's queue, newest first. */
export async function deskQueue(db: DbOrTx, o: { view: QueueView; page: number; pageSize?: number }): Promise<{ total: number; page: number; pages: number; rows: QueueRow[] }> {
  const size = o.pageSize ?? DESK_PAGE_SIZE;
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(drafts).where(viewFilter(o.view));
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.floor(o.page) || 1), pages);
  const rows = await db
    .select({
      id: drafts.id,
      serial: drafts.serial,
      title: drafts.title,
      category: drafts.category,
      unitName: units.name,
      since: drafts.updatedAt,
      body: draftRevisions.body,
      charCount: draftRevisions.charCount,
    })
    .from(drafts)
    .innerJoin(units, eq(units.id, drafts.unitId))
    .innerJoin(draftRevisions, and(eq(draftRevisions.draftId, drafts.id), eq(draftRevisions.revision, drafts.currentRevision)))
    .where(viewFilter(o.view))
    // updated_at is set by the transition that brought the draft here (approval, or reserve).
    .orderBy(desc(drafts.updatedAt), desc(drafts.id))
    .limit(size)
    .offset((page - 1) * size);
  return { total, page, pages, rows: rows.map((r, i) => ({ ...r, position: (page - 1) * size + i + 1 })) };
}

/** Drafts by id with their unit, for the merge picks shown on the desk card. */
export async function picked(db: DbOrTx, ids: number[]): Promise<{ id: number; serial: string; title: string; unitName: string; state: string }[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ id: drafts.id, serial: drafts.serial, title: drafts.title, unitName: units.name, state: drafts.state })
    .from(drafts)
    .innerJoin(units, eq(units.id, drafts.unitId))
    .where(inArray(drafts.id, ids));
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is NonNullable<typeof r> => Boolean(r));
}

export async function reserveCount(db: DbOrTx): Promise<number> {
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(drafts).where(viewFilter('reserve'));
  return Number(n);
}
