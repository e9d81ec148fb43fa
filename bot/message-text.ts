import type { MessageEvent } from './events.js';

type Node = { tag?: string; text?: string; href?: string; user_name?: string; user_id?: string; language?: string };

/** Paragraphs of a text or post message; the post's own title kept apart. */
export function messageText(event: MessageEvent): { title: string | undefined; paragraphs: string[] } {
  const placeholders = new Set(event.mentions.map((m) => m.key));
  const stripMentions = (s: string) => s.replace(/@_user_\d+|@_all/g, (k) => (placeholders.has(k) || k === '@_all' ? '' : k));
  if (event.messageType === 'text') {
    const text = stripMentions(String(event.content.text ?? ''));
    return { title: undefined, paragraphs: splitParagraphs(text) };
  }
  if (event.messageType === 'post') {
    // Received posts are flat {title, content}; some clients still wrap them in a locale key.
    let post = event.content as { title?: string; content?: Node[][] };
    if (!Array.isArray(post.content)) {
      const inner = Object.values(event.content).find((v) => v && typeof v === 'object' && Array.isArray((v as { content?: unknown }).content));
      if (inner) post = inner as typeof post;
    }
    const lines = (post.content ?? []).map((para) =>
      (para ?? [])
        .map((n) => {
          if (n.tag === 'text' || n.tag === 'a' || n.tag === 'code_block') return n.text ?? '';
          return '';
        })
        .join(''),
    );
    return { title: post.title?.trim() || undefined, paragraphs: splitParagraphs(stripMentions(lines.join('\n'))) };
  }
  return { title: undefined, paragraphs: [] };
}

export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The whole text of a message as one string (commands are read from this). */
export function plainText(event: MessageEvent): string {
  const { title, paragraphs } = messageText(event);
  return [title, ...paragraphs].filter(Boolean).join('\n').trim();
}
