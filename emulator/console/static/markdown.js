// Lark card markdown (CommonMark subset plus Lark's own tags) to safe HTML.
// Every piece of text is HTML-escaped; only tags built here reach innerHTML.
import { colorValue } from './palette.js';

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ESC[c]);

/** key=value pairs of a tag, quoted or not. */
function attrs(text) {
  const out = {};
  const re = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
  let m;
  while ((m = re.exec(text))) out[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  return out;
}

const safeUrl = (u) => (/^https?:\/\//i.test(u || '') ? u : undefined);

function formatMillis(ms, formatType) {
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  const date = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  const time = `${p(d.getHours())}:${p(d.getMinutes())}`;
  if (formatType === 'date_num' || formatType === 'date_short') return date;
  if (formatType === 'time_sec') return `${time}:${p(d.getSeconds())}`;
  return `${date} ${time}`;
}

/**
 * Inline markdown. Pieces that must not be re-read (escapes, code, Lark tags) are swapped for
 * placeholders first and put back last. The placeholders' delimiters are control characters that
 * are taken out of the text before anything else: a placeholder typed by a user would otherwise be
 * put back as HTML wherever it stood, inside an href included.
 */
export function renderInline(text, ctx = {}) {
  const slots = [];
  const hold = (html) => `\u0001${slots.push(html) - 1}\u0002`;
  let s = String(text).replace(/[\u0001\u0002]/g, '\ufffd');

  s = s.replace(/<raw>([\s\S]*?)<\/raw>/g, (_, t) => hold(escapeHtml(t)));
  s = s.replace(/\\([\\`*_[\]{}()<>#+\-.!|~])/g, (_, c) => hold(escapeHtml(c)));
  s = s.replace(/`([^`\n]+)`/g, (_, t) => hold(`<code>${escapeHtml(t)}</code>`));

  s = s.replace(/<at\s+([^>]*)>([^<]*)<\/at>/gi, (_, a, inner) => {
    const at = attrs(a);
    const id = at.id || at.user_id || at.open_id || at.email || '';
    if (id === 'all') return hold('<span class="md-at">@所有人</span>');
    const name = (ctx.nameOf && ctx.nameOf(id)) || inner || id;
    return hold(`<span class="md-at">@${escapeHtml(name)}</span>`);
  });
  s = s.replace(/<person\s+([^>]*)>([^<]*)<\/person>/gi, (_, a, inner) => {
    const id = attrs(a).id || '';
    const name = (ctx.nameOf && ctx.nameOf(id)) || inner || id;
    return hold(`<span class="md-person">${escapeHtml(name)}</span>`);
  });
  s = s.replace(/<local_datetime\s+([^>]*)>([^<]*)<\/local_datetime>/gi, (_, a) => {
    const at = attrs(a);
    return hold(escapeHtml(formatMillis(at.millisecond ?? Date.now(), at.format_type)));
  });
  s = s.replace(/<number_tag\s*([^>]*)>([^<]*)<\/number_tag>/gi, (_, a, inner) => {
    const at = attrs(a);
    const bg = colorValue(at.background_color) || '#8f959e';
    const fg = colorValue(at.font_color) || '#fff';
    return hold(`<span class="md-number-tag" style="background:${bg};color:${fg}">${escapeHtml(inner)}</span>`);
  });
  s = s.replace(/<text_tag\s*([^>]*)>([^<]*)<\/text_tag>/gi, (_, a, inner) => {
    const color = /^[a-z]+$/.test(attrs(a).color || '') ? attrs(a).color : 'neutral';
    return hold(`<span class="tag tag-${color}">${escapeHtml(inner)}</span>`);
  });
  s = s.replace(/<(link|a)\s+([^>]*)>([\s\S]*?)<\/\1>/gi, (_, _tag, a, inner) => {
    const at = attrs(a);
    const url = safeUrl(at.url || at.href || at.pc_url);
    const label = inner || at.url || at.href || '';
    if (!url) return hold(escapeHtml(label));
    return hold(`<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label)}</a>`);
  });
  s = s.replace(/<br\s*\/?>/gi, () => hold('<br>'));
  // <font> may wrap other markdown: keep only the tags as placeholders, the inside is read on.
  s = s.replace(/<font\s+([^>]*)>/gi, (_, a) => {
    const color = colorValue(attrs(a).color);
    return hold(color ? `<span style="color:${color}">` : '<span>');
  });
  s = s.replace(/<\/font>/gi, () => hold('</span>'));

  s = escapeHtml(s);
  s = s.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (all, label, url) => {
    const u = safeUrl(url.replace(/&amp;/g, '&'));
    return u ? hold(`<a href="${escapeHtml(u)}" target="_blank" rel="noopener noreferrer">${label}</a>`) : label;
  });
  s = s.replace(/\*\*([\s\S]+?)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/~~([\s\S]+?)~~/g, '<del>$1</del>');
  s = s.replace(/(^|[^*])\*([^*\n]+?)\*/g, '$1<em>$2</em>');
  s = s.replace(/(^|[\s(])_([^_\n]+?)_(?=$|[\s).,，。])/g, '$1<em>$2</em>');

  // Placeholders may hold placeholders (a link inside <font>): restore until none are left.
  for (let i = 0; i < 5 && s.includes('\u0001'); i++) s = s.replace(/\u0001(\d+)\u0002/g, (_, n) => slots[Number(n)]);
  return s;
}

function renderList(lines, ctx) {
  // lines: [{indent, ordered, text}] -> nested lists by indentation.
  let html = '';
  const stack = [];
  for (const item of lines) {
    while (stack.length && item.indent < stack[stack.length - 1].indent) html += `</li></${stack.pop().tag}>`;
    const top = stack[stack.length - 1];
    if (!top || item.indent > top.indent) {
      const tag = item.ordered ? 'ol' : 'ul';
      const start = item.ordered && item.number !== 1 ? ` start="${item.number}"` : '';
      html += `<${tag}${start}>`;
      stack.push({ indent: item.indent, tag });
    } else {
      html += '</li>';
    }
    html += `<li>${renderInline(item.text, ctx)}`;
  }
  while (stack.length) html += `</li></${stack.pop().tag}>`;
  return html;
}

function splitRow(line) {
  return line.replace(/^\s*\|/, '').replace(/\|\s*$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

/** Block markdown: headings, lists, quotes, fences, tables, rules; single newlines are line breaks. */
export function renderMarkdown(text, ctx = {}) {
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').split('\n');
  const out = [];
  let para = [];
  const flush = () => {
    if (para.length) out.push(`<p>${para.map((l) => renderInline(l, ctx)).join('<br>')}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*```/.test(line)) {
      flush();
      const code = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) code.push(lines[i]);
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line) && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1] || '')) {
      flush();
      const head = splitRow(line);
      const rows = [];
      for (i += 2; i < lines.length && /^\s*\|/.test(lines[i]); i++) rows.push(splitRow(lines[i]));
      i--;
      out.push(
        `<table class="md-table"><thead><tr>${head.map((h) => `<th>${renderInline(h, ctx)}</th>`).join('')}</tr></thead><tbody>` +
          rows.map((r) => `<tr>${r.map((c) => `<td>${renderInline(c, ctx)}</td>`).join('')}</tr>`).join('') +
          '</tbody></table>',
      );
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(heading[1].length + 2, 6);
      out.push(`<h${level} class="md-h">${renderInline(heading[2], ctx)}</h${level}>`);
      continue;
    }
    if (/^\s*(-{3,}|\*{3,}|<hr\s*\/?>)\s*$/i.test(line)) {
      flush();
      out.push('<hr>');
      continue;
    }
    if (/^\s*([-*+]|\d+\.)\s+/.test(line)) {
      flush();
      const items = [];
      for (; i < lines.length; i++) {
        const m = /^(\s*)([-*+]|(\d+)\.)\s+(.*)$/.exec(lines[i]);
        if (!m) break;
        items.push({ indent: m[1].replace(/\t/g, '    ').length, ordered: Boolean(m[3]), number: Number(m[3] || 1), text: m[4] });
      }
      i--;
      out.push(renderList(items, ctx));
      continue;
    }
    if (/^>\s?/.test(line)) {
      flush();
      const quote = [];
      for (; i < lines.length && /^>\s?/.test(lines[i]); i++) quote.push(lines[i].replace(/^>\s?/, ''));
      i--;
      out.push(`<blockquote>${quote.map((l) => renderInline(l, ctx)).join('<br>')}</blockquote>`);
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    para.push(line);
  }
  flush();
  return out.join('');
}
