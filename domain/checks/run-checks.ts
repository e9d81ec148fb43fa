import type { DbOrTx } from '../../db/client.js';
import type { Category } from '../../db/schema/index.js';
import type { Finding } from './types.js';

export type CheckInput = {
  title: string;
  /** Body paragraphs, in order (the title not included). */
  paragraphs: string[];
  category: Category;
  unitId: number;
  /** The draft being revised, so it is not reported as a duplicate of itself. */
  draftId?: number;
};

/** Shortest body (characters) that makes sense for each category. */
export const MIN_BODY_CHARS: Record<Category, number> = {
  组工信息: 200,
  调研文稿: 1500,
  网评文章: 600,
  上级媒体稿件: 600,
};
export const MAX_TITLE_CHARS = 40;

/**
 * Every pre-review check on one revision. Runs before the review card goes out; the findings are
 * stored with the revision and shown as warnings, never as a rejection.
 */
export async function runChecks(_db: DbOrTx, input: CheckInput): Promise<Finding[]> {
  return [...checkTitle(input), ...checkLength(input)];
}

function checkTitle({ title }: CheckInput): Finding[] {
  const chars = Array.from(title.trim()).length;
  if (chars === 0) return [{ kind: 'title', paragraph: 0, message: '缺少标题：请在第一行写标题。' }];
  if (chars > MAX_TITLE_CHARS) {
    return [{ kind: 'title', paragraph: 0, excerpt: title.slice(0, 20) + '…', message: `标题 ${chars} 字，偏长（建议不超过 ${MAX_TITLE_CHARS} 字）。` }];
  }
  return [];
}

function checkLength({ paragraphs, category }: CheckInput): Finding[] {
  const chars = paragraphs.reduce((n, p) => n + Array.from(p).length, 0);
  const min = MIN_BODY_CHARS[category];
  return chars < min ? [{ kind: 'length', message: `正文 ${chars} 字，${category}一般不少于 ${min} 字。` }] : [];
}
