// A card `chart` drawn as simple bars: enough to read a ranking. Reads VChart's data
// (`data.values`, or `data: [{id, values}]`) and its fields; no JavaScript from the spec runs.
import { CHART_COLORS, colorValue } from './palette.js';

const first = (f) => (Array.isArray(f) ? f[0] : f);

function valuesOf(spec) {
  if (Array.isArray(spec.data)) return spec.data.flatMap((d) => (Array.isArray(d?.values) ? d.values : []));
  return Array.isArray(spec.data?.values) ? spec.data.values : [];
}

function fieldsOf(spec) {
  const horizontal = spec.direction === 'horizontal';
  if (spec.type === 'pie' || spec.type === 'funnel') {
    return { cat: spec.categoryField, val: spec.valueField, series: undefined, horizontal: true };
  }
  const x = spec.xField;
  const y = spec.yField;
  // Grouped bars name the group as the second x (or y) field.
  const series = spec.seriesField ?? (Array.isArray(horizontal ? y : x) ? (horizontal ? y : x)[1] : undefined);
  return { cat: first(horizontal ? y : x), val: first(horizontal ? x : y), series, horizontal };
}

function fmt(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function renderChart(el) {
  const spec = (el && el.chart_spec) || {};
  const box = document.createElement('div');
  box.className = 'chart';
  const title = spec.title && (spec.title.text || spec.title.content);
  if (title) {
    const t = document.createElement('div');
    t.className = 'chart-title';
    t.textContent = Array.isArray(title) ? title.join('') : String(title);
    box.append(t);
  }
  const { cat, val, series, horizontal } = fieldsOf(spec);
  const rows = valuesOf(spec).filter((r) => r && typeof r === 'object');
  if (!cat || !val || !rows.length) {
    const empty = document.createElement('div');
    empty.className = 'chart-empty';
    empty.textContent = rows.length ? `图表（${spec.type || '未知类型'}）` : '暂无数据';
    box.append(empty);
    return box;
  }
  const seriesNames = series ? [...new Set(rows.map((r) => String(r[series])))] : [];
  const colorOf = (name) => {
    const custom = spec.color && Array.isArray(spec.color) ? spec.color : null;
    const i = Math.max(0, seriesNames.indexOf(name));
    return (custom && colorValue(custom[i % custom.length])) || CHART_COLORS[i % CHART_COLORS.length];
  };
  const categories = [...new Set(rows.map((r) => String(r[cat])))];
  const max = Math.max(...rows.map((r) => Number(r[val]) || 0), 0) || 1;

  const plot = document.createElement('div');
  plot.className = horizontal || spec.type === 'pie' ? 'chart-h' : 'chart-v';
  plot.dataset.type = spec.type || '';
  for (const c of categories) {
    const group = document.createElement('div');
    group.className = 'chart-group';
    const label = document.createElement('div');
    label.className = 'chart-label';
    label.textContent = c;
    const bars = document.createElement('div');
    bars.className = 'chart-bars';
    for (const r of rows.filter((x) => String(x[cat]) === c)) {
      const v = Number(r[val]) || 0;
      const item = document.createElement('div');
      item.className = 'chart-bar';
      const fill = document.createElement('span');
      fill.className = 'chart-fill';
      fill.style[horizontal || spec.type === 'pie' ? 'width' : 'height'] = `${Math.max((v / max) * 100, v ? 2 : 0)}%`;
      fill.style.background = colorOf(series ? String(r[series]) : '');
      fill.title = `${c}${series ? ' · ' + r[series] : ''}：${fmt(v)}`;
      const num = document.createElement('span');
      num.className = 'chart-value';
      num.textContent = fmt(v);
      item.append(fill, num);
      bars.append(item);
    }
    group.append(label, bars);
    plot.append(group);
  }
  box.append(plot);
  if (seriesNames.length > 1) {
    const legend = document.createElement('div');
    legend.className = 'chart-legend';
    for (const s of seriesNames) {
      const k = document.createElement('span');
      k.innerHTML = `<i style="background:${colorOf(s)}"></i>`;
      k.append(s);
      legend.append(k);
    }
    box.append(legend);
  }
  return box;
}
