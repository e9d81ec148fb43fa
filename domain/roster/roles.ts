import { and, eq, isNull, ne } from 'drizzle-orm';
import { UserError } from '../../bot/errors.js';
import type { Tx } from '../../db/client.js';
import { people, roleAssignments, units, type Role, type Unit } from '../../db/schema/index.js';
import { recordAudit } from '../drafts/transition.js';

export const ROLE_LABELS: Record<Role, string> = { officer: '信息员', reviewer: '组织委员', editor: '研究室', leader: '部领导' };

export async function activeUnit(tx: Tx, unitId: number): Promise<Unit> {
  const [u] = await tx.select().from(units).where(eq(units.id, unitId));
  if (!u || !u.active) throw new UserError('所选单位不存在或已停用，请重新选择。');
  return u;
}

/** One role per person per unit between 信息员 and 组织委员: a reviewer may not approve their own drafts. */
async function assertNoConflict(tx: Tx, openId: string, role: Role, unitId: number | null) {
  if (unitId === null || (role !== 'officer' && role !== 'reviewer')) return;
  const other = role === 'officer' ? 'reviewer' : 'officer';
  const [clash] = await tx
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.openId, openId), eq(roleAssignments.role, other), eq(roleAssignments.unitId, unitId), eq(roleAssignments.active, true)));
  if (clash) {
    throw new UserError(`此人已是本单位的${ROLE_LABELS[other]}，同一人不能在一个单位既是信息员又是组织委员（组织委员不能审核自己的稿件）。`);
  }
}

/**
 * Gives a person a role (adding them to the roster if new). `name` is a name given in chat or the
 * file: it wins over the contact API's. Returns false when they held the role already.
 */
export async function grantRole(
  tx: Tx,
  o: { openId: string; name?: string | undefined; role: Role; unitId: number | null; actor: string; now: Date; via: string },
): Promise<boolean> {
  await assertNoConflict(tx, o.openId, o.role, o.unitId);
  const [person] = await tx.select().from(people).where(eq(people.openId, o.openId));
  if (!person) {
    await tx.insert(people).values({ openId: o.openId, name: o.name ?? null, nameSource: o.name ? 'roster' : null, createdAt: o.now, updatedAt: o.now });
  } else if (o.name && !person.name) {
    await tx.update(people).set({ name: o.name, nameSource: 'roster', updatedAt: o.now }).where(eq(people.openId, o.openId));
  }
  const unitCond = o.unitId === null ? isNull(roleAssignments.unitId) : eq(roleAssignments.unitId, o.unitId);
  const [row] = await tx
    .select()
    .from(roleAssignments)
    .where(and(eq(roleAssignments.openId, o.openId), eq(roleAssignments.role, o.role), unitCond));
  if (row?.active) return false;
  if (row) await tx.update(roleAssignments).set({ active: true, designated: false, updatedAt: o.now }).where(eq(roleAssignments.id, row.id));
  else await tx.insert(roleAssignments).values({ openId: o.openId, role: o.role, unitId: o.unitId, createdAt: o.now, updatedAt: o.now });
  await recordAudit(tx, { at: o.now, actor: o.actor, entityType: 'roster', entityId: o.openId, action: 'grant_role', data: { role: o.role, unitId: o.unitId, via: o.via } });
  return true;
}

/** Ends a role; the person and their history stay. Returns false when they did not hold it. */
export async function revokeRole(tx: Tx, o: { openId: string; role: Role; unitId: number | null; actor: string; now: Date; via: string }): Promise<boolean> {
  const unitCond = o.unitId === null ? isNull(roleAssignments.unitId) : eq(roleAssignments.unitId, o.unitId);
  const updated = await tx
    .update(roleAssignments)
    .set({ active: false, designated: false, updatedAt: o.now })
    .where(and(eq(roleAssignments.openId, o.openId), eq(roleAssignments.role, o.role), unitCond, eq(roleAssignments.active, true)))
    .returning({ id: roleAssignments.id });
  if (!updated.length) return false;
  await recordAudit(tx, { at: o.now, actor: o.actor, entityType: 'roster', entityId: o.openId, action: 'revoke_role', data: { role: o.role, unitId: o.unitId, via: o.via } });
  return true;
}

/** The unit's designated officer (专职信息员), if any. */
export async function designatedOfficer(tx: Tx, unitId: number): Promise<string | undefined> {
  const [row] = await tx
    .select({ openId: roleAssignments.openId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.unitId, unitId), eq(roleAssignments.role, 'officer'), eq(roleAssignments.designated, true), eq(roleAssignments.active, true)));
  return row?.openId;
}

/** Makes `openId` (an active officer of the unit) its only designated officer. */
export async function setDesignated(tx: Tx, o: { unitId: number; openId: string; actor: string; now: Date; via: string }) {
  const [officer] = await tx
    .select()
    .from(roleAssignments)
    .where(and(eq(roleAssignments.openId, o.openId), eq(roleAssignments.role, 'officer'), eq(roleAssignments.unitId, o.unitId), eq(roleAssignments.active, true)));
  if (!officer) throw new UserError('专职信息员必须是本单位的信息员。');
  const before = await designatedOfficer(tx, o.unitId);
  await tx
    .update(roleAssignments)
    .set({ designated: false, updatedAt: o.now })
    .where(and(eq(roleAssignments.unitId, o.unitId), eq(roleAssignments.role, 'officer'), eq(roleAssignments.designated, true), ne(roleAssignments.id, officer.id)));
  if (!officer.designated) await tx.update(roleAssignments).set({ designated: true, updatedAt: o.now }).where(eq(roleAssignments.id, officer.id));
  await recordAudit(tx, { at: o.now, actor: o.actor, entityType: 'unit', entityId: o.unitId, action: 'set_designated', data: { from: before ?? null, to: o.openId, via: o.via } });
}
