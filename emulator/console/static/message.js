// One chat message (text, post, file, card) as a bubble in the timeline.
import { renderCard } from './card-render.js';
import { withToken } from './ui.js';

const h = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

/** `<at user_id="ou_x">Name</at>` (bot text) and `@_user_N` (what people typed) as readable mentions. */
function textWithMentions(raw, ctx) {
  return String(raw ?? '')
    .replace(/<at\s+user_id="([^"]+)"\s*>([^<]*)<\/at>/g, (_, id, name) => `@${id === 'all' ? '所有人' : ctx.nameOf(id) || name}`)
    .replace(/@_user_\d+/g, `@${ctx.botName}`)
    .replace(/@_all/g, '@所有人');
}

function postBody(content, ctx) {
  // Received posts are flat {title, content}; sent ones are keyed by locale.
  const post = content && (content.content ? content : content.zh_cn || content.en_us || Object.values(content)[0] || {});
  const box = h('div', 'post');
  if (post.title) box.append(h('div', 'post-title', post.title));
  for (const para of post.content || []) {
    const p = h('p');
    for (const node of para || []) {
      if (node.tag === 'a' && /^https?:/.test(node.href || '')) {
        const a = h('a', '', node.text || node.href);
        a.href = node.href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        p.append(a);
      } else if (node.tag === 'at') p.append(h('span', 'md-at', `@${ctx.nameOf(node.user_id) || node.user_name || ''}`));
      else if (node.tag === 'img') p.append(h('span', 'img-inline', '［图片］'));
      else p.append(document.createTextNode(node.text ?? ''));
    }
    box.append(p);
  }
  return box;
}

function fileBody(content, fromBot) {
  const box = h(fromBot ? 'a' : 'div', 'file');
  if (fromBot && content.file_key) {
    box.href = withToken(`/console/api/files/${encodeURIComponent(content.file_key)}`);
    box.download = content.file_name || '';
  }
  const name = content.file_name || '文件';
  const ext = (name.split('.').pop() || '').toLowerCase();
  const info = h('span', 'file-info');
  info.append(h('span', 'file-name', name));
  // As Feishu shows a file: its kind and size under the name (the bot's files, from the upload).
  const meta = [fileKind(ext, content.file_type), typeof content.file_size === 'number' ? fileSize(content.file_size) : ''].filter(Boolean).join(' · ');
  if (meta) info.append(h('span', 'file-meta', meta));
  box.append(h('span', `file-icon file-${ext}`, ext.toUpperCase().slice(0, 4) || '文件'), info);
  return box;
}

const FILE_KINDS = { doc: 'Word 文档', docx: 'Word 文档', xls: 'Excel 表格', xlsx: 'Excel 表格', pdf: 'PDF 文件', ppt: '演示文稿', pptx: '演示文稿', txt: '文本文件', csv: 'CSV 表格' };

function fileKind(ext, uploadType) {
  return FILE_KINDS[ext] || FILE_KINDS[uploadType] || (ext ? `${ext.toUpperCase()} 文件` : '');
}

/** 1023 B, 12.5 KB, 3.2 MB: the way Feishu writes sizes. */
export function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function bodyOf(entry, ctx) {
  const c = entry.content || {};
  switch (entry.msgType) {
    case 'text':
      return h('div', 'bubble text', textWithMentions(c.text, ctx));
    case 'post': {
      const b = h('div', 'bubble');
      b.append(postBody(c, ctx));
      return b;
    }
    case 'interactive':
      return renderCard(c, { ...ctx, act: (input) => ctx.act(entry.messageId, input) });
    case 'file':
      return fileBody(c, entry.from === 'bot');
    case 'image':
      return h('div', 'bubble img-inline', '［图片］');
    default:
      return h('div', 'bubble muted', `［${entry.msgType} 消息］`);
  }
}

export function renderMessage(entry, ctx) {
  const fromBot = entry.from === 'bot';
  const mine = entry.from === ctx.me;
  const row = h('div', `msg${mine ? ' mine' : ''}${fromBot ? ' from-bot' : ''}`);
  row.dataset.messageId = entry.messageId;
  row.dataset.from = entry.from;
  const name = fromBot ? ctx.botName : ctx.nameOf(entry.from) || entry.from;
  const av = h('div', `avatar${fromBot ? ' bot' : ''}`, fromBot ? '稿' : name.slice(0, 1));
  av.style.background = fromBot ? '' : colorFor(entry.from);
  const main = h('div', 'msg-main');
  const meta = h('div', 'msg-meta');
  meta.append(h('span', 'msg-name', mine ? '我' : name));
  if (fromBot) meta.append(h('span', 'bot-badge', '机器人'));
  meta.append(h('time', 'msg-time', clock(entry.createTime)));
  main.append(meta);
  if (entry.parentId) {
    const parent = ctx.entry(entry.parentId);
    if (parent) {
      const who = parent.from === 'bot' ? ctx.botName : ctx.nameOf(parent.from) || '';
      main.append(h('div', 'quote', `回复 ${who}：${summary(parent, ctx)}`));
    }
  }
  main.append(bodyOf(entry, ctx));
  row.append(av, main);
  return row;
}

/** A one-line preview (chat list, quoted replies). */
export function summary(entry, ctx) {
  const c = entry.content || {};
  if (entry.msgType === 'text') return textWithMentions(c.text, ctx).slice(0, 60);
  if (entry.msgType === 'interactive') {
    const title = c.header && c.header.title && c.header.title.content;
    return `［卡片］${(c.config && c.config.summary && c.config.summary.content) || title || ''}`;
  }
  if (entry.msgType === 'file') return `［文件］${c.file_name || ''}`;
  if (entry.msgType === 'post') return `［富文本］${c.title || ''}`;
  return `［${entry.msgType}］`;
}

export function clock(ms) {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

const WEEK = ['日', '一', '二', '三', '四', '五', '六'];
export function dayLabel(ms) {
  const d = new Date(ms);
  const today = new Date();
  const same = (a, b) => a.toDateString() === b.toDateString();
  const yesterday = new Date(today.getTime() - 86400000);
  if (same(d, today)) return '今天';
  if (same(d, yesterday)) return '昨天';
  const y = d.getFullYear() === today.getFullYear() ? '' : `${d.getFullYear()}年`;
  return `${y}${d.getMonth() + 1}月${d.getDate()}日 星期${WEEK[d.getDay()]}`;
}

const AVATAR_COLORS = ['#3370ff', '#34c724', '#ff8800', '#7f3bf5', '#f54a45', '#04b49c', '#b54bd2', '#4954e6'];
export function colorFor(id) {
  let n = 0;
  for (const ch of String(id)) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  return AVATAR_COLORS[n % AVATAR_COLORS.length];
}
