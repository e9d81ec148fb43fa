import { and, asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.js';
import { drafts, people, units } from '../../db/schema/index.js';
import { displayName } from '../../db/queries/roster.js';
import type { DraftState } from '../../db/schema/index.js';

/** Rows per page of the lists the bot sends (我的稿件, 待审, 发送失败记录). */
export const PAGE_SIZE = 10;

/** Which page a list shows, of how many, over how many rows. */
export type Page = { page: number; pages: number; total: number };

/** The page to show: the requested one clamped to the pages that exist (a list may have shrunk since it was shown). */
export function pageOf(total: number, requested: number): Page {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return { page: Math.min(Math.max(1, Math.floor(requested) || 1), pages), pages, total };
}

export type MyDraftRow = { draftId: number; serial: string; title: string; state: DraftState; revision: number; submittedAt: Date; category: string };

export type PendingRow = { draftId: number; serial: string; title: string; unitName: string; authorName: string; revision: number; submittedAt: Date };

/** One page of `rows` (a dynamic select of drafts matching `where`); past the end, the last page. */
async function draftPage<Q extends PgSelect>(db: DbOrTx, where: SQL | undefined, page: number, rows: Q): Promise<{ rows: Awaited<Q>; page: Page }> {
  const [c] = await db.select({ n: count() }).from(drafts).where(where);
  const total = Number(c?.n ?? 0);
  const p = pageOf(total, page);
  return { rows: await rows.limit(PAGE_SIZE).offset((p.page - 1) * PAGE_SIZE), page: p };
}

/** 我的稿件: the author's drafts, newest first. */
export async function myDrafts(db: DbOrTx, openId: string, page: number): Promise<{ rows: MyDraftRow[]; page: Page }> {
  const where = eq(drafts.authorOpenId, openId);
  const rows = db
    .select({
      draftId: drafts.id,
      serial: drafts.serial,
      title: drafts.title,
      state: drafts.state,
      revision: drafts.currentRevision,
      submittedAt: drafts.submittedAt,
      category: drafts.category,
    })
    .from(drafts)
    .where(where)
    .orderBy(desc(drafts.submittedAt), desc(drafts.id))
    .$dynamic();
  return draftPage(db, where, page, rows);
}

/** 待审: drafts of these units waiting for review, the longest-waiting first. */
export async function pendingReviews(db: DbOrTx, unitIds: number[], page: number): Promise<{ rows: PendingRow[]; page: Page }> {
  if (unitIds.length === 0) return { rows: [], page: pageOf(0, 1) };
  const where = and(eq(drafts.state, 'pending_review'), inArray(drafts.unitId, unitIds));
  const query = db
    .select({
      draftId: drafts.id,
      serial: drafts.serial,
      title: drafts.title,
      unitName: units.name,
      authorOpenId: drafts.authorOpenId,
      authorName: people.name,
      revision: drafts.currentRevision,
      submittedAt: drafts.updatedAt,
    })
    .from(drafts)
    .innerJoin(units, eq(units.id, drafts.unitId))
    .innerJoin(people, eq(people.openId, drafts.authorOpenId))
    .where(where)
    .orderBy(asc(drafts.updatedAt), asc(drafts.id))
    .$dynamic();
  const { rows, page: p } = await draftPage(db, where, page, query);
  return { rows: rows.map((r) => ({ ...r, authorName: displayName(r.authorName, r.authorOpenId) })), page: p };
}
