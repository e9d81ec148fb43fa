import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { chineseDateTime } from '../bot/time.js';
import type { BulletinItemVersion } from '../db/schema/index.js';
import type { Notice } from '../domain/notices.js';
import { splitBody } from '../domain/drafts/text.js';
import { diffSection } from './review-diff.js';
import { button, card, collapsible, escapeMd, fields, form, hr, input, markdown, note, submitButton, type Card, type Element } from './elements.js';

export const EDIT_ACTIONS = {
  open: actionSpec('item.edit_open', z.object({ item: id() })),
  /** `v`: the version the form was filled in on, so a concurrent edit is noticed. */
  save: actionSpec('item.edit', z.object({ item: id(), v: id() })),
};

/** Card messages of the 编审 card, so a reply to one is read as a revised text of that item. */
export const ITEM_CARD_PURPOSE = 'item-edit';

/** Longest body the card's form can carry (Lark's input limit); longer ones are edited by reply. */
export const FORM_BODY_MAX = 1000;

const SOURCE_LABELS: Record<BulletinItemVersion['source'], string> = { adopted: '采用时原文', form: '卡片修改', text: '回复文字', docx: '回复 Word 文件' };

export type ItemCardData = {
  item: { id: number; title: string; body: string; editorNote: string | null; version: number; position: number; kind: 'single' | 'merged' };
  issueLabel: string;
  open: boolean;
  sources: { serial: string; unitName: string }[];
  versions: (BulletinItemVersion & { editorName: string })[];
  timezone: string;
  /** A line at the top (e.g. why the card was refreshed). */
  banner?: string;
};

function fullText(title: string, body: string): string {
  return [`**${escapeMd(title)}**`, ...splitBody(body).map(escapeMd)].join('\n\n');
}

/** The 编审 card of one adopted piece: full current text, its versions, and a form for short changes. */
export function itemEditCard(d: ItemCardData): Card {
  const { item } = d;
  const chars = [...item.body.replace(/\n/g, '')].length;
  const history = d.versions.length
    ? d.versions.map((v) => `第${v.version}版 · ${SOURCE_LABELS[v.source]} · ${escapeMd(v.editorName)} · ${chineseDateTime(v.editedAt, d.timezone)}`).join('\n')
    : '第1版 · 采用时原文（尚未编审）';
  const fitsForm = item.body.length <= FORM_BODY_MAX;
  const elements: (Element | false | undefined)[] = [
    d.banner ? markdown(`<font color='orange'>${escapeMd(d.banner)}</font>`) : undefined,
    fields([
      ['期次', `${d.issueLabel}第 ${item.position} 条`],
      ['版本', `第${item.version}版`],
      ['来源', d.sources.map((s) => `${s.serial}（${s.unitName}）`).join('、') + (item.kind === 'merged' ? ' · 综合稿' : '')],
      ['字数', `${chars}字`],
    ]),
    item.editorNote ? markdown(`**编者按**：${escapeMd(item.editorNote)}`) : undefined,
    collapsible(`**查看全文**（${chars}字）`, [markdown(fullText(item.title, item.body))]),
    collapsible('**编审记录**', [markdown(history)]),
    hr(),
  ];
  if (d.open) {
    elements.push(
      form('edit_item', [
        input({ name: 'title', label: '标题', placeholder: '标题', required: true, maxLength: 60, defaultValue: item.title }),
        fitsForm &&
          input({ name: 'body', label: '正文（每段一行）', placeholder: item.kind === 'merged' ? '在此撰写或粘贴综合稿正文' : '正文', multiline: true, maxLength: FORM_BODY_MAX, defaultValue: item.body }),
        input({ name: 'note', label: '编者按（可选）', placeholder: '写在本条之前的编者按，留空则不加', multiline: true, maxLength: 300, defaultValue: item.editorNote ?? '' }),
        submitButton({ name: 'edit_submit', text: '保存修改', type: 'primary', value: EDIT_ACTIONS.save.value({ item: item.id, v: item.version }) }),
      ].filter(Boolean) as Element[]),
      note(
        (fitsForm ? '' : `正文超过${FORM_BODY_MAX}字，卡片内只能改标题和编者按。`) +
          '修改较多时，请直接回复本卡片，发送修改后的全文（第一行为标题）或 Word 文件（.docx）；正文较长可分几次写，以“续：”开头的回复接在正文末尾。每次修改都保存为新版本，信息员的原稿不会被覆盖。',
      ),
    );
  } else {
    elements.push(note('本期已印发，不能再修改。'));
  }
  return card({
    title: `编审 · ${d.issueLabel}第 ${item.position} 条`,
    subtitle: `《${item.title}》`,
    template: d.open ? 'indigo' : 'green',
    summary: `编审：《${item.title}》`,
    elements,
  });
}

/** The button that sends an item's 编审 card. */
export function editButton(itemId: number): Element {
  return button({ text: '编审', type: 'text', value: EDIT_ACTIONS.open.value({ item: itemId }) });
}

/** To the author and the unit's reviewers: the research office edited the adopted piece. */
export function editNoticeCard(o: Omit<Extract<Notice, { kind: 'draft.edited' }>, 'kind'> & { timezone: string }): Card {
  return card({
    title: '稿件编审通知',
    subtitle: `${o.serial} · ${o.issueLabel}第 ${o.position} 条`,
    template: 'blue',
    summary: `《${o.title}》经研究室编审`,
    elements: [
      markdown(
        `您单位的稿件 ${o.serial} 编入${o.issueLabel}第 ${o.position} 条${o.merged ? '（综合稿）' : ''}，研究室 ${escapeMd(o.editorName)} 于 ${chineseDateTime(o.at, o.timezone)} 作了编审（第${o.version}版），刊发标题为《${escapeMd(o.title)}》。`,
      ),
      diffSection(o.diff, 0, 3000, o.againstLabel),
      note('您报送的原稿仍完整保存。如对修改有意见，请联系研究室。'),
    ],
  });
}
