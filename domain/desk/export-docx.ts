import { AlignmentType, BorderStyle, Document, LineRuleType, Packer, Paragraph, TabStopType, TextRun } from 'docx';

export type BulletinDocInput = {
  bulletinName: string;
  department: string;
  year: number;
  number: number;
  /** Local publishing date (YYYY-MM-DD); undefined while the issue is not yet published. */
  publishedOn: string | undefined;
  items: { title: string; unitNames: string[]; body: string; note?: string | null }[];
  /** 编者按 of the whole issue, printed before the first item. */
  issueNote?: string | null;
  /** 报/送/发 lines at the foot. */
  distribution?: { label: string; text: string }[];
  /** 签发人, once the issue is signed. */
  signer?: string;
};

// Sizes are half-points. The fonts are the ones official documents use (GB/T 9704); Word falls back
// to a Song/Kai face when they are missing.
const RED = 'C00000';
const TITLE_FONT = { eastAsia: '方正小标宋简体', ascii: 'SimSun', hAnsi: 'SimSun' };
const BODY_FONT = { eastAsia: '仿宋_GB2312', ascii: 'FangSong', hAnsi: 'FangSong' };
const KAI_FONT = { eastAsia: '楷体_GB2312', ascii: 'KaiTi', hAnsi: 'KaiTi' };
const BODY_SIZE = 32; // 三号
const LINE = { line: 560, lineRule: LineRuleType.EXACT }; // 28 pt fixed, the usual 22 lines a page

function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The issue laid out like a printed bulletin: red masthead, number, department and date, then the items. */
export async function buildBulletinDocx(o: BulletinDocInput): Promise<Buffer> {
  const masthead = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 400, after: 200 },
      children: [new TextRun({ text: o.bulletinName, font: TITLE_FONT, size: 88, color: RED, bold: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 200 },
      children: [new TextRun({ text: `${o.year}年第${o.number}期`, font: KAI_FONT, size: BODY_SIZE })],
    }),
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: 8800 }],
      border: { bottom: { style: BorderStyle.THICK, size: 18, color: RED, space: 4 } },
      spacing: { after: 400 },
      children: [
        new TextRun({ text: o.department, font: KAI_FONT, size: BODY_SIZE }),
        new TextRun({ text: `\t${o.publishedOn ? chineseDate(o.publishedOn) : '（未发布）'}`, font: KAI_FONT, size: BODY_SIZE }),
      ],
    }),
  ];
  const kai = (text: string, extra: Record<string, unknown> = {}) =>
    new Paragraph({ indent: { firstLine: 640 }, alignment: AlignmentType.JUSTIFIED, spacing: LINE, ...extra, children: [new TextRun({ text, font: KAI_FONT, size: BODY_SIZE })] });
  const signer = o.signer
    ? [new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 200 }, children: [new TextRun({ text: `签发人：${o.signer}`, font: KAI_FONT, size: BODY_SIZE })] })]
    : [];
  const issueNote = o.issueNote ? [kai(`编者按：${o.issueNote}`)] : [];
  const footer = o.distribution?.length
    ? [
        new Paragraph({ spacing: { before: 600 }, border: { top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 } }, children: [] }),
        ...o.distribution.map((d) => new Paragraph({ spacing: LINE, children: [new TextRun({ text: `${d.label}：${d.text}`, font: BODY_FONT, size: 28 })] })),
      ]
    : [];
  const items = o.items.flatMap((it, i) => [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: i === 0 ? 200 : 480, after: 120 },
      children: [new TextRun({ text: it.title, font: TITLE_FONT, size: 36, bold: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 200 },
      children: [new TextRun({ text: `（${it.unitNames.join('　')}）`, font: KAI_FONT, size: BODY_SIZE })],
    }),
    ...(it.note ? [kai(`编者按：${it.note}`)] : []),
    ...it.body
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean)
      .map(
        (p) =>
          new Paragraph({
            indent: { firstLine: 640 },
            alignment: AlignmentType.JUSTIFIED,
            spacing: LINE,
            children: [new TextRun({ text: p, font: BODY_FONT, size: BODY_SIZE })],
          }),
      ),
  ]);
  const doc = new Document({
    creator: o.department,
    title: `${o.bulletinName} ${o.year}年第${o.number}期`,
    sections: [
      {
        properties: { page: { margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 } } },
        children: [...masthead, ...signer, ...issueNote, ...items, ...footer],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
