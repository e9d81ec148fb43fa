import type { DbOrTx } from '../../db/client.js';
import type { Category } from '../../db/schema/index.js';
import { loadDictionaries } from './dictionary.js';
import { dictionaryFindings } from './dictionary-check.js';
import { duplicateFindings } from './duplicate-check.js';
import { locate } from './excerpt.js';
import { punctuationFindings } from './punctuation-check.js';
import { indexPendingRevisions } from './signatures.js';
import { FINDING_LABELS, type Finding, type FindingKind } from './types.js';
import { MAX_TITLE_CHARS } from '../drafts/text.js';

export type CheckInput = {
  title: string;
  /** Body paragraphs, in order (the title not included). */
  paragraphs: string[];
  category: Category;
  unitId: number;
  /** The draft being revised, so it is not reported as a duplicate of itself. */
  draftId?: number;
  /** When the checks run (stamped on the duplicate index); defaults to the wall clock. */
  now?: Date;
};

/** Findings of one kind listed individually; the rest are counted in one closing line. */
export const MAX_FINDINGS_PER_KIND = 10;

/** Shortest body (characters) that makes sense for each category. */
export const MIN_BODY_CHARS: Record<Category, number> = {
  组工信息: 200,
  调研文稿: 1500,
  网评文章: 600,
  上级媒体稿件: 600,
};

/**
 * Every pre-review check on one revision. Runs before the review card goes out; the findings are
 * stored with the revision and shown as warnings, never as a rejection.
 */
export async function runChecks(db: DbOrTx, input: CheckInput): Promise<Finding[]> {
  const texts = locate(input.title, input.paragraphs);
  // Revisions stored since the last run join the duplicate index before this text is compared; the
  // dictionaries are read meanwhile (on PostgreSQL in the same pipeline).
  const [dictionaries] = await Promise.all([loadDictionaries(db), indexPendingRevisions(db, input.now ?? new Date())]);
  return [
    ...checkTitle(input),
    ...checkLength(input),
    ...(await duplicateFindings(db, input)),
    ...capped('sensitive', dictionaryFindings('sensitive', dictionaries.sensitive, texts)),
    ...capped('wording', dictionaryFindings('wording', dictionaries.wording, texts)),
    ...capped('typo', dictionaryFindings('typo', dictionaries.typo, texts)),
    ...capped('punctuation', punctuationFindings(texts)),
  ];
}

/** A text typed carelessly can have hundreds of hits; the card has room for a few. */
function capped(kind: FindingKind, findings: Finding[]): Finding[] {
  if (findings.length <= MAX_FINDINGS_PER_KIND) return findings;
  const rest = findings.length - MAX_FINDINGS_PER_KIND;
  return [...findings.slice(0, MAX_FINDINGS_PER_KIND), { kind, message: `另有 ${rest} 处${FINDING_LABELS[kind]}问题未逐条列出，请通读全文核对。` }];
}

function checkTitle({ title }: CheckInput): Finding[] {
  const chars = Array.from(title.trim()).length;
  if (chars === 0) return [{ kind: 'title', paragraph: 0, message: '缺少标题：请在第一行写标题。' }];
  if (chars > MAX_TITLE_CHARS) {
    return [{ kind: 'title', paragraph: 0, excerpt: title.slice(0, 20) + '…', message: `标题 ${chars}字，偏长（建议不超过 ${MAX_TITLE_CHARS}字）。` }];
  }
  return [];
}

function checkLength({ paragraphs, category }: CheckInput): Finding[] {
  const chars = paragraphs.reduce((n, p) => n + Array.from(p).length, 0);
  const min = MIN_BODY_CHARS[category];
  return chars < min ? [{ kind: 'length', message: `正文 ${chars}字，${category}一般不少于 ${min}字。` }] : [];
}
