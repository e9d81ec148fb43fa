import { describe, expect, it } from 'vitest';
import { rankingCard } from '../../cards/ranking-card.js';
import { cardBytes } from '../../cards/elements.js';
import { CARD_MAX_BYTES, validateCard } from '../../emulator/card-validator.js';
import { DEFAULT_QUOTAS } from '../../domain/ranking/quotas.js';
import { competitionRanks, rankChange } from '../../domain/ranking/rank.js';
import type { Period } from '../../domain/ranking/period.js';
import type { RankingReport, RankingRow } from '../../domain/ranking/types.js';
import { cardText, findButton, hasButton } from '../helpers/harness.js';

const TZ = 'Asia/Shanghai';

/** A ranking of n units with long names and many-digit numbers: the worst case for the byte budget. */
function bigReport(n: number, period: Period = { kind: 'month', year: 2026, month: 10 }, name = (id: number) => `某某县第${id}号乡镇街道党工委`): RankingReport {
  const points = new Map<number, number>();
  for (let i = 1; i <= n; i++) points.set(i, i % 7 === 0 ? 0 : Math.round((n - i) * 12.5) / 10);
  const ranks = competitionRanks(points);
  const rows: RankingRow[] = [...points.keys()].map((id) => ({
    unitId: id,
    unitName: name(id),
    designatedOfficer: id % 5 === 0 ? null : `${'赵钱孙李'[id % 4]}信息`,
    submitted: id % 7 === 0 ? 0 : 120 + id,
    approved: id % 7 === 0 ? 0 : 100 + id,
    adopted: { county: 88, city: 12, province: 3, central: 1 },
    points: points.get(id)!,
    ytdPoints: points.get(id)! * 9.5,
    rank: ranks.get(id)!,
    previousRank: id % 11 === 0 ? undefined : ((id * 37) % n) + 1,
    change: rankChange(ranks.get(id)!, id % 11 === 0 ? undefined : ((id * 37) % n) + 1),
  }));
  rows.sort((a, b) => a.rank - b.rank);
  const zero = rows.filter((r) => r.submitted === 0).map((r) => ({ unitId: r.unitId, unitName: r.unitName }));
  return {
    period,
    label: '2026年10月',
    range: { start: new Date('2026-09-30T16:00:00Z'), end: new Date('2026-10-31T16:00:00Z') },
    previous: { kind: 'month', year: 2026, month: 9 },
    rows,
    zeroSubmission: zero,
    totals: { submitted: 99999, approved: 88888, adopted: { county: 7777, city: 666, province: 55, central: 4 }, points: 12345.5, ytdPoints: 98765.5 },
    quotas: DEFAULT_QUOTAS.map((rule) => ({
      rule,
      windowLabel: '2026年10月',
      target: rule.target,
      count: 3,
      units: rule.scope === 'unit' ? { total: n, byUnit: new Map() } : undefined,
    })),
    generatedAt: new Date('2026-11-01T01:00:00Z'),
  };
}

function tableOf(card: unknown): { rows: Record<string, unknown>[]; columns: { name: string; display_name: string }[] } {
  const el = (card as { body: { elements: { tag: string }[] } }).body.elements.find((e) => e.tag === 'table');
  return el as never;
}

function chartOf(card: unknown) {
  return (card as { body: { elements: { tag: string; chart_spec?: any }[] } }).body.elements.find((e) => e.tag === 'chart');
}

function pagesOf(report: RankingReport, bulletin = false) {
  const first = rankingCard(report, { timezone: TZ, bulletin });
  const pages = [first];
  for (let page = 1; hasButton(pages[page - 1], '下一页') && !isDisabled(pages[page - 1], '下一页'); page++) {
    expect(findButton(pages[page - 1], '下一页')).toEqual({ a: 'ranking.page', p: '2026-10', n: page, b: bulletin ? 1 : 0 });
    pages.push(rankingCard(report, { timezone: TZ, bulletin, page }));
  }
  return pages;
}

function isDisabled(card: unknown, text: string): boolean {
  return (findButtonElement(card, text) as { disabled?: boolean } | undefined)?.disabled === true;
}

