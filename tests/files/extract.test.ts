import { describe, expect, it } from 'vitest';
import { extractDraftFile } from '../../domain/files/extract.js';
import { htmlToBlocks } from '../../domain/files/html-blocks.js';
import { DraftFileError } from '../../domain/files/file-errors.js';
import { PDF_DRAFT, PDF_DRAFT_PARAGRAPHS } from '../fixtures/files/pdf-draft-content.js';
import { DOCX_DRAFT, docxDraft, docxWithoutTitle, encryptedDocx, encryptedPdf, legacyDoc, pdfDraft, scannedPdf } from './fixtures.js';

async function reasonOf(fileName: string, bytes: Buffer): Promise<string> {
  try {
    await extractDraftFile(fileName, bytes);
  } catch (err) {
    if (err instanceof DraftFileError) return `${err.reason}: ${err.userMessage}`;
    throw err;
  }
  return 'no error';
}

describe('extracting a draft from a file', () => {
  it('reads a .docx: the Title-styled headline as title, headings kept in order, a table row per line', async () => {
    const r = await extractDraftFile('红色物业.docx', await docxDraft());
    expect(r).toEqual({
      title: DOCX_DRAFT.title,
      paragraphs: DOCX_DRAFT.paragraphs,
      sourceType: 'docx',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
  });

  it('drops footnote marks and back-links but keeps the notes; a soft line break splits a paragraph', () => {
    const html = '<h1>标题</h1><p>正文<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup>&amp;说明。<br />第二行</p><ol><li id="footnote-1"><p>注释内容 <a href="#footnote-ref-1">↑</a></p></li></ol>';
    expect(htmlToBlocks(html)).toEqual([
      { kind: 'heading', text: '标题' },
      { kind: 'paragraph', text: '正文&说明。' },
      { kind: 'paragraph', text: '第二行' },
      { kind: 'paragraph', text: '注释内容' },
    ]);
  });

  it('takes the title from the file name when the document starts with body text', async () => {
    const body = ['今年以来，城关镇党委坚持以党建引领基层治理，在全镇推行网格化管理，把党组织建在网格上，把党员聚在网格中，推动服务群众“零距离”。', '下一步，城关镇将持续深化网格化治理。'];
    const r = await extractDraftFile('城关镇网格化治理.docx', await docxWithoutTitle(body));
    expect(r.title).toBe('城关镇网格化治理');
    expect(r.paragraphs).toEqual(body);
  });

  it('reads a Chinese PDF: wrapped lines joined into paragraphs, across the page break; the big-font title; page numbers dropped', async () => {
    const r = await extractDraftFile('党员教育.pdf', pdfDraft());
    expect(r.title).toBe(PDF_DRAFT.title);
    expect(r.paragraphs).toEqual(PDF_DRAFT_PARAGRAPHS);
    expect(r.sourceType).toBe('pdf');
  });

  it('reads .txt in UTF-8 (with BOM) and in GBK, one paragraph per line', async () => {
    const text = '城关镇开展党员冬训\r\n\r\n　　今年冬训，全镇党员集中学习三天。\r\n　　学习结束后开展了讨论。\r\n';
    const expected = { title: '城关镇开展党员冬训', paragraphs: ['今年冬训，全镇党员集中学习三天。', '学习结束后开展了讨论。'], sourceType: 'txt' };
    expect(await extractDraftFile('a.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toMatchObject(expected);
    const gbk = Buffer.from('b3c7b9d8d5f2bfaad5b9b5b3d4b1b6acd1b5', 'hex'); // 城关镇开展党员冬训 in GBK
    expect(await extractDraftFile('b.txt', gbk)).toMatchObject({ title: '城关镇开展党员冬训', paragraphs: [] });
  });

  it('reads .md: # headings, emphasis and links dropped, tables as rows', async () => {
    const md = ['# 城关镇“三抓三促”见实效', '', '今年以来，城关镇**聚焦**基层党建，推动[党员教育](https://example.com)走深走实。', '', '## 一、抓学习', '', '| 村 | 党员数 |', '|---|---|', '| 东村 | 56 |', '', '- 开展集中学习12次'].join('\n');
    expect(await extractDraftFile('draft.md', Buffer.from(md))).toEqual({
      title: '城关镇“三抓三促”见实效',
      paragraphs: ['今年以来，城关镇聚焦基层党建，推动党员教育走深走实。', '一、抓学习', '村 | 党员数', '东村 | 56', '开展集中学习12次'],
      sourceType: 'md',
      contentType: 'text/markdown; charset=utf-8',
    });
  });
});

describe('unusable files each get their own message', () => {
  it.each([
    ['旧稿.doc', 'legacy', () => legacyDoc(), '“旧稿.doc”是旧版 .doc 格式，我读不了。请在 Word 或 WPS 中打开它，点“文件 → 另存为”，保存类型选“Word 文档（*.docx）”'],
    ['旧稿.wps', 'legacy', () => legacyDoc(), '“旧稿.wps”是旧版 .wps 格式，我读不了。请在 WPS 中打开它'],
    ['照片.jpg', 'unsupported', () => Buffer.from('xx'), '暂不支持“照片.jpg”这种文件'],
    ['空.docx', 'empty', () => Buffer.alloc(0), '文件“空.docx”是空的'],
    ['空.txt', 'empty', () => Buffer.from('\r\n  \r\n'), '文件“空.txt”是空的'],
    ['加密.docx', 'encrypted', () => encryptedDocx(), '文件“加密.docx”设置了打开密码'],
    ['改名.docx', 'renamed_doc', () => legacyDoc(), '文件“改名.docx”的扩展名是 .docx，但内容其实是旧版 .doc 格式'],
    ['坏.docx', 'corrupt', () => Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300, 9)]), '文件“坏.docx”已损坏'],
    ['坏.pdf', 'corrupt', () => Buffer.from('%PDF-1.7\n1 0 obj garbage'), '文件“坏.pdf”已损坏'],
    ['不是.pdf', 'corrupt', () => Buffer.from('hello'), '文件“不是.pdf”已损坏'],
  ])('%s → %s', async (name, reason, bytes, message) => {
    expect(await reasonOf(name, bytes())).toContain(`${reason}: ${message}`);
  });

  it('a scanned PDF (no text layer) and a password-protected PDF', async () => {
    expect(await reasonOf('扫描件.pdf', await scannedPdf())).toContain('scanned: “扫描件.pdf”是扫描件或图片做成的 PDF，读不出文字');
    expect(await reasonOf('加密.pdf', await encryptedPdf())).toContain('encrypted: 文件“加密.pdf”设置了打开密码');
  });
});
