import { and, asc, eq } from 'drizzle-orm';
import { stringify } from 'yaml';
import type { DbOrTx } from '../../db/client.js';
import { getOrgSettings } from '../../db/queries/roster.js';
import { issueSettingsOf } from '../desk/signoff.js';
import { people, roleAssignments, units, type Role } from '../../db/schema/index.js';
import { activePublications } from '../desk/publications.js';

type Entry = string | { id: string; name: string };

/**
 * The roster as it stands, written as org.yaml: importing the result changes nothing. Names typed
 * in a file or given in chat are written; names from the contact API are left to it (a comment).
 * Everything the import reads is written: units, their reviewers, officers and designated officer,
 * editors, leaders, the issue's signers and distribution lines.
 */
export async function exportOrgYaml(db: DbOrTx): Promise<string> {
  const settings = await getOrgSettings(db);
  const rows = await db
    .select({ openId: roleAssignments.openId, role: roleAssignments.role, unitId: roleAssignments.unitId, designated: roleAssignments.designated, name: people.name, nameSource: people.nameSource })
    .from(roleAssignments)
    .innerJoin(people, eq(people.openId, roleAssignments.openId))
    .where(eq(roleAssignments.active, true))
    .orderBy(asc(roleAssignments.id));
  const entry = (r: (typeof rows)[number]): Entry => (r.name && r.nameSource !== 'contact' ? { id: r.openId, name: r.name } : r.openId);
  const of = (role: Role, unitId: number | null) => rows.filter((r) => r.role === role && r.unitId === unitId).map(entry);
  const issue = await issueSettingsOf(db);
  const leaderIds = new Set(rows.filter((r) => r.role === 'leader').map((r) => r.openId));
  // A signer must be a leader in the file; one no longer in the roster could not sign anyway.
  const signers = issue.signers.filter((s) => leaderIds.has(s));
  const distribution = Object.fromEntries((['报', '送', '发'] as const).flatMap((k) => (issue.distribution[k] ? [[k, issue.distribution[k]]] : [])));
  const unitList = await db.select().from(units).where(and(eq(units.active, true))).orderBy(asc(units.sortOrder), asc(units.id));
  const pubs = await activePublications(db);
  const doc = {
    department: settings?.department ?? '',
    bulletin: pubs.length > 1 ? pubs.map((p) => p.name) : (pubs[0]?.name ?? settings?.bulletinName ?? ''),
    group_chat_id: settings?.groupChatId ?? '',
    editors: of('editor', null),
    leaders: of('leader', null),
    ...(signers.length ? { signers } : {}),
    ...(Object.keys(distribution).length ? { distribution } : {}),
    units: unitList.map((u) => {
      const designated = rows.find((r) => r.role === 'officer' && r.unitId === u.id && r.designated);
      return {
        name: u.name,
        reviewers: of('reviewer', u.id),
        officers: of('officer', u.id),
        ...(designated ? { designated_officer: designated.openId } : {}),
      };
    }),
  };
  return `# 名册导出：可修改后用 npm run org:import -- 文件名 导入；未写姓名的人员，姓名取自飞书通讯录。\n${stringify(doc, { lineWidth: 0 })}`;
}
