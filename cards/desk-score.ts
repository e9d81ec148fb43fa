import { chineseLocalDate } from '../bot/time.js';
import type { ScoreEvent } from '../domain/scoring/types.js';
import { card, escapeMd, markdown, note, type Card } from './elements.js';

/** Lines shown on one card; the rest is counted (a unit rarely has this many in a month). */
export const MAX_SCORE_LINES = 40;
/** Bytes of event lines per card, well inside the card budget (long titles make long lines). */
const LINES_BYTES = 18 * 1024;

const fmt = (n: number) => String(Math.round(n * 100) / 100);
const signed = (n: number) => (n > 0 ? `+${fmt(n)}` : fmt(n));

/** "Why this score": one line per scored event, oldest first, with the total. */
export function unitScoreCard(o: { unitName: string; periodLabel: string; events: ScoreEvent[]; timezone: string }): Card {
  const total = o.events.reduce((s, e) => s + e.points, 0);
  const lines: string[] = [];
  let bytes = 0;
  for (const e of o.events.slice(0, MAX_SCORE_LINES)) {
    const section = e.section ? `（考核项：${escapeMd(e.section)}）` : '';
    const line = `- ${chineseLocalDate(e.at, o.timezone)}　**${signed(e.points)}**　${escapeMd(e.description)}${section}`;
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > LINES_BYTES) break;
    lines.push(line);
  }
  return card({
    title: `${o.unitName} · ${o.periodLabel}积分`,
    template: 'blue',
    summary: `${o.unitName}${o.periodLabel}积分 ${fmt(total)}`,
    elements: [
      markdown(`合计 **${fmt(total)}** 分，共 ${o.events.length} 条记分。`),
      lines.length ? markdown(lines.join('\n')) : markdown('本期间没有记分。'),
      o.events.length > lines.length && note(`另有 ${o.events.length - lines.length} 条未显示，请缩短期间查看。`),
      note('每条按其发生当日执行的积分规则计算（“第N版规则”）。发送“规则”查看规则。'),
    ],
  });
}

/** Several units at once: totals, highest first. */
export function scoreOverviewCard(o: { periodLabel: string; rows: { unitName: string; points: number; count: number }[] }): Card {
  const sorted = [...o.rows].sort((a, b) => b.points - a.points || a.unitName.localeCompare(b.unitName, 'zh'));
  return card({
    title: `${o.periodLabel}各单位积分`,
    template: 'blue',
    summary: `${o.periodLabel}各单位积分`,
    elements: [
      markdown(sorted.map((r, i) => `${i + 1}. ${escapeMd(r.unitName)}　**${fmt(r.points)}** 分（${r.count} 条）`).join('\n') || '暂无单位。'),
      note('查看某单位的明细：发送“积分 单位名称 2026-10”。'),
    ],
  });
}
