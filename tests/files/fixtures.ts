import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import PDFDocument from 'pdfkit';
import { expect } from 'vitest';
import type { Harness } from '../helpers/harness.js';

/** A Word draft as officers write them: a Title-styled headline, headings, a table, Chinese text. */
export const DOCX_DRAFT = {
  title: '东街街道“红色物业”破解老旧小区治理难题',
  paragraphs: [
    '今年以来，东街街道党工委坚持以党建引领基层治理，在辖区12个老旧小区推行“红色物业”模式，推动小区治理由“管理”向“服务”转变。',
    '一、建强组织体系',
    '街道指导小区成立党支部，推动物业企业党员负责人与社区“两委”成员交叉任职，形成“社区党委—小区党支部—楼栋党小组”三级组织架构。',
    '小区 | 党员数 | 解决问题',
    '幸福里小区 | 46 | 32',
    '光明小区 | 38 | 27',
    '二、解决急难愁盼',
    '通过“党员议事会”每月收集群众诉求，今年已解决停车难、加装电梯等问题59件，群众满意度提升到96%。',
  ],
};

export async function docxDraft(): Promise<Buffer> {
  const p = DOCX_DRAFT.paragraphs;
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: DOCX_DRAFT.title, heading: HeadingLevel.TITLE }),
          new Paragraph({ children: [new TextRun(p[0]!)] }),
          new Paragraph({ text: p[1]!, heading: HeadingLevel.HEADING_1 }),
          new Paragraph(p[2]!),
          new Table({ rows: [p[3]!, p[4]!, p[5]!].map((row) => new TableRow({ children: row.split(' | ').map(cell) })) }),
          new Paragraph({ text: p[6]!, heading: HeadingLevel.HEADING_1 }),
          // A bold run inside a paragraph must not split it or drop text.
          new Paragraph({ children: [new TextRun({ text: '通过“党员议事会”', bold: true }), new TextRun(p[7]!.slice('通过“党员议事会”'.length))] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A docx whose first paragraph is plain body text: no heading, too long for a title. */
export async function docxWithoutTitle(paragraphs: string[]): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: paragraphs.map((t) => new Paragraph(t)) }] }));
}

/** The committed Chinese PDF (see tests/fixtures/files/make-fixtures.ts). */
export function pdfDraft(): Buffer {
  return readFileSync(new URL('../fixtures/files/draft-cn.pdf', import.meta.url));
}

async function renderPdf(draw: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', ...options });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  draw(doc);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** A "scanned" PDF: pages of pictures and shapes, no text layer. */
export function scannedPdf(): Promise<Buffer> {
  return renderPdf((doc) => {
    for (let i = 0; i < 2; i++) {
      if (i) doc.addPage();
      for (let line = 0; line < 20; line++) doc.rect(72, 72 + line * 28, 420 - (line % 3) * 60, 12).fill('#333333');
    }
  });
}

/** A PDF that needs a password to open. */
export function encryptedPdf(): Promise<Buffer> {
  return renderPdf((doc) => doc.text('Confidential draft'), { userPassword: 'secret', ownerPassword: 'owner', pdfVersion: '1.7' });
}

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** What Word saves for a password-protected .docx: a compound file holding an EncryptedPackage stream. */
export function encryptedDocx(): Buffer {
  return Buffer.concat([CFB_MAGIC, Buffer.alloc(504), Buffer.from('EncryptionInfo', 'utf16le'), Buffer.alloc(50), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(2048, 7)]);
}

/** An old binary Word file (a compound file with a WordDocument stream). */
export function legacyDoc(): Buffer {
  return Buffer.concat([CFB_MAGIC, Buffer.alloc(504), Buffer.from('WordDocument', 'utf16le'), Buffer.alloc(4096, 3)]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive of deflated entries, written by hand so a test controls every byte. */
export function zipOf(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data, { level: 9 });
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A "zip bomb" .docx: a well-formed package whose document.xml is `paragraphs` identical paragraphs.
 * 600,000 of them are 29 MB of XML packed into well under a megabyte.
 */
export function docxBomb(paragraphs = 600_000): Buffer {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const para = '<w:p><w:r><w:t>城关镇党建</w:t></w:r></w:p>';
  const document = Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${para.repeat(paragraphs)}</w:body></w:document>`);
  return zipOf([
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
    },
    { name: 'word/document.xml', data: document },
  ]);
}

/** A PDF of `pages` pages with a line of text on each. */
export function manyPagePdf(pages: number): Promise<Buffer> {
  return renderPdf((doc) => {
    doc.text('Page 1');
    for (let n = 2; n <= pages; n++) doc.addPage().text(`Page ${n}`);
  });
}

/** The one answer to a file that cannot become a draft (the newest text the sender got). */
export async function refusal(h: Harness, from: string, name: string, bytes: Buffer): Promise<string> {
  const before = h.textsTo(from).length;
  await h.sendFile(from, name, bytes);
  await h.settle();
  const texts = h.textsTo(from);
  expect(texts.length, `one answer to ${name}`).toBe(before + 1);
  return texts[texts.length - 1]!;
}
