import type { MessageEvent } from './events.js';

type Node = { tag?: string; text?: string; href?: string };

/** How a link is written into the text: its label by default (a post shows the label, not the address). */
export type LinkText = (href: string, label: string) => string;
const linkLabel: LinkText = (_href, label) => label;

/**
 * The one normalisation of a text or post message: the post's own title apart, then its lines as
 * written (indentation kept), with @mention placeholders of this message and @_all removed. A post
 * contributes text, links and code blocks; images and other nodes carry no text.
 */
function normalise(event: MessageEvent, link: LinkText): { title: string | undefined; lines: string[] } {
  const placeholders = new Set(event.mentions.map((m) => m.key));
  const stripMentions = (s: string) => s.replace(/@_user_\d+|@_all/g, (k) => (placeholders.has(k) || k === '@_all' ? '' : k));
  if (event.messageType === 'text') {
    return { title: undefined, lines: stripMentions(String(event.content.text ?? '')).replace(/\r\n?/g, '\n').split('\n') };
  }
  if (event.messageType !== 'post') return { title: undefined, lines: [] };
  // Received posts are flat {title, content}; some clients still wrap them in a locale key.
  let post = event.content as { title?: string; content?: Node[][] };
  if (!Array.isArray(post.content)) {
    const inner = Object.values(event.content).find((v) => v && typeof v === 'object' && Array.isArray((v as { content?: unknown }).content));
    if (inner) post = inner as typeof post;
  }
  const nodeText = (n: Node): string => {
    if (n.tag === 'a') return n.href ? link(n.href, n.text ?? '') : (n.text ?? '');
    return n.tag === 'text' || n.tag === 'code_block' ? (n.text ?? '') : '';
  };
  const lines = (post.content ?? []).flatMap((para) => stripMentions((para ?? []).map(nodeText).join('')).split('\n'));
  return { title: post.title?.trim() || undefined, lines };
}

/** Paragraphs of a text or post message (trimmed, blank lines dropped); the post's own title kept apart. */
export function messageText(event: MessageEvent, link: LinkText = linkLabel): { title: string | undefined; paragraphs: string[] } {
  // A text message has no link nodes, so how links are written does not change it.
  const cacheable = link === linkLabel || event.messageType === 'text';
  const known = cacheable ? worked.get(event) : undefined;
  if (known) return { title: known.title, paragraphs: [...known.paragraphs] };
  const { title, lines } = normalise(event, link);
  const paragraphs = splitParagraphs(lines.join('\n'));
  if (cacheable) worked.set(event, { title, paragraphs: [...paragraphs] });
  return { title, paragraphs };
}

/**
 * messageText of each event, worked out once: the dispatcher, every handler's `accepts` and the
 * handler itself each ask for it. Callers get their own copy of the paragraphs.
 */
const worked = new WeakMap<MessageEvent, { title: string | undefined; paragraphs: string[] }>();

/**
 * The message text with its line structure and indentation intact (messageText trims every line,
 * which would break YAML); a post's title is its first line.
 */
export function rawText(event: MessageEvent): string {
  const { title, lines } = normalise(event, linkLabel);
  return (title ? [title, ...lines] : lines).join('\n');
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
