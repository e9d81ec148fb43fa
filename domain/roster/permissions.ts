import { PermissionError } from '../../bot/errors.js';
import type { Who } from '../../db/queries/roster.js';

/** The answer to someone outside the roster who tries something that needs a role. */
export const NOT_IN_ROSTER_TEXT =
  '您还不在本系统的名册中，暂时无法使用。私聊我发送任意一句话即可申请加入（信息员由本单位组织委员审批，组织委员由县委组织部研究室审批）。';

export type Role = 'officer' | 'reviewer' | 'editor' | 'leader';

/** The roles as the department names them, in the order refusals list them. */
export const ROLE_NAMES: Record<Role, string> = { officer: '信息员', reviewer: '组织委员', editor: '研究室', leader: '部领导' };

export function hasRole(who: Who, role: Role): boolean {
  if (role === 'officer') return who.officerUnits.length > 0;
  if (role === 'reviewer') return who.reviewerUnits.length > 0;
  return role === 'editor' ? who.editor : who.leader;
}

/** `只有组织委员、研究室和部领导可以${what}。` unless `who` has one of `roles`. */
export function requireRoles(who: Who, roles: readonly Role[], what: string): void {
  if (roles.some((r) => hasRole(who, r))) return;
  const names = (Object.keys(ROLE_NAMES) as Role[]).filter((r) => roles.includes(r)).map((r) => ROLE_NAMES[r]);
  const list = names.length > 1 ? `${names.slice(0, -1).join('、')}和${names.at(-1)}` : names[0];
  throw new PermissionError(`只有${list}可以${what}。`);
}

// Role checks every handler repeats, worded one way. Each is made against the roster as it is in
// the handler's transaction, so a role taken away is refused at the next tap, whatever card is open.

/** The research office's work (desk, topics, rules, roster, assessment): `只有研究室可以${what}。` */
export function requireEditor(who: Who, what: string): void {
  requireRoles(who, ['editor'], what);
}
