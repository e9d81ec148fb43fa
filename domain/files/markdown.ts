import type { Block } from './types.js';

/**
 * Markdown as a reader sees it: `#` lines are headings, markup is dropped, a table row becomes one
 * paragraph of cells joined by " | ". Consecutive lines of a paragraph are kept apart, as in a
 * .txt file, because Chinese writers put one paragraph per line and do not hard-wrap.
 */
export function markdownBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let fenced = false;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      if (line) blocks.push({ kind: 'paragraph', text: line });
      continue;
    }
    if (!line || /^([-*_]\s*){3,}$/.test(line) || /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/.test(line)) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (heading) {
      const t = inline(heading[1]!);
      if (t) blocks.push({ kind: 'heading', text: t });
      continue;
    }
    let body = line
      .replace(/^>\s?/, '')
      .replace(/^([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?/, '');
    if (body.startsWith('|') || (body.includes(' | ') && body.split('|').length > 2)) {
      body = body
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => inline(c.trim()))
        .filter(Boolean)
        .join(' | ');
    } else body = inline(body);
    if (body) blocks.push({ kind: 'paragraph', text: body });
  }
  return blocks;
}

function inline(s: string): string {
  return s
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1$2')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .trim();
}
