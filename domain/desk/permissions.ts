import { PermissionError } from '../../bot/errors.js';
import type { Who } from '../../db/queries/roster.js';

/** The desk's actions (adopt, number, publish, confirm, rules) belong to the research office. */
export function requireEditor(who: Who, what: string): void {
  if (!who.editor) throw new PermissionError(`只有研究室可以${what}。`);
}
