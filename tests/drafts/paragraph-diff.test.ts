import { describe, expect, it } from 'vitest';
import { changedSpan, diffParagraphs } from '../../domain/drafts/paragraph-diff.js';
import { chunkParagraphs, splitTitle } from '../../domain/drafts/text.js';

describe('paragraph diff', () => {
  const before = { title: '城关镇开展党员冬训', paragraphs: ['第一段不变。', '第二段讲了冬训安排，共培训党员三百人。', '第三段将被删除，内容完全不同。', '第四段结尾。'] };

  it('finds added, removed and changed paragraphs and a changed title', () => {
    const after = {
      title: '城关镇扎实开展党员冬训',
      paragraphs: ['第一段不变。', '第二段讲了冬训安排，共培训党员五百人。', '第四段结尾。', '新增的第五段，介绍下一步打算。'],
    };
    const d = diffParagraphs(before, after);
    expect(d.titleChanged).toEqual({ before: '城关镇开展党员冬训', after: '城关镇扎实开展党员冬训' });
    expect(d.changes).toEqual([
      { kind: 'changed', oldIndex: 1, newIndex: 1, before: before.paragraphs[1], after: after.paragraphs[1] },
      { kind: 'removed', oldIndex: 2, text: before.paragraphs[2] },
      { kind: 'added', newIndex: 3, text: after.paragraphs[3] },
    ]);
    expect([d.added, d.removed, d.changed]).toEqual([1, 1, 1]);
  });

  it('reports nothing for an identical text', () => {
    const d = diffParagraphs(before, before);
    expect(d.changes).toEqual([]);
    expect(d.titleChanged).toBeUndefined();
  });

  it('keeps a wholly different paragraph as removed plus added, not changed', () => {
    const d = diffParagraphs({ title: 't', paragraphs: ['甲乙丙丁戊己庚辛'] }, { title: 't', paragraphs: ['子丑寅卯辰巳午未'] });
    expect(d.changes.map((c) => c.kind)).toEqual(['removed', 'added']);
  });

  it('shows the changed middle of an edited paragraph with context', () => {
    expect(changedSpan('共培训党员三百人。', '共培训党员五百人。')).toEqual({ prefix: '共培训党员', before: '三', after: '五', suffix: '百人。' });
  });

  it('handles long texts quickly', () => {
    const a = Array.from({ length: 2000 }, (_, i) => `第${i}段内容，这是一段普通的文字。`);
    const b = [...a.slice(0, 1000), '插入的一段', ...a.slice(1000).reverse()];
    const started = Date.now();
    const d = diffParagraphs({ title: 't', paragraphs: a }, { title: 't', paragraphs: b });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(d.added + d.changed).toBeGreaterThan(0);
  });
});

describe('draft text', () => {
  it('takes the first line as title, or the explicit title', () => {
    expect(splitTitle({ title: undefined, paragraphs: ['标题', '正文'] })).toEqual({ title: '标题', paragraphs: ['正文'] });
    expect(splitTitle({ title: '帖子标题', paragraphs: ['第一段', '第二段'] })).toEqual({ title: '帖子标题', paragraphs: ['第一段', '第二段'] });
  });

  it('does not take a long first line as a title', () => {
    const long = '这'.repeat(120);
    expect(splitTitle({ title: undefined, paragraphs: [long] })).toEqual({ title: '', paragraphs: [long] });
  });

  it('cuts long texts at paragraph ends', () => {
    expect(chunkParagraphs(['aaaa', 'bbbb', 'cccc'], 10)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(chunkParagraphs(['x'.repeat(25)], 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});
