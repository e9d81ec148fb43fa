import { and, asc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { bulletinIssues, bulletinItems, bulletinItemSources, drafts, publications, recognitions } from '../../db/schema/index.js';
import { formatLocalDate, zonedTime } from '../../bot/time.js';
import type { OutletFact, Piece } from './facts.js';
import type { Level } from './types.js';

/** Local midnight of a YYYY-MM-DD date: a recognition counts from the start of its day. */
export function startOfLocalDate(date: string, timezone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return zonedTime(y, m, d, 0, 0, timezone);
}

/** Bound parameters per query stay far below PostgreSQL's 65535. */
const CHUNK = 5000;

async function chunked<T>(ids: number[], read: (part: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

/**
 * Adoptions into the bulletin and confirmed recognitions that happened in [from, to), both local
 * midnights. Each fact carries its whole piece (title, category, every source unit), also when the
 * piece was adopted before `from`: what the piece earned earlier is the ledger's business.
 */
export async function loadOutletFacts(db: DbOrTx, o: { from: Date; to: Date; timezone: string }): Promise<OutletFact[]> {
  const adoptedIn = and(gte(bulletinItems.adoptedAt, o.from), lt(bulletinItems.adoptedAt, o.to))!;
  const adopted = await loadItemPieces(db, adoptedIn, (q) => q.innerJoin(bulletinItems, eq(bulletinItems.id, bulletinItemSources.itemId)).where(adoptedIn));
  const recs = await db
    .select()
    .from(recognitions)
    .where(
      and(
        eq(recognitions.status, 'confirmed'),
        gte(recognitions.occurredOn, formatLocalDate(o.from, o.timezone)),
        lt(recognitions.occurredOn, formatLocalDate(o.to, o.timezone)),
      ),
    )
    .orderBy(asc(recognitions.id));

  // A recognition recorded against a draft belongs to the item the draft was later put into.
  const recDrafts = [...new Set(recs.flatMap((r) => (r.itemId === null && r.draftId !== null ? [r.draftId] : [])))];
  const itemOfDraft = new Map(
    (
      await chunked(recDrafts, (part) =>
        db.select({ draftId: bulletinItemSources.draftId, itemId: bulletinItemSources.itemId }).from(bulletinItemSources).where(inArray(bulletinItemSources.draftId, part)),
      )
    ).map((s) => [s.draftId, s.itemId]),
  );
  // Items recognized in the window but adopted before it: few, looked up by id.
  const earlier = [...new Set([...recs.flatMap((r) => (r.itemId !== null ? [r.itemId] : [])), ...itemOfDraft.values()])].filter((id) => !adopted.has(id));
  const itemPieces = new Map([
    ...adopted,
    ...(await chunked(earlier, async (part) => [
      ...(await loadItemPieces(db, inArray(bulletinItems.id, part), (q) => q.where(inArray(bulletinItemSources.itemId, part)))),
    ])),
  ]);

  // Whole-issue adoptions name their issue: few issues, looked up by id.
  const wholeIds = [...new Set(recs.flatMap((r) => (r.wholeIssueId !== null ? [r.wholeIssueId] : [])))];
  const wholeLabels = new Map(
    (
      await chunked(wholeIds, (part) =>
        db
          .select({ id: bulletinIssues.id, year: bulletinIssues.year, number: bulletinIssues.number, publication: publications.name })
          .from(bulletinIssues)
          .innerJoin(publications, eq(publications.id, bulletinIssues.publicationId))
          .where(inArray(bulletinIssues.id, part)),
      )
    ).map((i) => [i.id, `《${i.publication}》${i.year}年第${i.number}期`]),
  );

  const facts: OutletFact[] = [];
  for (const [id, { piece, adoptedAt, where, publication }] of adopted) {
    facts.push({ kind: 'adoption', piece, at: adoptedAt, level: 'county', where, publication, order: `item:${id}` });
  }

  const ownDrafts = recDrafts.filter((id) => !itemOfDraft.has(id));
  const draftPieces = new Map<number, Piece>(
    (
      await chunked(ownDrafts, (part) =>
        db.select({ id: drafts.id, title: drafts.title, category: drafts.category, unitId: drafts.unitId }).from(drafts).where(inArray(drafts.id, part)),
      )
    ).map((d) => [d.id, { key: `draft:${d.id}`, title: d.title, category: d.category, merged: false, unitIds: [d.unitId], draftId: d.id }]),
  );
  for (const r of recs) {
    const itemId = r.itemId ?? (r.draftId !== null ? itemOfDraft.get(r.draftId) : undefined);
    const piece = itemId !== undefined ? itemPieces.get(itemId)?.piece : draftPieces.get(r.draftId!);
    if (!piece) continue;
    facts.push({
      kind: r.kind === 'upper_adoption' ? 'adoption' : r.kind,
      piece,
      at: startOfLocalDate(r.occurredOn, o.timezone),
      level: r.level as Level,
      where: r.outlet ?? undefined,
      ...(r.wholeIssueId !== null ? { wholeIssue: wholeLabels.get(r.wholeIssueId) } : {}),
      order: `rec:${String(r.id).padStart(10, '0')}`,
    });
  }
  return facts;
}

type ItemPiece = { piece: Piece; adoptedAt: Date; where: string; publication: string };

/**
 * Items with their issue and source units, chosen by `items` (a condition on bulletin_items) and
 * `sources` (the same choice for their sources: a join for a date range, a list of ids otherwise).
 */
async function loadItemPieces(
  db: DbOrTx,
  items: SQL,
  sources: (q: SourcesQuery) => PromiseLike<{ itemId: number; unitId: number }[]>,
): Promise<Map<number, ItemPiece>> {
  const rows = await db
    .select({
      id: bulletinItems.id,
      title: bulletinItems.title,
      category: bulletinItems.category,
      kind: bulletinItems.kind,
      adoptedAt: bulletinItems.adoptedAt,
      year: bulletinIssues.year,
      number: bulletinIssues.number,
      publication: publications.name,
    })
    .from(bulletinItems)
    .innerJoin(bulletinIssues, eq(bulletinIssues.id, bulletinItems.issueId))
    .innerJoin(publications, eq(publications.id, bulletinIssues.publicationId))
    .where(items);
  const unitsOfItem = new Map<number, Set<number>>();
  for (const s of await sources(sourcesQuery(db))) {
    const set = unitsOfItem.get(s.itemId) ?? new Set<number>();
    set.add(s.unitId);
    unitsOfItem.set(s.itemId, set);
  }
  return new Map(
    rows.map((it) => [
      it.id,
      {
        piece: {
          key: `item:${it.id}`,
          title: it.title,
          category: it.category,
          merged: it.kind === 'merged',
          unitIds: [...(unitsOfItem.get(it.id) ?? [])].sort((a, b) => a - b),
          itemId: it.id,
        },
        adoptedAt: it.adoptedAt,
        where: `《${it.publication}》${it.year}年第${it.number}期`,
        publication: it.publication,
      },
    ]),
  );
}

const sourcesQuery = (db: DbOrTx) =>
  db.select({ itemId: bulletinItemSources.itemId, unitId: bulletinItemSources.unitId }).from(bulletinItemSources).$dynamic();
type SourcesQuery = ReturnType<typeof sourcesQuery>;
