import type { RateRow, RegisterStats } from '../domain/register/upward.js';
import { card, escapeMd, markdown, note, type Card } from './elements.js';

/** 采用率 as a percentage with one decimal; a level with nothing sent has none. */
function adoptionRate(r: RateRow): string {
  return r.sent ? `${Math.round((r.adopted / r.sent) * 1000) / 10}%` : '—';
}

const line = (r: RateRow, unit = '篇') => `${escapeMd(r.key)}：报送 ${r.sent} ${unit}，采用 ${r.adopted} ${unit}，采用率 ${adoptionRate(r)}`;

/** `报送统计 2026`: what the county sent upward and what was adopted, per level, outlet and month. */
export function registerStatsCard(s: RegisterStats): Card {
  return card({
    title: `${s.year}年报送统计`,
    template: 'blue',
    summary: `${s.year}年报送 ${s.total.sent} 篇，采用 ${s.total.adopted} 篇`,
    elements: [
      markdown(`**${line(s.total)}**`),
      markdown(`**按级别**\n${s.byLevel.map((r) => line(r)).join('\n')}`),
      // Whole issues sent up are counted apart, in 期, once there are any.
      s.byWhat[1]!.sent > 0 && markdown(`**按报送内容**\n${line(s.byWhat[0]!)}\n${line(s.byWhat[1]!, '期')}`),
      s.byRecipient.length > 0 && markdown(`**按报送对象**\n${s.byRecipient.slice(0, 40).map((r) => line(r)).join('\n')}`),
      s.byMonth.length > 0 && markdown(`**按月份**（按报送日期）\n${s.byMonth.map((r) => line(r)).join('\n')}`),
      // glossary-ok: 报送 here is what the county sends to higher levels (docs/glossary.md)
      note('采用率 = 采用篇数 ÷ 报送篇数，按当年报送的稿件统计。登记报送：报送登记 稿件编号（整期写期号） 报送对象 报送方式 [日期]；登记采用：报送采用 登记编号 刊物 [期号] [日期]。'),
    ],
  });
}
