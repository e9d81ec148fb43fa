import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgSettings, people, roleAssignments, units } from '../../db/schema/index.js';
import type { FakeLark } from '../open-api/index.js';

export type ConsoleRole = { role: 'officer' | 'reviewer' | 'editor' | 'leader'; unit?: string; designated?: boolean };
export type ConsolePerson = { openId: string; name: string; roles: ConsoleRole[] };

/** Who can be played in the console and where they talk: read from the roster each time. */
export type ConsoleDirectory = {
  department: string;
  group: { chatId: string; name: string } | undefined;
  people: ConsolePerson[];
};

const ROLE_ORDER = { officer: 0, reviewer: 1, editor: 2, leader: 3 } as const;

export async function readDirectory(db: Db): Promise<ConsoleDirectory> {
  const [settings] = await db.select().from(orgSettings).where(eq(orgSettings.id, 1));
  const rows = await db
    .select({
      openId: people.openId,
      name: people.name,
      role: roleAssignments.role,
      designated: roleAssignments.designated,
      unit: units.name,
      unitOrder: units.sortOrder,
    })
    .from(roleAssignments)
    .innerJoin(people, eq(people.openId, roleAssignments.openId))
    .leftJoin(units, eq(units.id, roleAssignments.unitId))
    .where(eq(roleAssignments.active, true))
    .orderBy(asc(units.sortOrder), asc(roleAssignments.id));
  const byId = new Map<string, ConsolePerson>();
  for (const r of rows) {
    const person = byId.get(r.openId) ?? { openId: r.openId, name: r.name ?? r.openId, roles: [] };
    const role: ConsoleRole = { role: r.role };
    if (r.unit) role.unit = r.unit;
    if (r.designated) role.designated = true;
    person.roles.push(role);
    byId.set(r.openId, person);
  }
  const list = [...byId.values()].sort(
    (a, b) => Math.min(...a.roles.map((x) => ROLE_ORDER[x.role])) - Math.min(...b.roles.map((x) => ROLE_ORDER[x.role])),
  );
  return {
    department: settings?.department ?? '',
    group: settings ? { chatId: settings.groupChatId, name: `${settings.department}工作群` } : undefined,
    people: list,
  };
}

/** Tells the fake who exists, so the bot's name look-ups and group member lists work as in a tenant. */
export function registerDirectory(fake: FakeLark, dir: ConsoleDirectory): void {
  for (const p of dir.people) fake.addUser({ openId: p.openId, name: p.name });
  if (dir.group) {
    fake.addChat({ chatId: dir.group.chatId, chatType: 'group', name: dir.group.name, members: dir.people.map((p) => p.openId) });
  }
}
