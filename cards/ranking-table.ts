import type { Element } from './elements.js';
import { formatRankChange } from '../domain/ranking/rank.js';
import { periodNoun } from '../domain/ranking/period.js';
import type { RankingReport, RankingRow } from '../domain/ranking/types.js';

/**
 * The ranking as a card `table`: the same numbers as the chart, for clients that do not draw
 * charts. Row keys are one or two letters because every row repeats them and the card has a
 * 30 KB ceiling; people only see the display names.
 */
export function rankingTable(report: RankingReport, rows: RankingRow[]): Element {
  const yearly = report.period.kind === 'year';
  const officers = hasOfficers(report.rows);
  const num = (name: string, display: string) => ({ name, display_name: display, data_type: 'number', horizontal_align: 'right', width: 'auto' });
  const columns = [
    { name: 'u', display_name: '单位', data_type: 'text', width: 'auto' },
    ...(officers ? [{ name: 'o', display_name: '专职信息员', data_type: 'text', width: 'auto' }] : []),
    num('r', '名次'),
    { name: 'd', display_name: '变化', data_type: 'text', horizontal_align: 'center', width: 'auto' },
    num('p', `${periodNoun(report.period.kind)}得分`),
    // In an annual ranking "this year" and "the period" are the same number.
    ...(yearly ? [] : [num('y', '全年累计')]),
    num('s', '送审'),
    // glossary-ok: 报送 here is what the 组织委员 passed to the research office (docs/glossary.md)
    num('a', '报送'),
    num('c1', '县级采用'),
    num('c2', '市级采用'),
    num('c3', '省级采用'),
    num('c4', '中央采用'),
  ];
  return {
    tag: 'table',
    page_size: 10,
    row_height: 'low',
    freeze_first_column: true,
    header_style: { text_align: 'left', text_size: 'normal', background_style: 'grey', bold: true, lines: 1 },
    columns,
    rows: rankingTableRows(report, rows),
  };
}

/** The table's row objects, keyed by the column names above. */
export function rankingTableRows(report: RankingReport, rows: RankingRow[]): Record<string, string | number>[] {
  const yearly = report.period.kind === 'year';
  const officers = hasOfficers(report.rows);
  return rows.map((r) => ({
    u: r.unitName,
    ...(officers ? { o: r.designatedOfficer ?? '' } : {}),
    r: r.rank,
    d: formatRankChange(r.change),
    p: r.points,
    ...(yearly ? {} : { y: r.ytdPoints }),
    s: r.submitted,
    a: r.approved,
    c1: r.adopted.county,
    c2: r.adopted.city,
    c3: r.adopted.province,
    c4: r.adopted.central,
  }));
}

/** The 专职信息员 column is drawn when some unit of the ranking has one (on every page alike): an empty column costs every row bytes. */
function hasOfficers(rows: RankingRow[]): boolean {
  return rows.some((r) => r.designatedOfficer);
}
