import { roles, roster } from '../../bot/declare.js';
import { NOT_IN_ROSTER_TEXT } from '../../domain/roster/permissions.js';

/**
 * Rankings are published to the work group anyway, so everyone in the roster may look; the Excel
 * export lists every draft with its author, so it is for the research office and leaders only.
 */
export const MAY_VIEW_RANKING = roster('查看排行', NOT_IN_ROSTER_TEXT);

export const MAY_EXPORT_RANKING = roles(['editor', 'leader'], '导出排行明细', '导出排行明细仅限研究室和部领导使用。排行情况可发送“排行”查看。');
