/** A Feishu/Lark cloud-document link: new docs (docx), wiki pages, or old docs (docs). */
export type DocLink = { kind: 'docx' | 'wiki' | 'docs'; token: string; url: string };

const LINK = /https?:\/\/[A-Za-z0-9.-]*(?:feishu\.cn|feishu\.net|larksuite\.com|larkoffice\.com)(?::\d+)?\/(docx|wiki|docs)\/([A-Za-z0-9]+)[^\s)\]）】"'“”]*/gi;

export function findDocLinks(text: string): DocLink[] {
  return [...text.matchAll(LINK)].map((m) => ({ kind: m[1]!.toLowerCase() as DocLink['kind'], token: m[2]!, url: m[0] }));
}

/**
 * What is left of a message once its document links are taken out: markdown link wrappers
 * (`[title](url)`, as Lark renders links in received text) and whitespace go too.
 */
export function textAroundLinks(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\(\s*https?:\/\/[^)]*\)/g, (whole, label: string) => (findDocLinks(whole).length ? '' : label))
    .replace(LINK, '')
    .replace(/\s+/g, '');
}
