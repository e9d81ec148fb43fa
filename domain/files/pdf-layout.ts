import type { Block } from './types.js';

/** A positioned piece of text as PDF.js reports it (PDF coordinates: y grows upwards). */
export type PdfItem = { str: string; x: number; y: number; width: number; size: number; hasEOL: boolean };

/** `cells`: the line has wide gaps between its pieces (a table row, tab stops): it stands alone. */
type Line = { text: string; x0: number; x1: number; y: number; size: number; page: number; cells: boolean };

/**
 * Rebuilds paragraphs and headings from positioned PDF text. A PDF has only lines; a Chinese
 * paragraph is recognised by its indented first line, a line ending short, a wider gap or a
 * change of font size; lines in a larger font than the body are headings.
 */
export function layoutBlocks(pages: PdfItem[][]): Block[] {
  const lines = pages.flatMap((items, page) => toLines(items, page)).filter((l) => !isPageNumber(l.text));
  if (lines.length === 0) return [];
  const bodySize = dominantSize(lines);
  const isBody = (l: Line) => Math.abs(l.size - bodySize) <= bodySize * 0.15;
  const isHeading = (l: Line) => l.size > bodySize * 1.15;
  const pageLeft = new Map<number, number>();
  const pageRight = new Map<number, number>();
  for (const l of lines.filter(isBody)) {
    pageLeft.set(l.page, Math.min(pageLeft.get(l.page) ?? Infinity, l.x0));
    pageRight.set(l.page, Math.max(pageRight.get(l.page) ?? -Infinity, l.x1));
  }
  const typicalGap = typicalLineGap(lines.filter(isBody)) ?? bodySize * 1.5;

  const blocks: Block[] = [];
  let prev: Line | undefined;
  let text = '';
  let kind: Block['kind'] = 'paragraph';
  const flush = () => {
    const t = text.trim();
    if (t) blocks.push({ kind, text: t });
    text = '';
  };
  for (const line of lines) {
    const left = pageLeft.get(line.page) ?? line.x0;
    let breakHere = prev === undefined;
    if (prev && !breakHere) {
      const prevRight = pageRight.get(prev.page) ?? prev.x1;
      const sizeChanged = Math.abs(line.size - prev.size) > bodySize * 0.15;
      const samePage = prev.page === line.page;
      const gap = prev.y - line.y;
      if (sizeChanged || line.cells || prev.cells) breakHere = true;
      else if (isHeading(line)) breakHere = samePage && gap > Math.max(typicalGap, line.size * 1.2) * 1.6;
      else {
        const indented = line.x0 > left + line.size * 0.9;
        // Line breaking rules (no closing mark at a line start) leave full lines a char or two
        // short, so a short line ends a paragraph only when clearly short or ending a sentence.
        const shortBy = prevRight - prev.x1;
        const prevShort = shortBy > line.size * 3 || (shortBy > line.size * 0.8 && /[。！？：；.!?:;”」』)）]$/.test(prev.text));
        const wideGap = samePage && gap > typicalGap * 1.4;
        breakHere = indented || prevShort || wideGap || (samePage && gap < 0);
      }
    }
    if (breakHere) {
      flush();
      kind = isHeading(line) ? 'heading' : 'paragraph';
      text = line.text;
    } else text = joinLine(text, line.text);
    prev = line;
  }
  flush();
  return blocks;
}

function toLines(items: PdfItem[], page: number): Line[] {
  const lines: Line[] = [];
  let cur: Line | undefined;
  let endOfLine = false;
  for (const it of items) {
    if (!it.str) {
      if (it.hasEOL) endOfLine = true;
      continue;
    }
    const size = it.size || 1;
    const sameLine =
      cur !== undefined &&
      !endOfLine &&
      Math.abs(it.y - cur.y) <= Math.max(size, cur.size) * 0.4 &&
      it.x >= cur.x1 - Math.max(size, cur.size);
    if (!sameLine) {
      cur = { text: '', x0: it.x, x1: it.x, y: it.y, size, page, cells: false };
      lines.push(cur);
    }
    const c = cur!;
    const gap = it.x - c.x1;
    // Table cells and tab stops leave wide gaps on one line: keep the cells apart.
    if (c.text && gap > size * 1.5) {
      c.text += ' ';
      c.cells = true;
    }
    else if (c.text && gap > size * 0.25 && /[A-Za-z0-9]$/.test(c.text) && /^[A-Za-z0-9]/.test(it.str)) c.text += ' ';
    c.text += it.str;
    c.x0 = Math.min(c.x0, it.x);
    c.x1 = Math.max(c.x1, it.x + it.width);
    c.size = Math.max(c.size, size);
    endOfLine = it.hasEOL;
  }
  return lines
    .map((l) => {
      const text = l.text.replace(/\s+/g, ' ').trim();
      // PDF.js itself turns a wide gap into a space; Chinese prose has none next to a CJK char.
      return { ...l, text, cells: l.cells || /[\u3000-\u9fff\uff00-\uffef] \S|\S [\u3000-\u9fff\uff00-\uffef]/.test(text) };
    })
    .filter((l) => l.text.length > 0);
}

/** The font size carrying the most characters is the body's. */
function dominantSize(lines: Line[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) {
    const k = Math.round(l.size * 2) / 2;
    weight.set(k, (weight.get(k) ?? 0) + l.text.length);
  }
  return [...weight.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/** The most common distance between consecutive body lines of a page (line spacing). */
function typicalLineGap(lines: Line[]): number | undefined {
  const counts = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!;
    const b = lines[i]!;
    if (a.page !== b.page) continue;
    const gap = Math.round(a.y - b.y);
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  return best?.[0];
}

function isPageNumber(text: string): boolean {
  return /^[-—–\s]*\d{1,4}[-—–\s]*$/.test(text) || /^第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?$/.test(text) || /^\d+\s*\/\s*\d+$/.test(text);
}

/** Chinese lines join without a space; Latin words broken across lines keep one. */
function joinLine(a: string, b: string): string {
  if (!a) return b;
  return /[A-Za-z0-9,.;:]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? `${a} ${b}` : a + b;
}
