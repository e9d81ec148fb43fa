import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { chineseDateTime } from '../bot/time.js';
import type { IssueItemView } from '../domain/desk/issues.js';
import { button, buttonRow, card, escapeMd, form, hr, input, markdown, note, selectStatic, submitButton, type Card, type Element } from './elements.js';

export const SIGNOFF_ACTIONS = {
  sign: actionSpec('issue.sign', z.object({ s: id() })),
  return: actionSpec('issue.return', z.object({ s: id() })),
  endorseForm: actionSpec('endorse.form', z.object({ draft: id() })),
  endorse: actionSpec('endorse.save', z.object({ draft: id() })),
};

export const PREVIEW_PURPOSE = 'issue-preview';

export type PreviewData = {
  bulletinName: string;
  label: string;
  items: IssueItemView[];
  issueNote: string | null;
  distribution: { label: string; text: string }[];
  signoffId: number;
  /** 'actions': the signer may decide; otherwise how it ended. */
  status: 'pending' | 'signed' | 'returned' | 'superseded';
  decidedBy?: string;
  decidedAt?: Date;
  comment?: string | null;
  timezone: string;
  banner?: string;
};

function toc(items: IssueItemView[]): string {
  return items
    .map((it) => `${it.position}. 《${escapeMd(it.title)}》${it.kind === 'merged' ? '（综合）' : ''}　${escapeMd(it.unitNames.join('、'))}${it.editorNote ? '\n　　编者按：' + escapeMd(it.editorNote) : ''}`)
    .join('\n');
}

/** What the signer reads before 签发: masthead, contents, 编者按, distribution; the .docx follows it. */
export function issuePreviewCard(d: PreviewData): Card {
  const elements: (Element | false | undefined)[] = [
    d.banner ? markdown(`<font color='orange'>${escapeMd(d.banner)}</font>`) : undefined,
    markdown(`**《${escapeMd(d.bulletinName)}》${d.label}**　共 ${d.items.length} 条`),
    d.issueNote ? markdown(`**编者按**：${escapeMd(d.issueNote)}`) : undefined,
    markdown(`**目录**\n${toc(d.items)}`),
    d.distribution.length ? markdown(d.distribution.map((l) => `${l.label}：${escapeMd(l.text)}`).join('\n')) : undefined,
    note('全文见随后发送的 Word 文件。'),
    hr(),
  ];
  if (d.status === 'pending') {
    elements.push(
      buttonRow([
        button({
          text: '签发',
          type: 'primary_filled',
          value: SIGNOFF_ACTIONS.sign.value({ s: d.signoffId }),
          confirm: { title: `签发${d.label}`, text: '签发后研究室即可印发。确定签发？' },
        }),
      ]),
      form('return_issue', [
        input({ name: 'comment', label: '退回修改（意见将发给研究室）', placeholder: '例如：第2条数据请核实；编者按再精炼', multiline: true, maxLength: 500 }),
        submitButton({ name: 'return_submit', text: '退回修改', type: 'danger', value: SIGNOFF_ACTIONS.return.value({ s: d.signoffId }) }),
      ]),
    );
  } else if (d.status === 'signed') {
    elements.push(markdown(`<font color='green'>**已签发**</font>　${escapeMd(d.decidedBy ?? '')} · ${d.decidedAt ? chineseDateTime(d.decidedAt, d.timezone) : ''}`));
  } else if (d.status === 'returned') {
    elements.push(markdown(`<font color='orange'>**已退回修改**</font>　${escapeMd(d.decidedBy ?? '')} · ${d.decidedAt ? chineseDateTime(d.decidedAt, d.timezone) : ''}\n**意见**：${escapeMd(d.comment ?? '')}`));
  } else {
    elements.push(markdown('此预览已过期：研究室已重新送审，请在最新的送审卡片上签发。'));
  }
  return card({
    title: `本期信息送审签发 · ${d.label}`,
    subtitle: `《${d.bulletinName}》`,
    template: d.status === 'signed' ? 'green' : d.status === 'pending' ? 'orange' : 'grey',
    summary: `${d.label}送审`,
    elements,
  });
}

/** To the leaders at 印发: the contents, with a 批示 button for each piece. */
export function publishedLeaderCard(d: { bulletinName: string; label: string; date: string; items: IssueItemView[]; signer: string | undefined }): Card {
  const rows: Element[] = [];
  for (const it of d.items) {
    rows.push(markdown(`${it.position}. 《${escapeMd(it.title)}》　${escapeMd(it.unitNames.join('、'))}`));
    if (d.items.length <= 15) rows.push(buttonRow([button({ text: '批示', type: 'text', value: SIGNOFF_ACTIONS.endorseForm.value({ draft: it.sources[0]!.draftId }) })]));
  }
  return card({
    title: `《${d.bulletinName}》${d.label}已印发`,
    subtitle: `${d.date}${d.signer ? ` · 签发人 ${d.signer}` : ''}`,
    template: 'green',
    summary: `${d.label}已印发`,
    elements: [...rows, note('全文见随后发送的 Word 文件。对某条作出批示，点该条下的“批示”；也可发送“查看 稿件编号”阅读全文。')],
  });
}

const LEVEL_OPTIONS = [
  { text: '县级领导', value: 'county' },
  { text: '市级领导', value: 'city' },
  { text: '省级领导', value: 'province' },
  { text: '中央领导', value: 'central' },
];

/** The 批示 form for one piece. */
export function endorseFormCard(d: { draftId: number; serial: string; title: string; unitNames: string[]; leaderName: string }): Card {
  return card({
    title: '领导批示',
    subtitle: `《${d.title}》`,
    template: 'red',
    summary: `批示：《${d.title}》`,
    elements: [
      markdown(`${d.serial} · ${escapeMd(d.unitNames.join('、'))}`),
      form('endorse', [
        input({ name: 'text', label: '批示内容', placeholder: '例如：此做法很好，请组织部总结推广。', required: true, multiline: true, maxLength: 500 }),
        input({ name: 'by', label: '批示领导', placeholder: '批示领导姓名及职务', maxLength: 60, defaultValue: d.leaderName }),
        selectStatic({ name: 'level', required: true, placeholder: '批示领导级别', width: 'fill', initial: 'county', options: LEVEL_OPTIONS }),
        submitButton({ name: 'endorse_submit', text: '记录批示', type: 'primary', value: SIGNOFF_ACTIONS.endorse.value({ draft: d.draftId }) }),
      ]),
      note('记录后按积分规则计分，并告知作者和所在单位。'),
    ],
  });
}
