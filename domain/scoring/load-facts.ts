import { and, eq, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { bulletinIssues, bulletinItems, bulletinItemSources, drafts, recognitions } from '../../db/schema/index.js';
import { formatLocalDate, zonedTime } from '../../bot/time.js';
import type { OutletFact, Piece } from './facts.js';
import type { Level } from './types.js';

/** Local midnight of a YYYY-MM-DD date: a recognition counts from the start of its day. */
export function startOfLocalDate(date: string, timezone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return zonedTime(y, m, d, 0, 0, timezone);
}

/**
 * Adoptions into the bulletin and confirmed recognitions that happened before `to`. Everything
 * earlier is included on purpose: the engine needs the history of a piece and of a quarter.
 */
export async function loadOutletFacts(db: DbOrTx, o: { to: Date; timezone: string }): Promise<OutletFact[]> {
  const items = await db
    .select({
      id: bulletinItems.id,
      title: bulletinItems.title,
      category: bulletinItems.category,
      kind: bulletinItems.kind,
      adoptedAt: bulletinItems.adoptedAt,
      year: bulletinIssues.year,
      number: bulletinIssues.number,
    })
    .from(bulletinItems)
    .innerJoin(bulletinIssues, eq(bulletinIssues.id, bulletinItems.issueId));
  const sources = await db.select().from(bulletinItemSources);
  const unitsOfItem = new Map<number, number[]>();
  const itemOfDraft = new Map<number, number>();
  for (const s of sources) {
    const list = unitsOfItem.get(s.itemId) ?? [];
    if (!list.includes(s.unitId)) list.push(s.unitId);
    unitsOfItem.set(s.itemId, list);
    itemOfDraft.set(s.draftId, s.itemId);
  }
  const itemPieces = new Map<number, Piece>();
  for (const it of items) {
    itemPieces.set(it.id, {
      key: `item:${it.id}`,
      title: it.title,
      category: it.category,
      merged: it.kind === 'merged',
      unitIds: (unitsOfItem.get(it.id) ?? []).sort((a, b) => a - b),
      itemId: it.id,
    });
  }

  const facts: OutletFact[] = [];
  for (const it of items) {
    if (it.adoptedAt >= o.to) continue;
    facts.push({
      kind: 'adoption',
      piece: itemPieces.get(it.id)!,
      at: it.adoptedAt,
      level: 'county',
      where: `${it.year}年第${it.number}期`,
      order: `item:${it.id}`,
    });
  }

  // Recognitions dated on or before the local day of `to` (filtered exactly below).
  const lastDay = formatLocalDate(o.to, o.timezone);
  const recs = await db
    .select()
    .from(recognitions)
    .where(and(eq(recognitions.status, 'confirmed'), lt(recognitions.occurredOn, nextDay(lastDay))));
  const draftIds = [...new Set(recs.filter((r) => r.itemId === null && r.draftId !== null && !itemOfDraft.has(r.draftId)).map((r) => r.draftId!))];
  const draftRows = draftIds.length
    ? await db.select({ id: drafts.id, title: drafts.title, category: drafts.category, unitId: drafts.unitId }).from(drafts).where(inArray(drafts.id, draftIds))
    : [];
  const draftPieces = new Map<number, Piece>(
    draftRows.map((d) => [d.id, { key: `draft:${d.id}`, title: d.title, category: d.category, merged: false, unitIds: [d.unitId], draftId: d.id }]),
  );
  for (const r of recs) {
    const itemId = r.itemId ?? (r.draftId !== null ? itemOfDraft.get(r.draftId) : undefined);
    const piece = itemId !== undefined ? itemPieces.get(itemId) : draftPieces.get(r.draftId!);
    if (!piece) continue;
    const at = startOfLocalDate(r.occurredOn, o.timezone);
    if (at >= o.to) continue;
    facts.push({
      kind: r.kind === 'upper_adoption' ? 'adoption' : r.kind,
      piece,
      at,
      level: r.level as Level,
      where: r.outlet ?? undefined,
      order: `rec:${String(r.id).padStart(10, '0')}`,
    });
  }
  return facts;
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const n = new Date(Date.UTC(y, m - 1, d + 1));
  return n.toISOString().slice(0, 10);
}
