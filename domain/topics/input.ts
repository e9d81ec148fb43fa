import { CATEGORIES, type Category } from '../../db/schema/index.js';

/** What an editor asks for, from the form or the one-line command, before it is a topic. */
export type TopicInput = {
  title: string;
  brief: string;
  category: Category;
  deadline: Date | undefined;
  /** 'all', or unit ids. */
  units: 'all' | number[];
  piecesPerUnit: number | undefined;
};

export type TopicField = 'title' | 'brief' | 'category' | 'deadline' | 'units' | 'pieces';
export type FieldErrors = Partial<Record<TopicField, string>>;

export const TITLE_MAX = 60;
export const BRIEF_MAX = 1000;
export const PIECES_MAX = 20;

/** Checks the parts both entry points share; parsing problems are reported by the parsers. */
export function validateTopicInput(input: TopicInput, now: Date, errors: FieldErrors = {}): FieldErrors {
  const out: FieldErrors = { ...errors };
  if (!out.title) {
    if (!input.title.trim()) out.title = '请填写点题标题';
    else if (Array.from(input.title.trim()).length > TITLE_MAX) out.title = `标题请控制在${TITLE_MAX}字以内`;
  }
  if (!out.brief && Array.from(input.brief).length > BRIEF_MAX) out.brief = `说明请控制在${BRIEF_MAX}字以内`;
  if (!out.category && !CATEGORIES.includes(input.category)) out.category = `类别只能是：${CATEGORIES.join('、')}`;
  if (!out.deadline) {
    if (!input.deadline) out.deadline = '请选择截止时间';
    else if (input.deadline.getTime() <= now.getTime()) out.deadline = '截止时间已过，请选择将来的时间';
  }
  if (!out.units && input.units !== 'all' && input.units.length === 0) out.units = '请选择至少一个单位，或选“全部单位”';
  if (!out.pieces && input.piecesPerUnit !== undefined && !(Number.isInteger(input.piecesPerUnit) && input.piecesPerUnit >= 1 && input.piecesPerUnit <= PIECES_MAX)) {
    out.pieces = `每单位篇数应为 1-${PIECES_MAX} 的整数`;
  }
  return out;
}

export function hasErrors(e: FieldErrors): boolean {
  return Object.values(e).some(Boolean);
}

/** Reads the optional pieces-per-unit text: '' is none, otherwise a whole number. */
export function parsePieces(raw: string): { value: number | undefined; error?: string } {
  const t = raw.trim().replace(/篇$/, '').trim();
  if (!t) return { value: undefined };
  if (!/^\d+$/.test(t)) return { value: undefined, error: `每单位篇数应为 1-${PIECES_MAX} 的整数` };
  return { value: Number(t) };
}
