import type { MessageEvent } from '../../bot/events.js';

type Node = { tag?: string; text?: string };

/**
 * The message text with its line structure and indentation intact (plainText trims every line,
 * which would break YAML). Mention placeholders are removed.
 */
export function rawText(event: MessageEvent): string {
  const strip = (s: string) => s.replace(/@_user_\d+|@_all/g, '');
  if (event.messageType === 'text') return strip(String(event.content.text ?? '')).replace(/\r\n?/g, '\n');
  if (event.messageType === 'post') {
    let post = event.content as { title?: string; content?: Node[][] };
    if (!Array.isArray(post.content)) {
      const inner = Object.values(event.content).find((v) => v && typeof v === 'object' && Array.isArray((v as { content?: unknown }).content));
      if (inner) post = inner as typeof post;
    }
    const lines = (post.content ?? []).map((p) => (p ?? []).map((n) => (n.tag === 'text' || n.tag === 'a' || n.tag === 'code_block' ? (n.text ?? '') : '')).join(''));
    return strip([post.title ?? '', ...lines].filter((l, i) => i > 0 || l.trim()).join('\n'));
  }
  return '';
}
