import { z } from 'zod';
import { actionSpec } from '../bot/declare.js';
import { chineseDateTime, chineseLocalDate } from '../bot/time.js';
import { LEVEL_LABELS } from '../domain/scoring/types.js';
import { periodKey, periodLabel, periodNoun } from '../domain/ranking/period.js';
import { describeQuota, formatNumber } from '../domain/ranking/quotas.js';
import type { QuotaProgress, RankingReport } from '../domain/ranking/types.js';
import { CARD_BUDGET_BYTES, button, buttonRow, card, cardBytes, escapeMd, hr, markdown, note, type Card, type Element } from './elements.js';
import { rankingChart } from './ranking-chart.js';
import { rankingTable, rankingTableRows } from './ranking-table.js';

export type RankingCardOptions = {
  timezone: string;
  /** A scheduled bulletin to the work group (月通报) or an answer to `排行`. */
  bulletin?: boolean;
  department?: string;
  /** Zero-based page of the table, when the ranking is too long for one card. */
  page?: number;
  budgetBytes?: number;
};

/** Card action of the 上一页/下一页 buttons: `{a, p: period key, n: page, b: 1 for a bulletin}`. */
/** `p` the period's key, `n` the page (0-based), `b` 1 on the bulletin's card. */
export const RANKING_PAGE_ACTION = actionSpec('ranking.page', z.object({ p: z.string().max(16), n: z.coerce.number().int().min(0).max(10_000), b: z.union([z.literal(0), z.literal(1)]) }));

const BULLETIN_NAMES = { month: '月通报', quarter: '季度通报', year: '年度通报' } as const;

type Layout = { page: number; pageSize: number; zeros: number };

/**
 * The ranking card: county totals and quotas, points by unit as a chart, every unit's numbers in a
 * table, and the units that sent nothing. Lark refuses cards over 30 KB; when every unit does not
 * fit (a few hundred units with long names), the table is split into pages of equal size with
 * 上一页/下一页 buttons, and only past that are the 零报送 names shortened.
 */
export function rankingCard(report: RankingReport, o: RankingCardOptions): Card {
  const budget = o.budgetBytes ?? CARD_BUDGET_BYTES;
  const total = report.rows.length;
  const allZeros = report.zeroSubmission.length;
  const whole = build(report, o, { page: 0, pageSize: Math.max(total, 1), zeros: allZeros });
  if (cardBytes(whole) <= budget) return whole;

  // Pages differ only in their rows (and a few digits), so sizing checks the page with the most row
  // bytes and the last page instead of building every page for every candidate size.
  const rowBytes = rankingTableRows(report, report.rows).map((r) => Buffer.byteLength(JSON.stringify(r)) + 1);
  const pageCount = (size: number) => Math.max(1, Math.ceil(total / size));
  const heaviest = (size: number) => {
    let best = 0;
    let bestBytes = -1;
    for (let p = 0; p < pageCount(size); p++) {
      const bytes = rowBytes.slice(p * size, (p + 1) * size).reduce((a, b) => a + b, 0);
      if (bytes > bestBytes) [best, bestBytes] = [p, bytes];
    }
    return best;
  };
  const fitsPages = (size: number, zeros: number, pages: number[]) =>
    pages.every((page) => cardBytes(build(report, o, { page, pageSize: size, zeros })) <= budget);
  const likelyFits = (size: number, zeros: number) => fitsPages(size, zeros, [heaviest(size), pageCount(size) - 1]);
  const allFit = (size: number, zeros: number) => fitsPages(size, zeros, Array.from({ length: pageCount(size) }, (_, p) => p));

  // Pages line up with the table's own pages of 10 rows.
  let pageSize = Math.max(MIN_PAGE_ROWS, Math.floor(largestFitting(total, (n) => likelyFits(n, allZeros)) / 10) * 10);
  let zeros = allZeros;
  while (!allFit(pageSize, zeros)) {
    if (pageSize > MIN_PAGE_ROWS) pageSize -= 10;
    // Thousands of silent units: past the smallest page, the list of names is shortened instead.
    else if (zeros > 0) zeros = largestFitting(zeros - 1, (n) => likelyFits(pageSize, n));
    else break;
  }
  const page = Math.min(Math.max(0, Math.trunc(o.page ?? 0)), pageCount(pageSize) - 1);
  return build(report, o, { page, pageSize, zeros });
}

/** A page keeps at least this many rows; past that the 零报送 names are shortened instead. */
const MIN_PAGE_ROWS = 30;

