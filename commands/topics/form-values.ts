import { CATEGORIES, type Category, type Unit } from '../../db/schema/index.js';
import { formatLocal } from '../../bot/time.js';
import { ALL_UNITS, type TopicFormValues } from '../../cards/topic-form.js';
import { parsePickerDatetime } from '../../domain/topics/datetime.js';
import { parsePieces, validateTopicInput, type FieldErrors, type TopicInput } from '../../domain/topics/input.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Turns the 点题 form's `form_value` into a topic input, field errors and the values to show again.
 * Lark sends the picker as `2026-12-05 18:00 +0800` and the multi-select as a string array; the
 * client's own required checks are not trusted.
 */
export function readTopicForm(
  formValue: Record<string, unknown> | undefined,
  units: Unit[],
  now: Date,
  timezone: string,
): { input: TopicInput; errors: FieldErrors; values: TopicFormValues } {
  const f = formValue ?? {};
  const errors: FieldErrors = {};
  const rawUnits = Array.isArray(f.units) ? f.units.map(String) : typeof f.units === 'string' && f.units ? [f.units] : [];
  const deadlineRaw = str(f.deadline).trim();
  const deadline = deadlineRaw ? parsePickerDatetime(deadlineRaw, timezone) : undefined;
  if (deadlineRaw && !deadline) errors.deadline = '截止时间格式不对，请重新选择';
  const categoryRaw = str(f.category);
  const category = (CATEGORIES as readonly string[]).includes(categoryRaw) ? (categoryRaw as Category) : '组工信息';
  if (categoryRaw && category !== categoryRaw) errors.category = `类别只能是：${CATEGORIES.join('、')}`;
  const known = new Set(units.map((u) => String(u.id)));
  const unknownUnits = rawUnits.filter((u) => u !== ALL_UNITS && !known.has(u));
  if (unknownUnits.length) errors.units = '所选单位已停用或不存在，请重新选择';
  const pieces = parsePieces(str(f.pieces));
  if (pieces.error) errors.pieces = pieces.error;
  const input: TopicInput = {
    title: str(f.title),
    brief: str(f.brief),
    category,
    deadline,
    units: rawUnits.includes(ALL_UNITS) ? 'all' : rawUnits.filter((u) => known.has(u)).map(Number),
    piecesPerUnit: pieces.value,
  };
  const values: TopicFormValues = {
    title: input.title,
    brief: input.brief,
    category: categoryRaw || category,
    deadline: deadline ? formatLocal(deadline, timezone) : '',
    units: rawUnits.filter((u) => u === ALL_UNITS || known.has(u)),
    pieces: str(f.pieces),
  };
  return { input, errors: validateTopicInput(input, now, errors), values };
}
