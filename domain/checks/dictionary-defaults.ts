import { readFileSync } from 'node:fs';
import type { DictionaryKind } from '../../db/schema/index.js';

/**
 * One dictionary entry. `replacement` is what to write instead (typos, wordings) or, for a
 * sensitive word, why it is flagged. `exceptions` are longer phrases that contain the term and are
 * correct (毕竟争取 contains 竟争): a match inside one of them is not reported.
 */
export type DictionaryEntry = { term: string; replacement: string | undefined; exceptions: string[] };

const FILES: Record<DictionaryKind, string> = {
  typo: 'typos.tsv',
  wording: 'wording.tsv',
  sensitive: 'sensitive.tsv',
};

/** `wrong<TAB>right[<TAB>exception|exception]`; `#` starts a comment line. */
export function parseDictionaryTsv(text: string): DictionaryEntry[] {
  const entries: DictionaryEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const [term = '', replacement = '', exceptions = ''] = raw.split('\t').map((c) => c.trim());
    if (!term) continue;
    entries.push({
      term,
      replacement: replacement || undefined,
      exceptions: exceptions ? exceptions.split('|').map((e) => e.trim()).filter(Boolean) : [],
    });
  }
  return entries;
}

const cache = new Map<DictionaryKind, DictionaryEntry[]>();

/** The shipped defaults (domain/checks/dictionaries/*.tsv), read once per process. */
export function defaultEntries(kind: DictionaryKind): DictionaryEntry[] {
  let entries = cache.get(kind);
  if (!entries) {
    entries = parseDictionaryTsv(readFileSync(new URL(`./dictionaries/${FILES[kind]}`, import.meta.url), 'utf8'));
    cache.set(kind, entries);
  }
  return entries;
}
