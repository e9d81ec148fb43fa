import { readFileSync } from 'node:fs';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import PDFDocument from 'pdfkit';

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
