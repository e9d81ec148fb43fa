import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { auditLog, issueSettings, orgSettings, people, roleAssignments, units, type Role } from '../../db/schema/index.js';
import { idOf, type OrgFile } from './org-file.js';
import { peopleOf } from './resolve-people.js';
import { syncPublications } from '../desk/publications.js';

export type ImportSummary = {
  unitsAdded: number;
  unitsDeactivated: number;
  peopleAdded: number;
  rolesAdded: number;
  rolesDeactivated: number;
  changed: boolean;
};

type Desired = { openId: string; role: Role; unitId: number | null; designated: boolean };

/**
 * Makes the database match the roster file, in one transaction. Nothing is deleted: units and roles
 * missing from the file are deactivated, so past drafts keep their unit and reviewer. Running the
 * same file twice changes nothing.
 */
export async function importOrg(
  db: Db,
  org: OrgFile,
  /** `contactNames`: names the contact API gave for people the file names without one. */
  opts: { actor: string; now: Date; contactNames?: Map<string, string> },
): Promise<ImportSummary> {
  return db.transaction(async (tx) => {
    const s: ImportSummary = { unitsAdded: 0, unitsDeactivated: 0, peopleAdded: 0, rolesAdded: 0, rolesDeactivated: 0, changed: false };

    const [current] = await tx.select().from(orgSettings).where(eq(orgSettings.id, 1));
    // bulletin_name keeps the main publication, for what reads the department's settings alone.
    const bulletinName = org.bulletin[0]!;
    if (!current || current.department !== org.department || current.bulletinName !== bulletinName || current.groupChatId !== org.group_chat_id) {
      await tx
        .insert(orgSettings)
        .values({ id: 1, department: org.department, bulletinName, groupChatId: org.group_chat_id, updatedAt: opts.now })
        .onConflictDoUpdate({
          target: orgSettings.id,
          set: { department: org.department, bulletinName, groupChatId: org.group_chat_id, updatedAt: opts.now },
        });
      s.changed = true;
    }
    if (await syncPublications(tx, org.bulletin)) s.changed = true;

    if (await syncIssueSettings(tx, org, opts.now)) s.changed = true;
    const unitIds = await syncUnits(tx, org, s, opts.now);
    await syncPeople(tx, org, s, opts.now, opts.contactNames);

    const desired: Desired[] = [
      ...org.editors.map((p) => ({ openId: idOf(p), role: 'editor' as const, unitId: null, designated: false })),
      ...org.leaders.map((p) => ({ openId: idOf(p), role: 'leader' as const, unitId: null, designated: false })),
      ...org.units.flatMap((u) => [
        ...u.reviewers.map((p) => ({ openId: idOf(p), role: 'reviewer' as const, unitId: unitIds.get(u.name)!, designated: false })),
        ...u.officers.map((p) => ({
          openId: idOf(p),
          role: 'officer' as const,
          unitId: unitIds.get(u.name)!,
          designated: u.designated_officer === idOf(p),
        })),
      ]),
    ];
    await syncRoles(tx, desired, s, opts.now);

    s.changed ||= s.unitsAdded + s.unitsDeactivated + s.peopleAdded + s.rolesAdded + s.rolesDeactivated > 0;
    if (s.changed) {
      await tx.insert(auditLog).values({
        at: opts.now,
        actor: opts.actor,
        entityType: 'roster',
        entityId: 'org',
        action: 'import',
        data: { ...s },
      });
    }
    return s;
  });
}

