import type { Block } from './types.js';

/**
 * Turns mammoth's HTML (a small, regular subset: h1-h6, p, ul/ol/li, table/tr/td, inline tags)
 * into blocks. A table row becomes one paragraph with its cells joined by " | ", so the text of
 * a table stays readable and checkable; footnote reference marks and back-links are dropped.
 */
export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let current: { kind: Block['kind']; text: string } | undefined;
  const rows: { cells: string[]; cell: string | undefined }[] = [];
  let skipAnchorDepth = 0;

  const emit = (kind: Block['kind'], text: string) => {
    for (const line of text.split('\n')) {
      const t = normalizeSpace(line);
      if (t) blocks.push({ kind, text: t });
    }
  };
  const inCell = () => rows.length > 0 && rows[rows.length - 1]!.cell !== undefined;
  const appendText = (t: string) => {
    if (skipAnchorDepth > 0) return;
    if (current) current.text += t;
    else if (inCell()) rows[rows.length - 1]!.cell += t;
    else if (t.trim()) current = { kind: 'paragraph', text: t }; // stray text between blocks
  };
  const closeBlock = () => {
    if (!current) return;
    const { kind, text } = current;
    current = undefined;
    if (inCell()) {
      const row = rows[rows.length - 1]!;
      row.cell = (row.cell ? row.cell + ' ' : '') + normalizeSpace(text.replace(/\n/g, ' '));
    } else emit(kind, text);
  };

  const re = /<(\/?)([a-zA-Z0-9]+)([^>]*)>|([^<]+)/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m[4] !== undefined) {
      appendText(decodeEntities(m[4]));
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2]!.toLowerCase();
    const attrs = m[3] ?? '';
    if (tag === 'a') {
      // Footnote/endnote references ([1]) and their back-links (↑) are navigation, not text.
      if (!closing && (/href="#(foot|end)note-/.test(attrs) || skipAnchorDepth > 0)) skipAnchorDepth++;
      else if (closing && skipAnchorDepth > 0) skipAnchorDepth--;
      continue;
    }
    if (/^h[1-6]$/.test(tag) || tag === 'p' || tag === 'li') {
      if (!closing) {
        // A list item's own text ends where a nested paragraph or list starts.
        closeBlock();
        current = { kind: tag.startsWith('h') ? 'heading' : 'paragraph', text: '' };
      } else closeBlock();
      continue;
    }
    if (tag === 'br') {
      appendText('\n');
      continue;
    }
    if (tag === 'tr') {
      if (!closing) rows.push({ cells: [], cell: undefined });
      else {
        closeBlock();
        const row = rows.pop();
        const text = (row?.cells ?? []).filter(Boolean).join(' | ');
        if (rows.length > 0 && inCell()) rows[rows.length - 1]!.cell += ' ' + text; // nested table
        else if (text) blocks.push({ kind: 'paragraph', text });
      }
      continue;
    }
    if (tag === 'td' || tag === 'th') {
      const row = rows[rows.length - 1];
      if (!row) continue;
      if (!closing) {
        closeBlock();
        row.cell = '';
      } else {
        closeBlock();
        row.cells.push(normalizeSpace(row.cell ?? ''));
        row.cell = undefined;
      }
      continue;
    }
    if ((tag === 'ul' || tag === 'ol' || tag === 'table') && !closing) closeBlock();
  }
  closeBlock();
  return blocks;
}

function normalizeSpace(s: string): string {
  return s.replace(/[ \t\u00a0]+/g, ' ').trim();
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' } as Record<string, string>)[e] ?? '';
  });
}
