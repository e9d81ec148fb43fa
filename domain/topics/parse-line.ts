import { CATEGORIES, type Category, type Unit } from '../../db/schema/index.js';
import { parseDeadlineText, toHalfWidth } from './datetime.js';
import { parsePieces, validateTopicInput, type FieldErrors, type TopicField, type TopicInput } from './input.js';

export const LINE_USAGE = '点题 标题 | 截止 2026-12-05 18:00 | 单位 城关镇,东街街道 | 类别 组工信息 | 篇数 1 | 说明 …';

const KEYS: Record<string, 'deadline' | 'units' | 'category' | 'pieces' | 'brief'> = {
  截止: 'deadline',
  截止时间: 'deadline',
  截至: 'deadline',
  期限: 'deadline',
  单位: 'units',
  范围: 'units',
  类别: 'category',
  分类: 'category',
  篇数: 'pieces',
  每单位: 'pieces',
  说明: 'brief',
  要求: 'brief',
  简介: 'brief',
};

/** Problems are listed in the order the parts are written. */
const FIELD_ORDER: TopicField[] = ['title', 'deadline', 'units', 'category', 'pieces', 'brief'];

const KEY_NAMES = Object.keys(KEYS).sort((a, b) => b.length - a.length);

/**
 * The power-user form of 点题: `标题 | 截止 … | 单位 …` with optional 类别, 篇数 and 说明. Units
 * default to all, the category to 组工信息. Every problem is reported at once, each on its own line.
 */
export function parseTopicLine(
  args: string,
  units: Unit[],
  now: Date,
  timezone: string,
): { ok: true; input: TopicInput } | { ok: false; errors: string[] } {
  const [titlePart = '', ...rest] = args.split(/[|｜]/).map((s) => s.trim());
  const errors: FieldErrors = {};
  const extra: string[] = [];
  const input: TopicInput = { title: titlePart, brief: '', category: '组工信息', deadline: undefined, units: 'all', piecesPerUnit: undefined };
  for (const part of rest) {
    if (!part) continue;
    // The longest key the part starts with, so 截止时间 wins over 截止; the value may follow a colon.
    const key = KEY_NAMES.find((k) => part.startsWith(k));
    const field = key ? KEYS[key] : undefined;
    const value = key ? part.slice(key.length).replace(/^[\s:：]+/, '').trim() : '';
    if (!field) {
      extra.push(`无法识别“${part}”：每段应以 截止、单位、类别、篇数 或 说明 开头`);
      continue;
    }
    if (field === 'deadline') {
      const d = parseDeadlineText(value, now, timezone);
      if (d.ok) input.deadline = d.at;
      else errors.deadline = d.error;
    } else if (field === 'units') {
      const r = resolveUnitNames(value, units);
      if (r.ok) input.units = r.units;
      else errors.units = r.error;
    } else if (field === 'category') {
      const c = CATEGORIES.find((x) => x === value);
      if (c) input.category = c as Category;
      else errors.category = `未知类别“${value}”，可选：${CATEGORIES.join('、')}`;
    } else if (field === 'pieces') {
      const p = parsePieces(value);
      input.piecesPerUnit = p.value;
      if (p.error) errors.pieces = p.error;
    } else {
      input.brief = value;
    }
  }
  const checked = validateTopicInput(input, now, errors);
  const all = [...FIELD_ORDER.map((f) => checked[f]).filter((e): e is string => Boolean(e)), ...extra];
  return all.length ? { ok: false, errors: all } : { ok: true, input };
}

/** `全部`, or unit names separated by commas, 、 or spaces; unknown names are listed with the valid ones. */
export function resolveUnitNames(value: string, units: Unit[]): { ok: true; units: 'all' | number[] } | { ok: false; error: string } {
  const names = toHalfWidth(value)
    .split(/[,，、;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) return { ok: false, error: '请写出单位名称，或写“全部”' };
  if (names.some((n) => n === '全部' || n === '全部单位' || n === '所有单位')) return { ok: true, units: 'all' };
  const byName = new Map(units.map((u) => [u.name, u.id]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length) {
    return { ok: false, error: `没有这些单位：${unknown.join('、')}。现有单位：${units.map((u) => u.name).join('、')}` };
  }
  return { ok: true, units: [...new Set(names.map((n) => byName.get(n)!))] };
}