function findButtonElement(card: unknown, text: string): unknown {
  let found: unknown;
  const walk = (v: unknown) => {
    if (found || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, any>;
    if (o.tag === 'button' && o.text?.content === text) found = o;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

describe('ranking card', () => {
  it('shows 200 units with ordinary names in one card under 30 KB, valid Card JSON 2.0', () => {
    const card = rankingCard(bigReport(200, undefined, (id) => `第${id}镇`), { timezone: TZ, bulletin: true, department: 'XX县委组织部' });
    expect(validateCard(card)).toEqual({ ok: true });
    expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
    // The table ranks the units that scored; the 28 that sent nothing are named once under 零报送,
    // 第200镇 (drafts but no points) once under 未得分.
    expect(tableOf(card).rows).toHaveLength(171);
    expect(cardText(card)).toContain('**未得分（1 个单位）**：第200镇');
    expect(hasButton(card, '下一页')).toBe(false);
    expect(cardText(card)).toContain('零报送（28 个单位）');
  });

  it('pages 200 units with long names: every page under 30 KB, every unit on one page, in rank order', () => {
    const report = bigReport(200);
    const pages = pagesOf(report, true);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(validateCard(page)).toEqual({ ok: true });
      expect(cardBytes(page)).toBeLessThan(CARD_MAX_BYTES);
      expect(cardText(page)).toContain('零报送（28 个单位）');
    }
    const units = pages.flatMap((p) => tableOf(p).rows.map((r) => r.u));
    expect(units).toEqual(report.rows.filter((r) => r.points !== 0).map((r) => r.unitName));
    // Page sizes line up with the table's own pages of ten rows.
    expect(tableOf(pages[0]).rows.length % 10).toBe(0);
    expect(cardText(pages[1])).toMatch(/第 2\/\d 页：第 \d+-\d+ 行，共 200 个单位/);
    expect(isDisabled(pages[0], '上一页')).toBe(true);
    expect(isDisabled(pages.at(-1), '下一页')).toBe(true);
  });

  it('draws the top units as a chart and gives the numbers in a table too', () => {
    const card = rankingCard(bigReport(200), { timezone: TZ });
    const chart = chartOf(card)!;
    expect(chart.chart_spec.type).toBe('bar');
    const values = chart.chart_spec.data[0].values as { unit: string; points: number }[];
    expect(values).toHaveLength(20);
    expect(values[0]).toEqual({ unit: '某某县第1号乡镇街道党工委', points: 248.8 });
    const t = tableOf(card);
    // Four columns fit a phone; the rest are one line per unit in the folded 明细 panel.
    expect(t.columns.map((c) => c.display_name)).toEqual(['名次', '单位', '本月得分', '变化']);
    expect(t.rows[0]).toMatchObject({ u: '某某县第1号乡镇街道党工委', r: 1, p: 248.8 });
    const panel = (card as { body: { elements: { tag: string; expanded?: boolean }[] } }).body.elements.find((e) => e.tag === 'collapsible_panel')!;
    expect(panel.expanded).toBe(false);
    // The designated officer (专职信息员) on the unit's line; a unit without one shows none.
    expect(cardText(panel)).toContain('**某某县第1号乡镇街道党工委**（钱信息） 送审121 报送101 采用88/12/3/1 全年2363.6分');
    expect(cardText(panel)).toMatch(/\*\*某某县第5号乡镇街道党工委\*\* 送审/);
    expect(cardText(panel)).toContain('单位后括号内为专职信息员');
  });

  it('shortens the 零报送 names only when even a short page would not fit', () => {
    const report = bigReport(2000, undefined, (id) => `某某县第${id}号乡镇街道党工委${id % 2 ? '' : '机关'}`);
    for (const r of report.rows) if (r.unitId % 2 === 0) r.submitted = 0;
    report.zeroSubmission = report.rows.filter((r) => r.submitted === 0).map((r) => ({ unitId: r.unitId, unitName: r.unitName }));
    const card = rankingCard(report, { timezone: TZ });
    expect(validateCard(card)).toEqual({ ok: true });
    expect(cardBytes(card)).toBeLessThanOrEqual(28 * 1024);
    expect(tableOf(card).rows).toHaveLength(30);
    expect(cardText(card)).toMatch(/零报送（1\d{3} 个单位）.*等（另有 \d+ 个单位，完整名单见导出文件）/s);
  });

  it('says so when nobody scored and drops the year column from annual rankings', () => {
    const r = bigReport(3, { kind: 'year', year: 2026 });
    for (const row of r.rows) row.points = 0;
    const card = rankingCard(r, { timezone: TZ });
    expect(chartOf(card)).toBeUndefined();
    expect(cardText(card)).toContain('本年度暂无单位得分');
    expect(tableOf(card)).toBeUndefined();
    expect(cardText(card)).not.toContain('全年');
    expect(validateCard(card)).toEqual({ ok: true });
  });

  it('names units that sent drafts but scored nothing once, under 未得分, not as tied last ranks', () => {
    const r = bigReport(5);
    r.rows[3]!.points = 0;
    r.rows[4]!.points = 0;
    r.zeroSubmission = [];
    const card = rankingCard(r, { timezone: TZ });
    expect(tableOf(card).rows.map((x) => x.u)).toEqual(r.rows.slice(0, 3).map((x) => x.unitName));
    expect(cardText(card)).toContain(`**未得分（2 个单位）**：${r.rows[3]!.unitName}、${r.rows[4]!.unitName}`);
    expect(cardText(card)).not.toMatch(/[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}]/u);
    expect(validateCard(card)).toEqual({ ok: true });
  });
});
