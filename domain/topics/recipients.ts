import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { topicTargets, units } from '../../db/schema/index.js';
import { holdersOf } from '../../db/queries/roster.js';

export type Addressee = { openId: string; role: 'officer' | 'reviewer'; unitNames: string[] };

/**
 * The officers and reviewers of the given units, one entry per person and role with the names of
 * their units among them, so a reviewer of three late units gets one message naming all three.
 */
export async function peopleOfUnits(
  db: DbOrTx,
  unitIds: number[],
  roles: ('officer' | 'reviewer')[] = ['officer', 'reviewer'],
  include: (h: { openId: string; role: 'officer' | 'reviewer'; unitId: number }) => boolean = () => true,
): Promise<Addressee[]> {
  if (unitIds.length === 0) return [];
  const names = new Map((await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, unitIds))).map((u) => [u.id, u.name]));
  const out = new Map<string, Addressee>();
  for (const role of roles) {
    for (const h of await holdersOf(db, role, unitIds)) {
      if (!include({ openId: h.openId, role, unitId: h.unitId! })) continue;
      const key = `${role}:${h.openId}`;
      const a = out.get(key) ?? { openId: h.openId, role, unitNames: [] };
      const name = names.get(h.unitId!);
      if (name && !a.unitNames.includes(name)) a.unitNames.push(name);
      out.set(key, a);
    }
  }
  return [...out.values()].sort((a, b) => (a.role === b.role ? a.openId.localeCompare(b.openId) : a.role === 'officer' ? -1 : 1));
}

export async function targetUnitIds(db: DbOrTx, topicId: number): Promise<number[]> {
  return (await db.select({ unitId: topicTargets.unitId }).from(topicTargets).where(eq(topicTargets.topicId, topicId))).map((r) => r.unitId);
}

export async function unitNames(db: DbOrTx, unitIds: number[]): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const rows = await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, unitIds)).orderBy(units.sortOrder, units.id);
  return rows.map((r) => r.name);
}
