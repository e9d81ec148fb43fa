import type { AssessmentReport } from '../domain/ranking/assessment.js';
import { card, escapeMd, markdown, note, type Card } from './elements.js';

const fmt = (n: number) => String(Math.round(n * 100) / 100);
/** Bytes of unit lines per card, inside the card budget. */
const LINES_BYTES = 20 * 1024;

/**
 * `考核 2026`: each unit's sections as raw → capped → weighted, and the total. Units see only their
 * own line (with its rank among all).
 */
export function assessmentCard(r: AssessmentReport): Card {
  const legend = r.sections.map((s) => `${escapeMd(s.name)} 上限 ${fmt(s.cap)}、权重 ${fmt(s.weight)}`).join(' · ');
  const lines: string[] = [];
  let bytes = 0;
  for (const row of r.rows) {
    const parts = r.sections.map((s) => {
      const x = row.sections[s.name]!;
      return x.raw === x.capped ? `${escapeMd(s.name)} ${fmt(x.raw)} → ${fmt(x.weighted)}` : `${escapeMd(s.name)} ${fmt(x.raw)}（计 ${fmt(x.capped)}）→ ${fmt(x.weighted)}`;
    });
    if (row.unlisted) parts.push(`未列入考核表 ${fmt(row.unlisted)}`);
    const line = `**${row.rank}. ${escapeMd(row.unitName)}　${fmt(row.total)} 分**\n${parts.join(' · ')}`;
    bytes += Buffer.byteLength(line) + 2;
    if (bytes > LINES_BYTES) break;
    lines.push(line);
  }
  return card({
    title: `${r.year}年度考核（满分 ${fmt(r.max)} 分）`,
    subtitle: `按第${r.version.version}版规则的考核表，统计至 ${r.asOf}`,
    template: 'blue',
    summary: `${r.year}年度考核`,
    elements: [
      markdown(`**考核项**：${legend}`),
      lines.length ? markdown(lines.join('\n\n')) : markdown('暂无单位。'),
      r.rows.length > lines.length && note(`另有 ${r.rows.length - lines.length} 个单位未显示，请使用“年度评比”导出全表。`),
      note('每项：年度得分（超过上限的按上限计）→ 折算得分（得分 ÷ 上限 × 权重）。查看某单位每条记分及所属考核项：发送“积分 单位名称 2026”。'),
    ],
  });
}
