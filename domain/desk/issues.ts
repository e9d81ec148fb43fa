import { and, asc, eq, gte, inArray, lt, lte, max, ne, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { bulletinIssues, bulletinItems, bulletinItemSources, drafts, units, type BulletinIssue, type BulletinItem, type Publication } from '../../db/schema/index.js';
import { UserError } from '../../bot/errors.js';
import { localYear } from '../../bot/time.js';
import { recordAudit } from '../drafts/transition.js';
import { lockDesk } from './lock.js';
import { touchIssue } from './editorial.js';
import { activePublications, publicationById } from './publications.js';

export function issueLabel(i: { year: number; number: number }): string {
  return `${i.year}年第${i.number}期`;
}

/** 《组工专报》2026年第3期: where several publications are numbered, a number alone is ambiguous. */
export function publicationIssueLabel(p: { name: string }, i: { year: number; number: number }): string {
  return `《${p.name}》${issueLabel(i)}`;
}

/**
 * How messages name an issue: the number alone while the department has one publication (as it
 * always did), with the publication's name once it has several.
 */
export async function issueLabelFor(db: DbOrTx, issue: BulletinIssue): Promise<string> {
  const all = await activePublications(db);
  if (all.length <= 1 && (all.length === 0 || all[0]!.id === issue.publicationId)) return issueLabel(issue);
  return publicationIssueLabel(await publicationById(db, issue.publicationId), issue);
}

/** The open issue of a publication. */
export async function findOpenIssue(db: DbOrTx, publicationId: number): Promise<BulletinIssue | undefined> {
  const [row] = await db.select().from(bulletinIssues).where(and(eq(bulletinIssues.publicationId, publicationId), eq(bulletinIssues.status, 'open')));
  return row;
}

export async function findIssue(db: DbOrTx, publicationId: number, year: number, number: number): Promise<BulletinIssue | undefined> {
  const [row] = await db
    .select()
    .from(bulletinIssues)
    .where(and(eq(bulletinIssues.publicationId, publicationId), eq(bulletinIssues.year, year), eq(bulletinIssues.number, number)));
  return row;
}

/** The asked-for issue does not exist: say which ones of that publication do (newest first), so the next try is right. */
export async function issueNotFound(db: DbOrTx, publication: Publication, year: number, number: number): Promise<UserError> {
  const rows = await db
    .select({ year: bulletinIssues.year, number: bulletinIssues.number })
    .from(bulletinIssues)
    .where(eq(bulletinIssues.publicationId, publication.id))
    .orderBy(sql`${bulletinIssues.year} desc, ${bulletinIssues.number} desc`)
    .limit(13);
  const shown = rows.slice(0, 12).map(issueLabel).join('、');
  const more = rows.length > 12 ? '等' : '';
  const named = (await activePublications(db)).length > 1 ? `《${publication.name}》` : '';
  return new UserError(`${named}没有${issueLabel({ year, number })}。${rows.length ? `现有：${shown}${more}。` : '目前还没有任何一期。'}`);
}

/**
 * The publication's open issue, or a new one numbered max + 1 of the publication's current year.
 * Under the desk lock, so two editors adopting at once share one new issue, and a rolled-back
 * adoption gives its number back.
 */
export async function openIssue(tx: Tx, o: { publicationId: number; actor: string; now: Date; timezone: string }): Promise<{ issue: BulletinIssue; created: boolean }> {
  await lockDesk(tx);
  const open = await findOpenIssue(tx, o.publicationId);
  if (open) return { issue: open, created: false };
  const year = localYear(o.now, o.timezone);
  const [{ top } = { top: null }] = await tx
    .select({ top: max(bulletinIssues.number) })
    .from(bulletinIssues)
    .where(and(eq(bulletinIssues.publicationId, o.publicationId), eq(bulletinIssues.year, year)));
  const [issue] = await tx
    .insert(bulletinIssues)
    .values({ publicationId: o.publicationId, year, number: Number(top ?? 0) + 1, status: 'open', openedAt: o.now, openedBy: o.actor })
    .returning();
  await recordAudit(tx, {
    at: o.now,
    actor: o.actor,
    entityType: 'bulletin_issue',
    entityId: issue!.id,
    action: 'issue.open',
    toState: 'open',
    data: { publicationId: o.publicationId, year: issue!.year, number: issue!.number },
  });
  return { issue: issue!, created: true };
}

export type IssueItemView = BulletinItem & {
  sources: { draftId: number; serial: string; unitId: number; unitName: string; authorOpenId: string }[];
  /** Source unit names, once each, in source order. */
  unitNames: string[];
};

/** Items of an issue in order, with their source drafts and units. */
export async function issueItems(db: DbOrTx, issueId: number): Promise<IssueItemView[]> {
  const items = await db.select().from(bulletinItems).where(eq(bulletinItems.issueId, issueId)).orderBy(asc(bulletinItems.position));
  if (!items.length) return [];
  const sources = await db
    .select({
      itemId: bulletinItemSources.itemId,
      draftId: bulletinItemSources.draftId,
      unitId: bulletinItemSources.unitId,
      unitName: units.name,
      serial: drafts.serial,
      authorOpenId: drafts.authorOpenId,
    })
    .from(bulletinItemSources)
    .innerJoin(units, eq(units.id, bulletinItemSources.unitId))
    .innerJoin(drafts, eq(drafts.id, bulletinItemSources.draftId))
    .where(inArray(bulletinItemSources.itemId, items.map((i) => i.id)))
    .orderBy(asc(bulletinItemSources.id));
  return items.map((it) => {
    const own = sources.filter((s) => s.itemId === it.id);
    return { ...it, sources: own, unitNames: [...new Set(own.map((s) => s.unitName))] };
  });
}

async function lockOpenIssue(tx: Tx, issueId: number): Promise<BulletinIssue> {
  const [issue] = await tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, issueId)).for('update');
  if (!issue) throw new UserError('找不到这一期。');
  if (issue.status !== 'open') throw new UserError(`${issueLabel(issue)}已印发，不能再修改。`, 'user:conflict');
  return issue;
}

