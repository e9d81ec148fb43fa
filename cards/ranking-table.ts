import { collapsible, escapeMd, markdown, type Element } from './elements.js';
import { formatRankChange } from '../domain/ranking/rank.js';
import { periodNoun } from '../domain/ranking/period.js';
import { formatNumber } from '../domain/ranking/quotas.js';
import type { RankingReport, RankingRow } from '../domain/ranking/types.js';

/**
 * The ranking as a card `table`, four columns that fit a phone: 名次, 单位, 得分, 变化. Units with
 * no points are not ranked here (they are named once under 未得分); the other numbers are in the
 * folded 各单位明细 panel. Row keys are one letter because every row repeats them and the card has
 * a 30 KB ceiling; people only see the display names.
 */
export function rankingTable(report: RankingReport, rows: RankingRow[]): Element {
  const num = (name: string, display: string) => ({ name, display_name: display, data_type: 'number', horizontal_align: 'right', width: 'auto' });
  return {
    tag: 'table',
    page_size: 10,
    row_height: 'low',
    freeze_first_column: true,
    header_style: { text_align: 'left', text_size: 'normal', background_style: 'grey', bold: true, lines: 1 },
    columns: [
      num('r', '名次'),
      { name: 'u', display_name: '单位', data_type: 'text', width: 'auto' },
      num('p', `${periodNoun(report.period.kind)}得分`),
      { name: 'd', display_name: '变化', data_type: 'text', horizontal_align: 'center', width: 'auto' },
    ],
    rows: rankingTableRows(report, rows),
  };
}

/** The ranked (scored) units among `rows`: units with no points are listed under 未得分 instead. */
export function scoredRows(rows: RankingRow[]): RankingRow[] {
  return rows.filter((r) => r.points !== 0);
}

/** The table's row objects, keyed by the column names above. */
export function rankingTableRows(_report: RankingReport, rows: RankingRow[]): Record<string, string | number>[] {
  return scoredRows(rows).map((r) => ({ r: r.rank, u: r.unitName, p: r.points, d: formatRankChange(r.change) }));
}

/** One line per unit with the columns the phone table leaves out, in a folded panel. */
export function rankingDetails(report: RankingReport, rows: RankingRow[]): Element | undefined {
  if (rows.length === 0) return undefined;
  const yearly = report.period.kind === 'year';
  const lines = rows.map((r) => {
    const a = r.adopted;
    // glossary-ok: 报送 here is what the 组织委员 passed to the research office (docs/glossary.md)
    // Short on purpose: one line per unit, hundreds of units, one 30 KB card.
    return `**${escapeMd(r.unitName)}**${r.designatedOfficer ? `（${escapeMd(r.designatedOfficer)}）` : ''} 送审${r.submitted} 报送${r.approved} 采用${a.county}/${a.city}/${a.province}/${a.central}${yearly ? '' : ` 全年${formatNumber(r.ytdPoints)}分`}`;
  });
  return collapsible('**各单位明细**', [
    markdown(lines.join('\n')),
    // glossary-ok: 报送 is the ranking column the glossary defines
    markdown(`<font color='grey'>${rows.some((r) => r.designatedOfficer) ? '单位后括号内为专职信息员；' : ''}采用篇数依次为县级/市级/省级/中央${yearly ? '' : '；全年为全年累计得分'}。</font>`),
  ]);
}
