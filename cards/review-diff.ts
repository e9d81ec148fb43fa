import { changedSpan, type ParagraphDiff } from '../domain/drafts/paragraph-diff.js';
import { escapeMd, excerpt, markdown, type Element } from './elements.js';

/**
 * "What changed since the last revision" for the review card. Paragraph numbers are those of the
 * new text (removed ones: of the old text). Cut at `maxChars` so a rewrite cannot overflow the card.
 */
export function diffSection(diff: ParagraphDiff, previousRevision: number, maxChars: number, against = `第${previousRevision}稿`): Element {
  const summary =
    diff.added + diff.removed + diff.changed === 0 && !diff.titleChanged
      ? '正文无改动。'
      : `新增 ${diff.added} 段，删除 ${diff.removed} 段，修改 ${diff.changed} 段${diff.titleChanged ? '，标题有改动' : ''}。`;
  const lines: string[] = [];
  if (diff.titleChanged) {
    lines.push(`- **标题**：${quote(diff.titleChanged.before, 60)} → ${quote(diff.titleChanged.after, 60)}`);
  }
  for (const c of diff.changes) {
    if (c.kind === 'added') lines.push(`- <font color='green'>**新增**</font> 第${c.newIndex + 1}段：${quote(c.text, 80)}`);
    else if (c.kind === 'removed') lines.push(`- <font color='red'>**删除**</font> 原第${c.oldIndex + 1}段：${quote(c.text, 80)}`);
    else {
      const s = changedSpan(c.before, c.after);
      const ctx = (t: string) => escapeMd(t);
      lines.push(
        `- <font color='orange'>**修改**</font> 第${c.newIndex + 1}段：${ctx(s.prefix)}<font color='red'>${escapeMd(excerpt(s.before, 60)) || '（空）'}</font> → <font color='green'>${escapeMd(excerpt(s.after, 60)) || '（空）'}</font>${ctx(s.suffix)}`,
      );
    }
  }
  let body = '';
  let shown = 0;
  for (const line of lines) {
    if (body.length + line.length + 1 > maxChars) break;
    body += (body ? '\n' : '') + line;
    shown++;
  }
  const rest = lines.length - shown;
  const more = rest > 0 ? `\n另有 ${rest} 处改动未列出，请查看全文。` : '';
  return markdown(`**与${against}相比**：${summary}${body ? '\n' + body : ''}${more}`);
}

function quote(text: string, max: number): string {
  return `“${escapeMd(excerpt(text, max))}”`;
}
