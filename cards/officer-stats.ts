import type { OfficerRow } from '../domain/ranking/officer-stats.js';
import { LEVEL_LABELS, type Level } from '../domain/scoring/types.js';
import { card, escapeMd, markdown, note, type Card } from './elements.js';

const fmt = (n: number) => String(Math.round(n * 100) / 100);
const LEVELS: Level[] = ['county', 'city', 'province', 'central'];
const LINES_BYTES = 20 * 1024;

function figures(r: OfficerRow): string {
  return `报送 ${r.submitted} · 通过 ${r.approved} · 采用 ${LEVELS.map((l) => `${LEVEL_LABELS[l]}${r.adopted[l]}`).join(' ')}`;
}

/** `排行 个人`: officers by points, with their counts (candidates for 优秀信息员). */
export function officerRankingCard(o: { periodLabel: string; rows: OfficerRow[] }): Card {
  const lines: string[] = [];
  let bytes = 0;
  for (const r of o.rows) {
    const line = `${r.rank}. ${escapeMd(r.name)}（${escapeMd(r.unitNames.join('、'))}）　**${fmt(r.points)}** 分　${figures(r)}`;
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > LINES_BYTES) break;
    lines.push(line);
  }
  return card({
    title: `${o.periodLabel}信息员个人排行`,
    template: 'blue',
    summary: `${o.periodLabel}信息员个人排行`,
    elements: [
      markdown(lines.join('\n') || '本期间没有信息员报送或得分。'),
      o.rows.length > lines.length && note(`另有 ${o.rows.length - lines.length} 人未显示。`),
      note('个人得分：稿件被采用、刊发、批示的得分记给作者；综合稿中同一单位的多位作者平分该单位所得；研究室对个人的加分、扣分计入本人。点题时效和季度上限只计单位。'),
    ],
  });
}

/** `积分 我`: an officer's own figures. */
export function officerScoreCard(o: { periodLabel: string; name: string; row: OfficerRow | undefined }): Card {
  const r = o.row;
  return card({
    title: `${escapeMd(o.name)} · ${o.periodLabel}个人积分`,
    template: 'blue',
    summary: `${o.name}${o.periodLabel}个人积分 ${fmt(r?.points ?? 0)}`,
    elements: [
      markdown(r ? `个人得分 **${fmt(r.points)}** 分（${escapeMd(r.unitNames.join('、'))}）\n${figures(r)}` : '本期间您没有提交审核的稿件，也没有得分。'),
      note('单位得分明细：发送“积分”。稿件被采用、刊发、批示的得分记给作者，综合稿中同一单位的多位作者平分。'),
    ],
  });
}
