import { formatLocalDate } from '../bot/time.js';
import type { BulletinIssue } from '../db/schema/index.js';
import type { IssueItemView } from '../domain/desk/issues.js';
import { button, buttonRow, card, escapeMd, form, hr, markdown, note, selectStatic, submitButton, type Card, type Element } from './elements.js';

export const ISSUE_ACTIONS = {
  open: 'issue.open',
  move: 'issue.move',
  publish: 'issue.publish',
  export: 'issue.export',
} as const;

export function issueCard(o: { bulletinName: string; issue: BulletinIssue; label: string; items: IssueItemView[]; timezone: string }): Card {
  const { issue } = o;
  const open = issue.status === 'open';
  const rows: Element[] = [];
  // Buttons under every item would pass the card's 200-element limit on a long issue.
  const buttons = open && o.items.length > 1 && o.items.length <= MAX_ITEMS_WITH_BUTTONS;
  o.items.forEach((it, i) => {
    rows.push(
      markdown(
        `**${it.position}. 《${escapeMd(it.title)}》**${it.kind === 'merged' ? '（综合）' : ''}\n` +
          `${escapeMd(it.unitNames.join('、'))} · ${it.category} · ${it.sources.map((s) => s.serial).join('、')}`,
      ),
    );
    if (buttons) {
      rows.push(
        buttonRow([
          i > 0 && button({ text: '上移', type: 'text', value: { a: ISSUE_ACTIONS.move, item: it.id, to: it.position - 1 } }),
          i < o.items.length - 1 && button({ text: '下移', type: 'text', value: { a: ISSUE_ACTIONS.move, item: it.id, to: it.position + 1 } }),
        ]),
      );
    }
  });
  if (open && o.items.length > MAX_ITEMS_WITH_BUTTONS) rows.push(moveForm(o.items));
  const status = open ? `未发布 · 已编 ${o.items.length} 条` : `${formatLocalDate(issue.publishedAt!, o.timezone)} 发布 · 共 ${o.items.length} 条`;
  return card({
    title: `《${o.bulletinName}》${o.label}`,
    subtitle: status,
    template: open ? 'indigo' : 'green',
    summary: `${o.label}：${status}`,
    elements: [
      ...(rows.length ? rows : [markdown('本期还没有稿件。在“待编稿件”中采用稿件即编入本期。')]),
      hr(),
      buttonRow([
        open &&
          button({
            text: '印发本期',
            type: 'primary',
            value: { a: ISSUE_ACTIONS.publish, issue: issue.id },
            confirm: { title: `发布${o.label}`, text: '发布后本期内容和日期即固定，并通知入选单位的信息员和组织委员。确定发布？' },
          }),
        button({ text: '导出 Word', value: { a: ISSUE_ACTIONS.export, issue: issue.id } }),
      ]),
      note(open ? '顺序即刊印顺序，可在此调整。' : `发送“导出信息 ${issue.year}年第${issue.number}期”可再次导出。`),
    ],
  });
}

const MAX_ITEMS_WITH_BUTTONS = 10;

function moveForm(items: IssueItemView[]): Element {
  return form('move', [
    selectStatic({ name: 'item', placeholder: '移动哪一条', required: true, width: 'fill', options: items.map((it) => ({ text: `${it.position}. ${it.title}`.slice(0, 60), value: String(it.id) })) }),
    selectStatic({ name: 'to', placeholder: '移到第几条', required: true, width: 'fill', options: items.map((it) => ({ text: `第 ${it.position} 条`, value: String(it.position) })) }),
    submitButton({ name: 'move_submit', text: '调整顺序', value: { a: ISSUE_ACTIONS.move } }),
  ]);
}

export function noOpenIssueCard(o: { bulletinName: string; lastLabel: string | undefined }): Card {
  return card({
    title: `《${o.bulletinName}》`,
    template: 'grey',
    summary: '当前没有正在编辑的一期信息',
    elements: [
      markdown(`当前没有正在编辑的一期信息${o.lastLabel ? `，最近一期为 ${o.lastLabel}` : ''}。在“待编稿件”中采用稿件时会自动开启下一期，也可以现在开启。`),
      buttonRow([button({ text: '开启下一期', type: 'primary', value: { a: ISSUE_ACTIONS.open } })]),
      note('查看某一期：发送“本期信息 2026年第12期”，本年的也可以写“本期信息 第12期”。'),
    ],
  });
}
