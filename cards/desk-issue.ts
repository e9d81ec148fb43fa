import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { chineseLocalDate } from '../bot/time.js';
import type { BulletinIssue } from '../db/schema/index.js';
import type { IssueItemView } from '../domain/desk/issues.js';
import { button, buttonRow, card, escapeMd, form, hr, input, markdown, note, selectStatic, submitButton, type Card, type Element } from './elements.js';
import { editButton } from './desk-edit.js';

export const ISSUE_ACTIONS = {
  /** `pub`: which publication's next issue (the only one when left out). */
  open: actionSpec('issue.open', z.object({ pub: id().optional() })),
  /** 上移/下移 carry the item and target; the compact form of a long issue sends both as fields. */
  move: actionSpec('issue.move', z.object({ item: id().optional(), to: id().optional() })),
  publish: actionSpec('issue.publish', z.object({ issue: id() })),
  export: actionSpec('issue.export', z.object({ issue: id() })),
  /** `rev`: the revision the editor saw (informational; the sign-off records the current one). */
  submit: actionSpec('issue.submit', z.object({ issue: id(), rev: id().optional() })),
  note: actionSpec('issue.note', z.object({ issue: id() })),
};

/** Where the issue stands with its signers, in words, and what the editor may do next. */
export type IssueSignLine = { text: string; canSubmit: boolean; canPublish: boolean };

export function issueCard(o: { bulletinName: string; issue: BulletinIssue; label: string; items: IssueItemView[]; timezone: string; sign?: IssueSignLine }): Card {
  const { issue } = o;
  const open = issue.status === 'open';
  const rows: Element[] = [];
  // Buttons under every item would pass the card's 200-element limit on a long issue.
  const buttons = open && o.items.length <= MAX_ITEMS_WITH_BUTTONS;
  o.items.forEach((it, i) => {
    rows.push(
      markdown(
        `**${it.position}. 《${escapeMd(it.title)}》**${it.kind === 'merged' ? '（综合）' : ''}\n` +
          `${escapeMd(it.unitNames.join('、'))} · ${it.category} · ${it.sources.map((s) => s.serial).join('、')}${it.version > 1 ? ` · 已编审（第${it.version}版）` : ''}` +
          (it.editorNote ? `\n编者按：${escapeMd(it.editorNote)}` : ''),
      ),
    );
    if (buttons) {
      rows.push(
        buttonRow([
          editButton(it.id),
          i > 0 && button({ text: '上移', type: 'text', value: ISSUE_ACTIONS.move.value({ item: it.id, to: it.position - 1 }) }),
          i < o.items.length - 1 && button({ text: '下移', type: 'text', value: ISSUE_ACTIONS.move.value({ item: it.id, to: it.position + 1 }) }),
        ]),
      );
    }
  });
  if (open && o.items.length > MAX_ITEMS_WITH_BUTTONS) rows.push(moveForm(o.items));
  const status = open ? `未印发 · 已编 ${o.items.length} 条` : `${chineseLocalDate(issue.publishedAt!, o.timezone)} 印发 · 共 ${o.items.length} 条`;
  const sign = o.sign;
  return card({
    title: `《${o.bulletinName}》${o.label}`,
    subtitle: status,
    template: open ? 'indigo' : 'green',
    summary: `${o.label}：${status}`,
    elements: [
      issue.editorNote ? markdown(`**本期编者按**：${escapeMd(issue.editorNote)}`) : undefined,
      ...(rows.length ? rows : [markdown('本期还没有稿件。在“待编稿件”中采用稿件即编入本期。')]),
      hr(),
      sign && markdown(`**签发**：${escapeMd(sign.text)}`),
      open &&
        o.items.length > 0 &&
        form('issue_note', [
          input({ name: 'note', label: '本期编者按（可选）', placeholder: '写在本期第一条之前的编者按', multiline: true, maxLength: 300, defaultValue: issue.editorNote ?? '' }),
          submitButton({ name: 'note_submit', text: '保存编者按', value: ISSUE_ACTIONS.note.value({ issue: issue.id }) }),
        ]),
      buttonRow([
        open && sign?.canSubmit && button({ text: '送审', type: 'primary', value: ISSUE_ACTIONS.submit.value({ issue: issue.id, rev: issue.revision }) }),
        open &&
          sign?.canPublish &&
          button({
            text: '印发',
            type: 'primary_filled',
            value: ISSUE_ACTIONS.publish.value({ issue: issue.id }),
            confirm: { title: `印发${o.label}`, text: '印发后本期内容和日期即固定，并按配置通知部领导、入选单位和工作群。确定印发？' },
          }),
        button({ text: '导出 Word', value: ISSUE_ACTIONS.export.value({ issue: issue.id }) }),
      ]),
      note(open ? '顺序即刊印顺序，可在此调整。编审后送审，部领导签发后方可印发。' : `发送“导出信息 ${issue.year}年第${issue.number}期”可再次导出。`),
    ],
  });
}

const MAX_ITEMS_WITH_BUTTONS = 10;

function moveForm(items: IssueItemView[]): Element {
  return form('move', [
    selectStatic({ name: 'item', placeholder: '移动哪一条', required: true, width: 'fill', options: items.map((it) => ({ text: `${it.position}. ${it.title}`.slice(0, 60), value: String(it.id) })) }),
    selectStatic({ name: 'to', placeholder: '移到第几条', required: true, width: 'fill', options: items.map((it) => ({ text: `第 ${it.position} 条`, value: String(it.position) })) }),
    submitButton({ name: 'move_submit', text: '调整顺序', value: ISSUE_ACTIONS.move.value({}) }),
  ]);
}

export function noOpenIssueCard(o: { bulletinName: string; publicationId: number; lastLabel: string | undefined }): Card {
  return card({
    title: `《${o.bulletinName}》`,
    template: 'grey',
    summary: '当前没有正在编辑的一期信息',
    elements: [
      markdown(`当前没有正在编辑的一期信息${o.lastLabel ? `，最近一期为 ${o.lastLabel}` : ''}。在“待编稿件”中采用稿件时会自动开启下一期，也可以现在开启。`),
      buttonRow([button({ text: '开启下一期', type: 'primary', value: ISSUE_ACTIONS.open.value({ pub: o.publicationId }) })]),
      note('查看某一期：发送“本期信息 2026年第12期”，本年的也可以写“本期信息 第12期”。'),
    ],
  });
}
