import { describe, expect, it } from 'vitest';

/** The console's renderer is a browser module without types: loaded by URL, typed here. */
const md = (await import(new URL('../../emulator/console/static/markdown.js', import.meta.url).href)) as {
  renderMarkdown(text: string, ctx?: object): string;
};

/** Every start tag the renderer produced, with its attributes as the browser would read them. */
function startTags(html: string): { tag: string; attrs: string[] }[] {
  const tags: { tag: string; attrs: string[] }[] = [];
  for (const m of html.matchAll(/<([a-z]+)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*>/g)) {
    tags.push({ tag: m[1]!, attrs: [...m[2]!.matchAll(/\s+([^\s=>]+)(?:="[^"]*")?/g)].map((a) => a[1]!) });
  }
  return tags;
}

describe('the console markdown renderer', () => {
  it('keeps text that contains its placeholder characters as text, out of every href', () => {
    // Slot 1 is the second link: a URL with spaces in it, harmless inside its own quoted href.
    // Typed into the first link's URL, the old placeholder \u00011\u0002 was put back as that whole
    // <a> tag, closing the first href early and turning `onmouseover=alert(1)` into an attribute.
    const text = '<link url="https://a.example/\u00011\u0002">看这里</link> <link url="https://b.example/ onmouseover=alert(1) x=">另一个</link>';
    const html = md.renderMarkdown(text);
    const tags = startTags(html);
    expect(tags.filter((t) => t.tag === 'a')).toHaveLength(2);
    for (const t of tags) expect(t.attrs.every((a) => ['href', 'target', 'rel'].includes(a)), `${t.tag}: ${t.attrs.join(' ')}`).toBe(true);
    expect(html).toContain('<a href="https://a.example/\ufffd1\ufffd" target="_blank" rel="noopener noreferrer">看这里</a>');
  });

  it('still renders what it holds aside: code, Lark tags and escapes', () => {
    expect(md.renderMarkdown('**粗体** `a<b` <font color="red">红</font> \\*星号\\*')).toBe(
      '<p><strong>粗体</strong> <code>a&lt;b</code> <span style="color:#f54a45">红</span> *星号*</p>',
    );
  });
});
