import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { drafts, people, units } from '../../db/schema/index.js';
import { displayName } from '../../db/queries/roster.js';
import { PAGE_SIZE, pageCount, type MyDraftRow, type Page, type PendingRow } from '../../cards/draft-lists.js';

/** A requested page, clamped to the pages that exist (a list may have shrunk since it was shown). */
function clamp(page: number, total: number): number {
  return Math.min(Math.max(1, Math.floor(page) || 1), pageCount(total));
}

/** 我的稿件: the author's drafts, newest first. */
export async function myDrafts(db: DbOrTx, openId: string, page: number): Promise<{ rows: MyDraftRow[]; page: Page }> {
  const where = eq(drafts.authorOpenId, openId);
  const [c] = await db.select({ n: count() }).from(drafts).where(where);
  const total = Number(c?.n ?? 0);
  const p = clamp(page, total);
  const rows = await db
    .select({
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
    .limit(PAGE_SIZE)
    .offset((p - 1) * PAGE_SIZE);
  return { rows, page: { page: p, total } };
}

/** 待审: drafts of these units waiting for review, the longest-waiting first. */
export async function pendingReviews(db: DbOrTx, unitIds: number[], page: number): Promise<{ rows: PendingRow[]; page: Page }> {
  if (unitIds.length === 0) return { rows: [], page: { page: 1, total: 0 } };
  const where = and(eq(drafts.state, 'pending_review'), inArray(drafts.unitId, unitIds));
  const [c] = await db.select({ n: count() }).from(drafts).where(where);
  const total = Number(c?.n ?? 0);
  const p = clamp(page, total);
  const rows = await db
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
    .limit(PAGE_SIZE)
    .offset((p - 1) * PAGE_SIZE);
  return {
    rows: rows.map((r) => ({ ...r, authorName: displayName(r.authorName, r.authorOpenId) })),
    page: { page: p, total },
  };
}
