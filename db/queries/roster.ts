import { and, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { designationPeriods, orgSettings, people, roleAssignments, units, type OrgSettings, type Unit } from '../schema/index.js';

/** What the roster says about one person: the basis of every permission check. */
export type Who = {
  openId: string;
  name: string | undefined;
  /** In the roster with at least one active role. */
  known: boolean;
  officerUnits: Unit[];
  reviewerUnits: Unit[];
  designatedUnits: Unit[];
  editor: boolean;
  leader: boolean;
};

export async function loadWho(db: DbOrTx, openId: string): Promise<Who> {
  return (await loadWhoMany(db, [openId])).get(openId)!;
}

/** What the roster says about each of `openIds` (a burst of messages reads them in one query, one statement text for any number). */
export async function loadWhoMany(db: DbOrTx, openIds: string[]): Promise<Map<string, Who>> {
  const ids = [...new Set(openIds)];
  const rows = await db
    .select({ openId: roleAssignments.openId, role: roleAssignments.role, designated: roleAssignments.designated, unit: units, name: people.name })
    .from(roleAssignments)
    .innerJoin(people, eq(people.openId, roleAssignments.openId))
    .leftJoin(units, eq(units.id, roleAssignments.unitId))
    .where(and(sql`${roleAssignments.openId} = any(${sql.param(ids)}::text[])`, eq(roleAssignments.active, true)));
  const activeUnit = (r: (typeof rows)[number]) => (r.unit && r.unit.active ? [r.unit] : []);
  return new Map(
    ids.map((openId) => {
      const mine = rows.filter((r) => r.openId === openId);
      const who: Who = {
        openId,
        name: mine[0]?.name ?? undefined,
        known: mine.length > 0,
        officerUnits: mine.filter((r) => r.role === 'officer').flatMap(activeUnit),
        reviewerUnits: mine.filter((r) => r.role === 'reviewer').flatMap(activeUnit),
        designatedUnits: mine.filter((r) => r.role === 'officer' && r.designated).flatMap(activeUnit),
        editor: mine.some((r) => r.role === 'editor'),
        leader: mine.some((r) => r.role === 'leader'),
      };
      return [openId, who];
    }),
  );
}

export async function getOrgSettings(db: DbOrTx): Promise<OrgSettings | undefined> {
  const [row] = await db.select().from(orgSettings).where(eq(orgSettings.id, 1));
  return row;
}

/** open_ids holding `role` in any of `unitIds` (or department-wide roles when unitIds is omitted). */
export async function holdersOf(db: DbOrTx, role: 'officer' | 'reviewer' | 'editor' | 'leader', unitIds?: number[]) {
  const conds = [eq(roleAssignments.role, role), eq(roleAssignments.active, true)];
  if (unitIds) {
    if (unitIds.length === 0) return [];
    conds.push(inArray(roleAssignments.unitId, unitIds));
  }
  return db
    .selectDistinct({ openId: roleAssignments.openId, name: people.name, unitId: roleAssignments.unitId })
    .from(roleAssignments)
    .innerJoin(people, eq(people.openId, roleAssignments.openId))
    .where(and(...conds));
}

/**
 * Each unit's designated officer (专职信息员) by unit id, with the roster name to show: today's, or
 * the one in office at the instant `at` (from designation_periods) for a past period's records.
 */
export async function designatedOfficers(db: DbOrTx, at?: Date): Promise<Map<number, { openId: string; name: string }>> {
  const rows = at
    ? await db
        .select({ unitId: designationPeriods.unitId, openId: designationPeriods.openId, name: people.name })
        .from(designationPeriods)
        .innerJoin(people, eq(people.openId, designationPeriods.openId))
        .where(and(lte(designationPeriods.since, at), or(isNull(designationPeriods.until), gt(designationPeriods.until, at))))
    : await db
        .select({ unitId: roleAssignments.unitId, openId: roleAssignments.openId, name: people.name })
        .from(roleAssignments)
        .innerJoin(people, eq(people.openId, roleAssignments.openId))
        .where(and(eq(roleAssignments.role, 'officer'), eq(roleAssignments.designated, true), eq(roleAssignments.active, true)));
  return new Map(rows.map((r) => [r.unitId!, { openId: r.openId, name: displayName(r.name, r.openId) }]));
}

export async function activeUnits(db: DbOrTx): Promise<Unit[]> {
  return db.select().from(units).where(eq(units.active, true)).orderBy(units.sortOrder, units.id);
}

/** Display name for an open_id: the roster name, else a short form of the id. */
export function displayName(name: string | null | undefined, openId: string): string {
  return name && name.trim() ? name : `用户${openId.slice(-4)}`;
}
