// Lark's named colours as CSS colours; shades -50…-900 are mixed from the base.
const BASE = {
  blue: '#3370ff',
  wathet: '#14c0ff',
  turquoise: '#04b49c',
  green: '#34c724',
  lime: '#b3d600',
  yellow: '#ffc60a',
  orange: '#ff8800',
  red: '#f54a45',
  carmine: '#f01d94',
  violet: '#7f3bf5',
  purple: '#b54bd2',
  indigo: '#4954e6',
  grey: '#8f959e',
  neutral: '#646a73',
};

function mix(hex, target, amount) {
  const a = parseInt(hex.slice(1), 16);
  const t = target === 'white' ? 255 : 0;
  const ch = (shift) => Math.round(((a >> shift) & 255) * (1 - amount) + t * amount);
  return `rgb(${ch(16)}, ${ch(8)}, ${ch(0)})`;
}

/** A CSS colour for a Lark colour name (`red`, `blue-700`, `grey`), a hex value, or undefined. */
export function colorValue(name) {
  if (!name || typeof name !== 'string') return undefined;
  const n = name.trim().toLowerCase();
  if (/^#[0-9a-f]{3,8}$/.test(n)) return n;
  if (n === 'white' || n === 'bg-white') return '#ffffff';
  if (n === 'default') return undefined;
  const m = /^([a-z]+)(?:-(\d{2,3}))?$/.exec(n);
  if (!m || !BASE[m[1]]) return undefined;
  const base = BASE[m[1]];
  const level = Number(m[2] || 500);
  if (level === 500) return base;
  return level < 500 ? mix(base, 'white', (500 - level) / 520) : mix(base, 'black', (level - 500) / 560);
}

/** A light tint for backgrounds (header templates, column backgrounds). */
export function tint(name, amount = 0.88) {
  const base = BASE[(name || '').replace(/-\d+$/, '')];
  return base ? mix(base, 'white', amount) : undefined;
}

export const CHART_COLORS = ['#3370ff', '#34c724', '#ff8800', '#7f3bf5', '#f54a45', '#14c0ff', '#ffc60a', '#f01d94'];