/** Fixes the date and closes the issue to changes. The next adoption opens the next number. */
export async function publishIssue(tx: Tx, o: { issueId: number; actor: string; now: Date }): Promise<{ issue: BulletinIssue; items: IssueItemView[] }> {
  await lockDesk(tx);
  await lockOpenIssue(tx, o.issueId);
  const items = await issueItems(tx, o.issueId);
  if (!items.length) throw new UserError('本期还没有稿件，不能印发。');
  const [issue] = await tx
    .update(bulletinIssues)
    .set({ status: 'published', publishedAt: o.now, publishedBy: o.actor })
    .where(eq(bulletinIssues.id, o.issueId))
    .returning();
  await recordAudit(tx, {
    at: o.now,
    actor: o.actor,
    entityType: 'bulletin_issue',
    entityId: o.issueId,
    action: 'issue.publish',
    fromState: 'open',
    toState: 'published',
    data: { year: issue!.year, number: issue!.number, items: items.map((i) => i.id) },
  });
  return { issue: issue!, items };
}

/**
 * Moves an item of an open issue to another position (1-based), shifting the ones in between.
 * Positions stay 1..n without gaps.
 */
export async function moveItem(tx: Tx, o: { itemId: number; to: number; actor: string; now: Date }): Promise<{ issue: BulletinIssue; voided: boolean }> {
  await lockDesk(tx);
  const [item] = await tx.select().from(bulletinItems).where(eq(bulletinItems.id, o.itemId));
  if (!item) throw new UserError('找不到这一条。');
  const issue = await lockOpenIssue(tx, item.issueId);
  const last = (await nextPosition(tx, issue.id)) - 1;
  const to = Math.min(Math.max(1, Math.floor(o.to)), last);
  if (to === item.position) throw new UserError(item.position === 1 && o.to < 1 ? '已经是第一条。' : item.position === last && o.to > last ? '已经是最后一条。' : '位置没有变化。');
  const [lo, hi, shift] = to < item.position ? [to, item.position - 1, 1] : [item.position + 1, to, -1];
  // Unique (issue, position) is checked row by row: park the moving item and the shifted range on
  // negative positions first, then bring them back.
  await tx.update(bulletinItems).set({ position: -1_000_000 }).where(eq(bulletinItems.id, item.id));
  await tx
    .update(bulletinItems)
    .set({ position: sql`-(${bulletinItems.position} + ${shift})` })
    .where(and(eq(bulletinItems.issueId, issue.id), gte(bulletinItems.position, lo), lte(bulletinItems.position, hi)));
  await tx
    .update(bulletinItems)
    .set({ position: sql`-${bulletinItems.position}` })
    .where(and(eq(bulletinItems.issueId, issue.id), lt(bulletinItems.position, 0), ne(bulletinItems.id, item.id)));
  await tx.update(bulletinItems).set({ position: to }).where(eq(bulletinItems.id, item.id));
  await recordAudit(tx, {
    at: o.now,
    actor: o.actor,
    entityType: 'bulletin_item',
    entityId: item.id,
    action: 'item.move',
    data: { issueId: issue.id, from: item.position, to },
  });
  return touchIssue(tx, { issueId: issue.id, actor: o.actor, now: o.now, what: `第${item.position}条移到第${to}条` });
}

/** Next free position in an issue; the caller holds the desk lock. */
export async function nextPosition(tx: Tx, issueId: number): Promise<number> {
  const [{ top } = { top: null }] = await tx.select({ top: max(bulletinItems.position) }).from(bulletinItems).where(eq(bulletinItems.issueId, issueId));
  return Number(top ?? 0) + 1;
}
