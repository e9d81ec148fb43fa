/** A title longer than this is flagged by the checks; twice this is not a title but a paragraph. */
export const MAX_TITLE_CHARS = 40;

/** Shortest message (title and body together) that can be a draft; anything shorter gets a hint. */
export const MIN_CANDIDATE_CHARS = 50;

/** Characters as a person counts them (a CJK character or an emoji is one). */
export function charCount(text: string): number {
  return Array.from(text).length;
}

/** Body length shown to people: the characters of the paragraphs, without line breaks. */
export function bodyChars(paragraphs: string[]): number {
  return paragraphs.reduce((n, p) => n + charCount(p), 0);
}

/**
 * Title and body of a would-be draft. An explicit title (a post's title, a document heading) wins;
 * otherwise the first line is the title, unless it is too long to be one: then the whole text is
 * body and the title check will ask for a title instead of us inventing one.
 */
export function splitTitle(input: { title: string | undefined; paragraphs: string[] }): { title: string; paragraphs: string[] } {
  const paragraphs = input.paragraphs.map((p) => p.trim()).filter((p) => p.length > 0);
  const explicit = input.title?.trim();
  if (explicit) return { title: explicit, paragraphs };
  const [first, ...rest] = paragraphs;
  if (first === undefined) return { title: '', paragraphs: [] };
  if (charCount(first) > MAX_TITLE_CHARS * 2) return { title: '', paragraphs };
  return { title: first, paragraphs: rest };
}

/** Body as stored in draft_revisions.body: one paragraph a line. */
export function joinBody(paragraphs: string[]): string {
  return paragraphs.join('\n');
}

export function splitBody(body: string): string[] {
  return body.split('\n').filter((p) => p.length > 0);
}

/**
 * Splits a long text into pieces of at most `maxChars`, at paragraph ends where possible, so a full
 * draft can be sent as a few text messages when it does not fit on a card.
 */
export function chunkParagraphs(paragraphs: string[], maxChars: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length) chunks.push(current.join('\n'));
    current = [];
    size = 0;
  };
  for (const p of paragraphs) {
    const chars = Array.from(p);
    if (chars.length > maxChars) {
      flush();
      for (let i = 0; i < chars.length; i += maxChars) chunks.push(chars.slice(i, i + maxChars).join(''));
      continue;
    }
    if (size + chars.length + 1 > maxChars) flush();
    current.push(p);
    size += chars.length + 1;
  }
  flush();
  return chunks;
}

/** How a revision is named to people: 第2稿. */
export const revisionLabel = (n: number) => `第${n}稿`;
