/**
 * What changed between two revisions, by paragraph: the reviewer reads the changes instead of
 * the whole text again. A longest-common-subsequence over whole paragraphs finds the unchanged
 * ones; between two unchanged paragraphs, removed and added paragraphs are paired up as "changed"
 * when they still resemble each other (an edited paragraph), otherwise they stay removed/added.
 */
export type ParagraphChange =
  | { kind: 'added'; newIndex: number; text: string }
  | { kind: 'removed'; oldIndex: number; text: string }
  | { kind: 'changed'; oldIndex: number; newIndex: number; before: string; after: string };

export type ParagraphDiff = {
  titleChanged: { before: string; after: string } | undefined;
  changes: ParagraphChange[];
  added: number;
  removed: number;
  changed: number;
};

/** Two paragraphs sharing at least this share of characters (by bigram overlap) count as one edited paragraph. */
const SIMILAR = 0.3;

/**
 * Above this many cells the LCS table would be too big for a card callback's time budget; the
 * common head and tail are trimmed first, so only a wholesale rewrite of a very long text gets here,
 * and then a plain "everything replaced" answer is the honest one.
 */
const MAX_CELLS = 4_000_000;

export function diffParagraphs(before: { title: string; paragraphs: string[] }, after: { title: string; paragraphs: string[] }): ParagraphDiff {
  const a = before.paragraphs;
  const b = after.paragraphs;
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  const pairs = midA.length * midB.length <= MAX_CELLS ? lcsPairs(midA, midB) : [];
  const changes: ParagraphChange[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [midA.length, midB.length] as const]) {
    changes.push(...hunk(midA.slice(i, pi), midB.slice(j, pj), head + i, head + j));
    i = pi + 1;
    j = pj + 1;
  }
  return {
    titleChanged: before.title !== after.title ? { before: before.title, after: after.title } : undefined,
    changes,
    added: changes.filter((c) => c.kind === 'added').length,
    removed: changes.filter((c) => c.kind === 'removed').length,
    changed: changes.filter((c) => c.kind === 'changed').length,
  };
}

/** Index pairs of equal paragraphs in a longest common subsequence, in order. */
function lcsPairs(a: string[], b: string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j] = LCS of a[i..] and b[j..], stored row-major in one typed array.
  const w = m + 1;
  const lengths = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * w + j] = a[i] === b[j] ? lengths[(i + 1) * w + j + 1]! + 1 : Math.max(lengths[(i + 1) * w + j]!, lengths[i * w + j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (lengths[(i + 1) * w + j]! >= lengths[i * w + j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** Removed paragraphs `olds` and added `news` between two unchanged ones. */
function hunk(olds: string[], news: string[], oldStart: number, newStart: number): ParagraphChange[] {
  const out: ParagraphChange[] = [];
  let k = 0;
  let l = 0;
  while (k < olds.length || l < news.length) {
    const o = olds[k];
    const n = news[l];
    if (o !== undefined && n !== undefined && similarity(o, n) >= SIMILAR) {
      out.push({ kind: 'changed', oldIndex: oldStart + k, newIndex: newStart + l, before: o, after: n });
      k++;
      l++;
    } else if (o !== undefined && (n === undefined || olds.length - k >= news.length - l)) {
      out.push({ kind: 'removed', oldIndex: oldStart + k, text: o });
      k++;
    } else if (n !== undefined) {
      out.push({ kind: 'added', newIndex: newStart + l, text: n });
      l++;
    }
  }
  return out;
}

/** Dice coefficient over character bigrams: cheap and good enough to tell "edited" from "replaced". */
export function similarity(x: string, y: string): number {
  const grams = (s: string) => {
    const chars = Array.from(s);
    const m = new Map<string, number>();
    for (let i = 0; i < chars.length - 1; i++) {
      const g = chars[i]! + chars[i + 1]!;
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    return m;
  };
  const gx = grams(x);
  const gy = grams(y);
  let total = 0;
  for (const v of gx.values()) total += v;
  for (const v of gy.values()) total += v;
  if (total === 0) return x === y ? 1 : 0;
  let common = 0;
  for (const [g, v] of gx) common += Math.min(v, gy.get(g) ?? 0);
  return (2 * common) / total;
}

/**
 * The differing middle of an edited paragraph with a little context on each side, so a one-word
 * fix in a long paragraph shows as that word.
 */
export function changedSpan(before: string, after: string, context = 12): { before: string; after: string; prefix: string; suffix: string } {
  const a = Array.from(before);
  const b = Array.from(after);
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const prefix = a.slice(Math.max(0, p - context), p).join('');
  const suffix = a.slice(a.length - s, Math.min(a.length, a.length - s + context)).join('');
  return {
    prefix: (p > context ? '…' : '') + prefix,
    before: a.slice(p, a.length - s).join(''),
    after: b.slice(p, b.length - s).join(''),
    suffix: suffix + (s > context ? '…' : ''),
  };
}
