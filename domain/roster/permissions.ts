import { PermissionError } from '../../bot/errors.js';
import type { Who } from '../../db/queries/roster.js';

// Role checks every handler repeats, worded one way. Each is made against the roster as it is in
// the handler's transaction, so a role taken away is refused at the next tap, whatever card is open.

/** The research office's work (desk, topics, rules, roster, assessment): `只有研究室可以${what}。` */
export function requireEditor(who: Who, what: string): void {
  if (!who.editor) throw new PermissionError(`只有研究室可以${what}。`);
}

/** What the research office and the department's leaders share (exports, statistics). */
export function requireEditorOrLeader(who: Who, what: string): void {
  if (!who.editor && !who.leader) throw new PermissionError(`只有研究室和部领导可以${what}。`);
}