async function syncUnits(tx: Tx, org: OrgFile, s: ImportSummary, now: Date): Promise<Map<string, number>> {
  const existing = await tx.select().from(units);
  const byName = new Map(existing.map((u) => [u.name, u]));
  const ids = new Map<string, number>();
  for (const [i, u] of org.units.entries()) {
    const row = byName.get(u.name);
    if (!row) {
      const [inserted] = await tx.insert(units).values({ name: u.name, sortOrder: i, createdAt: now }).returning({ id: units.id });
      ids.set(u.name, inserted!.id);
      s.unitsAdded++;
    } else {
      ids.set(u.name, row.id);
      if (!row.active || row.sortOrder !== i) {
        await tx.update(units).set({ active: true, sortOrder: i }).where(eq(units.id, row.id));
        s.changed = true;
      }
    }
  }
  const keep = new Set(org.units.map((u) => u.name));
  for (const row of existing) {
    if (row.active && !keep.has(row.name)) {
      await tx.update(units).set({ active: false }).where(eq(units.id, row.id));
      s.unitsDeactivated++;
    }
  }
  return ids;
}

/** A name typed in the file wins over the contact API's; without one, a name already known stays. */
async function syncPeople(tx: Tx, org: OrgFile, s: ImportSummary, now: Date, contactNames?: Map<string, string>) {
  const names = peopleOf(org);
  for (const id of names.keys()) idOf(id); // every entry must be resolved to an open_id by now
  const existing = new Map((await tx.select().from(people)).map((p) => [p.openId, p]));
  for (const [openId, typed] of names) {
    const row = existing.get(openId);
    const fromContact = typed ? undefined : contactNames?.get(openId);
    const name = typed ?? fromContact;
    const nameSource = typed ? ('roster' as const) : fromContact ? ('contact' as const) : null;
    if (!row) {
      await tx.insert(people).values({ openId, name: name ?? null, nameSource, nameRefreshedAt: fromContact ? now : null, createdAt: now, updatedAt: now });
      s.peopleAdded++;
    } else if (typed && (row.name !== typed || row.nameSource === 'contact')) {
      await tx.update(people).set({ name: typed, nameSource: 'roster', updatedAt: now }).where(eq(people.openId, openId));
      s.changed = true;
    } else if (!typed && fromContact && !row.name) {
      await tx.update(people).set({ name: fromContact, nameSource: 'contact', nameRefreshedAt: now, updatedAt: now }).where(eq(people.openId, openId));
      s.changed = true;
    }
  }
}

async function syncRoles(tx: Tx, desired: Desired[], s: ImportSummary, now: Date) {
  const existing = await tx.select().from(roleAssignments);
  const key = (r: { openId: string; role: string; unitId: number | null }) => `${r.openId}|${r.role}|${r.unitId ?? ''}`;
  const byKey = new Map(existing.map((r) => [key(r), r]));
  const wanted = new Set<string>();
  for (const d of desired) {
    const k = key(d);
    if (wanted.has(k)) continue; // the same person listed twice in one role
    wanted.add(k);
    const row = byKey.get(k);
    if (!row) {
      await tx.insert(roleAssignments).values({ ...d, createdAt: now, updatedAt: now });
      s.rolesAdded++;
    } else if (!row.active || row.designated !== d.designated) {
      await tx
        .update(roleAssignments)
        .set({ active: true, designated: d.designated, updatedAt: now })
        .where(eq(roleAssignments.id, row.id));
      s.changed = true;
    }
  }
  for (const row of existing) {
    if (row.active && !wanted.has(key(row))) {
      await tx
        .update(roleAssignments)
        .set({ active: false, designated: false, updatedAt: now })
        .where(eq(roleAssignments.id, row.id));
      s.rolesDeactivated++;
    }
  }
}

/** Signers and distribution lines (签发 of 本期信息), kept in their own row beside org_settings; true when they changed. */
async function syncIssueSettings(tx: Tx, org: OrgFile, now: Date): Promise<boolean> {
  const values = { signers: org.signers, distribution: org.distribution };
  const [row] = await tx.select().from(issueSettings).where(eq(issueSettings.id, 1));
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const sortedLines = (d: Record<string, string | undefined>) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  if (row && same(row.signers, values.signers) && same(sortedLines(row.distribution), sortedLines(values.distribution))) return false;
  await tx
    .insert(issueSettings)
    .values({ id: 1, ...values, updatedAt: now })
    .onConflictDoUpdate({ target: issueSettings.id, set: { ...values, updatedAt: now } });
  return true;
}
