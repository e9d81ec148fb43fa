import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { scoreCredits } from '../../db/schema/index.js';
import type { AdjustmentFact } from './facts.js';
import type { ScoreEvent } from './types.js';

export type Credit = { at: Date; officer: string; unitId: number; kind: ScoreEvent['kind']; level: string | null; pieceKey: string | null; cents: number };

/** Outlet events credit authors; topic timeliness and quarterly caps are the unit's alone. */
const CREDITED = new Set<ScoreEvent['kind']>(['adoption', 'media', 'endorsement']);

/**
 * The officers' share of priced events: an item's points for a unit shared equally by that unit's
 * authors among its sources, a draft's to its author, an adjustment's to the officer it names.
 */
export async function creditsOf(db: DbOrTx, events: ScoreEvent[], adjustments: AdjustmentFact[]): Promise<Credit[]> {
  const itemIds = [...new Set(events.flatMap((e) => (CREDITED.has(e.kind) && e.itemId !== undefined ? [e.itemId] : [])))];
  const draftIds = [...new Set(events.flatMap((e) => (CREDITED.has(e.kind) && e.itemId === undefined && e.draftId !== undefined ? [e.draftId] : [])))];
  const authors = new Map<string, string[]>();
  if (itemIds.length) {
    const rows = await rowsOf<{ item_id: number; unit_id: number; author: string }>(
      db,
      sql`select distinct s.item_id, s.unit_id, d.author_open_id as author from bulletin_item_sources s join drafts d on d.id = s.draft_id
          where s.item_id in (select (jsonb_array_elements_text(${JSON.stringify(itemIds)}::jsonb))::int) order by 1, 2, 3`,
    );
    for (const r of rows) authors.set(`${r.item_id}|${r.unit_id}`, [...(authors.get(`${r.item_id}|${r.unit_id}`) ?? []), r.author]);
  }
  const draftAuthor = new Map<number, string>();
  if (draftIds.length) {
    const rows = await rowsOf<{ id: number; author: string }>(
      db,
      sql`select id, author_open_id as author from drafts where id in (select (jsonb_array_elements_text(${JSON.stringify(draftIds)}::jsonb))::int)`,
    );
    for (const r of rows) draftAuthor.set(r.id, r.author);
  }
  const adjustmentOfficer = new Map(adjustments.flatMap((a) => (a.officerOpenId ? [[a.adjustmentId, a.officerOpenId] as const] : [])));
  const out: Credit[] = [];
  for (const e of events) {
    const base = { at: e.at, unitId: e.unitId, kind: e.kind, level: e.level ?? null, pieceKey: e.pieceKey ?? null };
    const cents = Math.round(e.points * 100);
    if (e.kind === 'adjustment') {
      const officer = e.adjustmentId !== undefined ? adjustmentOfficer.get(e.adjustmentId) : undefined;
      if (officer) out.push({ ...base, officer, cents });
    } else if (CREDITED.has(e.kind)) {
      const who = e.itemId !== undefined ? (authors.get(`${e.itemId}|${e.unitId}`) ?? []) : e.draftId !== undefined && draftAuthor.has(e.draftId) ? [draftAuthor.get(e.draftId)!] : [];
      for (const officer of who) out.push({ ...base, officer, cents: cents / who.length });
    }
  }
  return out;
}

export async function insertCredits(db: DbOrTx, credits: Credit[]): Promise<void> {
  if (!credits.length) return;
  const rows = JSON.stringify(credits.map((c, n) => ({ n, at: c.at.toISOString(), officer: c.officer, unit_id: c.unitId, kind: c.kind, level: c.level, piece_key: c.pieceKey, cents: c.cents })));
  await db.execute(sql`
    insert into ${scoreCredits} (at, officer, unit_id, kind, level, piece_key, cents)
    select at, officer, unit_id, kind, level, piece_key, cents
    from jsonb_to_recordset(${rows}::jsonb) as r(n integer, at timestamptz, officer text, unit_id integer, kind text, level text, piece_key text, cents double precision)
    order by n`);
}

async function rowsOf<T>(db: DbOrTx, q: ReturnType<typeof sql>): Promise<T[]> {
  const result = await db.execute(q);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
