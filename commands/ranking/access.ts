import { PermissionError } from '../../bot/errors.js';
import { notInRosterText } from '../../bot/dispatcher.js';
import type { Who } from '../../db/queries/roster.js';

/**
 * Rankings are published to the work group anyway, so everyone in the roster may look; the Excel
 * export lists every draft with its author, so it is for the research office and leaders only.
 */
export function assertMayViewRanking(who: Who): void {
  if (!who.known) throw new PermissionError(notInRosterText());
}

export function assertMayExport(who: Who): void {
  if (!who.known) throw new PermissionError(notInRosterText());
  if (!who.editor && !who.leader) throw new PermissionError('导出排行明细仅限研究室和部领导使用。排行情况可发送“排行”查看。');
}
