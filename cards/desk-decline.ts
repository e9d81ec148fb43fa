import type { Draft } from '../db/schema/index.js';
import { DESK_ACTIONS, type DeskState } from './desk-queue.js';
import { button, buttonRow, card, escapeMd, form, input, markdown, selectStatic, submitButton, type Card } from './elements.js';

/** Not adopting asks for a disposition (备用 or 不采用) and a reason the officer will read. */
export function declineCard(o: { draft: Draft; unitName: string; state: DeskState }): Card {
  const { draft } = o;
  const options = [
    ...(draft.state === 'archived' ? [] : [{ text: '备用（存入备用稿，以后仍可采用）', value: 'reserve' }]),
    { text: '不采用', value: 'rejected' },
  ];
  return card({
    title: `不采用：《${draft.title}》`,
    template: 'orange',
    summary: `不采用 ${draft.serial}`,
    elements: [
      markdown(`${draft.serial} · ${escapeMd(o.unitName)} · ${draft.category}\n原因会告知提交稿件的信息员。`),
      form('decline', [
        selectStatic({ name: 'disposition', options, placeholder: '处理方式', required: true, initial: options[0]!.value, width: 'fill' }),
        input({ name: 'reason', label: '原因', placeholder: '例如：与本期主题重复，建议补充具体数据', required: true, multiline: true, maxLength: 500 }),
        submitButton({ name: 'decline_submit', text: '确认不采用', type: 'danger', value: DESK_ACTIONS.decline.value({ id: draft.id, ...o.state }) }),
      ]),
      buttonRow([button({ text: '返回待编稿件', value: DESK_ACTIONS.page.value(o.state) })]),
    ],
  });
}
