import type { Element } from './elements.js';
import { periodNoun } from '../domain/ranking/period.js';
import type { RankingReport } from '../domain/ranking/types.js';

/** More bars than this are unreadable on a phone; the table below the chart has every unit. */
export const CHART_MAX_UNITS = 20;

/**
 * Points by unit as a horizontal bar chart (Lark `chart`, a VChart spec: data only, no functions).
 * Only units with points are drawn, highest first; undefined when nobody scored.
 */
export function rankingChart(report: RankingReport): Element | undefined {
  const scored = report.rows.filter((r) => r.points !== 0).slice(0, CHART_MAX_UNITS);
  if (scored.length === 0) return undefined;
  const noun = periodNoun(report.period.kind);
  const more = report.rows.filter((r) => r.points !== 0).length > scored.length;
  return {
    tag: 'chart',
    // Bars need vertical room per unit; a fixed height overrides the aspect ratio (max 999px).
    height: `${Math.min(999, 90 + 26 * scored.length)}px`,
    chart_spec: {
      type: 'bar',
      direction: 'horizontal',
      title: { visible: true, text: `${noun}得分${more ? `（前 ${scored.length} 名）` : ''}` },
      data: [{ id: 'points', values: scored.map((r) => ({ unit: r.unitName, points: r.points })) }],
      xField: 'points',
      yField: 'unit',
      label: { visible: true },
      axes: [
        { orient: 'left', type: 'band', label: { visible: true } },
        { orient: 'bottom', type: 'linear', title: { visible: true, text: '得分' } },
      ],
    },
  };
}
