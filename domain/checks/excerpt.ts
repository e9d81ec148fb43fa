/**
 * A short piece of text around a match, so the reviewer finds the spot without the whole
 * paragraph: a few characters either side, with … where the paragraph goes on. The card cuts
 * excerpts at 30 characters, so the default keeps the match inside that.
 */
export function excerptAround(text: string, index: number, length: number, radius = 8): string {
  const start = Math.max(0, index - radius);
  const end = Math.min(text.length, index + length + radius);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/** The title (paragraph 0) and body paragraphs (1-based), as the checks address them. */
export type Located = { paragraph: number; text: string };

export function locate(title: string, paragraphs: string[]): Located[] {
  return [{ paragraph: 0, text: title }, ...paragraphs.map((text, i) => ({ paragraph: i + 1, text }))];
}
