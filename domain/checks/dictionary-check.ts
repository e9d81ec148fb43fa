import type { DictionaryKind } from '../../db/schema/index.js';
import type { DictionaryEntry } from './dictionary-defaults.js';
import { excerptAround, type Located } from './excerpt.js';
import type { Finding } from './types.js';

type Match = { paragraph: number; index: number; entry: DictionaryEntry; text: string };

/**
 * Finds every dictionary term in the title and paragraphs. A match inside a correct longer phrase
 * is skipped: the entry's replacement when it contains the term (党的十八大以来 contains
 * 十八大以来) and the entry's listed exceptions. Where two terms overlap, the longer one is kept.
 */
export function dictionaryFindings(kind: DictionaryKind, entries: DictionaryEntry[], texts: Located[]): Finding[] {
  const matches: Match[] = [];
  for (const { paragraph, text } of texts) {
    if (!text) continue;
    const found: Match[] = [];
    for (const entry of entries) {
      const contexts = kind === 'sensitive' ? entry.exceptions : withReplacement(entry);
      for (let i = text.indexOf(entry.term); i >= 0; i = text.indexOf(entry.term, i + 1)) {
        if (!insideContext(text, i, entry.term, contexts)) found.push({ paragraph, index: i, entry, text });
      }
    }
    matches.push(...dropOverlaps(found));
  }
  return matches.map((m) => ({
    kind,
    paragraph: m.paragraph,
    excerpt: excerptAround(m.text, m.index, m.entry.term.length),
    message: messageFor(kind, m.entry),
  }));
}

function withReplacement(entry: DictionaryEntry): string[] {
  return entry.replacement && entry.replacement.includes(entry.term) ? [entry.replacement, ...entry.exceptions] : entry.exceptions;
}

/** True when the term at `index` is part of one of the context phrases at that spot. */
function insideContext(text: string, index: number, term: string, contexts: string[]): boolean {
  for (const ctx of contexts) {
    for (let k = ctx.indexOf(term); k >= 0; k = ctx.indexOf(term, k + 1)) {
      const start = index - k;
      if (start >= 0 && text.startsWith(ctx, start)) return true;
    }
  }
  return false;
}

function dropOverlaps(found: Match[]): Match[] {
  const sorted = [...found].sort((a, b) => a.index - b.index || b.entry.term.length - a.entry.term.length);
  const kept: Match[] = [];
  for (const m of sorted) {
    const last = kept[kept.length - 1];
    if (last && m.index < last.index + last.entry.term.length) {
      if (m.entry.term.length > last.entry.term.length) kept[kept.length - 1] = m;
      continue;
    }
    kept.push(m);
  }
  return kept;
}

function messageFor(kind: DictionaryKind, e: DictionaryEntry): string {
  if (kind === 'typo') return `“${e.term}”应为“${e.replacement ?? '？'}”。`;
  if (kind === 'wording') return `“${e.term}”不规范，应写作“${e.replacement ?? '？'}”。`;
  return `含敏感词“${e.term}”${e.replacement ? `：${e.replacement}` : '，请确认是否适宜报送'}。`;
}
