import { MAX_TITLE_CHARS } from '../drafts/text.js';
import type { Block } from './types.js';

/**
 * Title and body of a document. The title is the first block when it is a heading, or a first
 * paragraph short enough to be a headline (the usual Word draft: a centred title line in a big
 * font but no heading style); otherwise `fallbackTitle` (the file name without its extension, a
 * wiki page's title). Later headings stay in the body as paragraphs, in order, so the reviewer
 * reads the document's structure.
 */
export function shapeDraft(blocks: Block[], fallbackTitle: string | undefined): { title: string | undefined; paragraphs: string[] } {
  const [first, ...rest] = blocks;
  if (!first) return { title: undefined, paragraphs: [] };
  if (first.kind === 'heading' || looksLikeTitle(first.text)) return { title: first.text, paragraphs: rest.map((b) => b.text) };
  return { title: fallbackTitle?.trim() || undefined, paragraphs: blocks.map((b) => b.text) };
}

function looksLikeTitle(text: string): boolean {
  const chars = Array.from(text).length;
  return chars <= MAX_TITLE_CHARS * 2 && !/[。！？；：.!?;:]$/.test(text);
}