/** Largest n in [0, max] with fits(n), assuming fits is monotone (fewer lines, fewer bytes). */
function largestFitting(max: number, fits: (n: number) => boolean): number {
  if (fits(max)) return max;
  let lo = 0;
  let hi = max - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function build(report: RankingReport, o: RankingCardOptions, layout: Layout): Card {
  const noun = periodNoun(report.period.kind);
  const title = `${report.label}${o.bulletin ? '信息工作通报' : '信息工作排行'}`;
  const lastDay = new Date(report.range.end.getTime() - 1);
  const chart = rankingChart(report);
  const total = report.rows.length;
  const pages = Math.max(1, Math.ceil(total / layout.pageSize));
  const first = layout.page * layout.pageSize;
  const rows = report.rows.slice(first, first + layout.pageSize);
  const elements: (Element | undefined | false)[] = [
    markdown(totalsLine(report)),
    report.quotas.length > 0 && markdown(`**任务进度**\n${report.quotas.map(quotaLine).join('\n')}`),
    hr(),
    chart ?? note(`${noun}暂无单位得分。`),
    total === 0 ? markdown('暂无参加排行的单位。') : rows.length > 0 && rankingTable(report, rows),
    pages > 1 && note(`第 ${layout.page + 1}/${pages} 页：第 ${first + 1}-${first + rows.length} 行，共 ${total} 个单位。`),
    pages > 1 && pager(report, o, layout.page, pages),
    markdown(zeroLine(report, layout.zeros)),
    note(
      `“送审”为信息员提交组织委员审核的篇数，“报送”为组织委员审核通过、报到研究室的篇数。名次按${noun}得分排列，得分相同名次并列；名次变化与${periodLabel(report.previous)}相比，“新”表示上期尚未参加排行的单位。` +
        `统计 ${chineseLocalDate(report.range.start, o.timezone)} 至 ${chineseLocalDate(lastDay, o.timezone)}，生成于 ${chineseDateTime(report.generatedAt, o.timezone)}。`,
    ),
  ];
  return card({
    title,
    subtitle: o.department,
    template: o.bulletin ? 'red' : 'blue',
    tags: o.bulletin ? [{ text: BULLETIN_NAMES[report.period.kind], color: 'red' }] : undefined,
    summary: `${title}：报送 ${report.totals.approved} 篇，零报送 ${report.zeroSubmission.length} 个单位`,
    elements: elements.filter((e): e is Element => Boolean(e)),
  });
}

function pager(report: RankingReport, o: RankingCardOptions, page: number, pages: number): Element {
  const value = (n: number) => RANKING_PAGE_ACTION.value({ p: periodKey(report.period), n, b: o.bulletin ? 1 : 0 });
  return buttonRow([
    button({ text: '上一页', value: value(page - 1), disabled: page === 0 }),
    button({ text: '下一页', value: value(page + 1), disabled: page >= pages - 1 }),
  ]);
}

function totalsLine(r: RankingReport): string {
  const t = r.totals;
  const levels = (Object.keys(LEVEL_LABELS) as (keyof typeof LEVEL_LABELS)[]).map((l) => `${LEVEL_LABELS[l]} ${t.adopted[l]}`).join(' / ');
  const noun = periodNoun(r.period.kind);
  const ytd = r.period.kind === 'year' ? '' : ` · 全年累计 **${formatNumber(t.ytdPoints)}** 分`;
  return `**全县合计**　送审 **${t.submitted}** 篇 · 报送 **${t.approved}** 篇 · 采用 ${levels} · ${noun}得分 **${formatNumber(t.points)}**${ytd}`;
}

function quotaLine(q: QuotaProgress): string {
  const what = `${escapeMd(q.rule.name)}（${describeQuota(q.rule)}）`;
  if (!q.units) {
    const pct = Math.round((q.count / q.target) * 100);
    const mark = q.count >= q.target ? '✅' : '⏳';
    return `- ${mark} ${what}：${q.windowLabel} ${q.count}/${formatNumber(q.target)} 篇（${pct}%）`;
  }
  const mark = q.units.total > 0 && q.count === q.units.total ? '✅' : '⏳';
  return `- ${mark} ${what}：${q.windowLabel} ${q.count}/${q.units.total} 个单位达到 ${formatNumber(q.target)} 篇`;
}

function zeroLine(r: RankingReport, shown: number): string {
  const all = r.zeroSubmission;
  if (all.length === 0) return `**零报送**：无，${periodNoun(r.period.kind)}各单位均有稿件报到研究室。`;
  const names = all.slice(0, shown).map((u) => escapeMd(u.unitName)).join('、');
  const rest = shown < all.length ? `等（另有 ${all.length - shown} 个单位，完整名单见导出文件）` : '';
  return `**零报送（${all.length} 个单位）**：${names}${rest}`;
}
