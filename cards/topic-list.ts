import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { chineseDateTime } from '../bot/time.js';
import type { BoardView } from '../domain/topics/board-data.js';
import { topicCode } from '../domain/topics/code.js';
import { UNIT_STATE_LABELS } from '../domain/topics/unit-state.js';
import { button, buttonRow, card, escapeMd, form, listRow, markdown, note, submitButton, type Card, type Element } from './elements.js';

export const TOPIC_ACTIONS = {
  extend: actionSpec('topic.extend', z.object({ topicId: id() })),
  close: actionSpec('topic.close', z.object({ topicId: id() })),
};

/** One topic with the editor's controls: 关闭 (confirmed) beside it, 延期 to a deadline from the picker. */
function topicWithControls(v: BoardView, text: string): Element[] {
  const code = topicCode(v.topic.id);
  return [
    listRow(
      text,
      button({
        text: '关闭',
        type: 'danger',
        value: TOPIC_ACTIONS.close.value({ topicId: v.topic.id }),
        confirm: { title: `关闭 ${code}`, text: `确定结束点题 ${code}“${v.topic.title}”的征集吗？关闭后不再接收稿件。` },
      }),
    ),
    form(`topic_${v.topic.id}`, [
      buttonRow([
        // Component names are unique across the card, so each topic's picker carries its id.
        { tag: 'picker_datetime', name: `deadline_${v.topic.id}`, required: true, placeholder: { tag: 'plain_text', content: '新的截止时间' } },
        submitButton({ name: `extend_${v.topic.id}`, text: '延期', type: 'default', value: TOPIC_ACTIONS.extend.value({ topicId: v.topic.id }) }),
      ]),
    ]),
  ];
}

/** 点题 for an editor (or leader): every open topic with its counts; editors also get its controls. */
export function topicOverviewCard(views: BoardView[], timezone: string, more: number, o: { editor: boolean }): Card {
  const line = (v: BoardView) => {
    const c = v.counts;
    const tail = v.deadlinePassed ? `已截止 · 逾期 ${c.overdue}` : `已认领待提交 ${c.claimed}`;
    return `**${topicCode(v.topic.id)}** ${escapeMd(v.topic.title)}\n截止 ${chineseDateTime(v.topic.deadline, timezone)} · 已提交 ${c.answered}/${c.total} · 已报研究室 ${c.approved} · 已采用 ${c.adopted} · ${tail}`;
  };
  return card({
    title: '进行中的点题',
    template: 'blue',
    summary: `进行中的点题 ${views.length} 个`,
    elements: [
      ...(views.length
        ? o.editor
          ? views.flatMap((v) => topicWithControls(v, line(v)))
          : [markdown(views.map(line).join('\n\n'))]
        : [markdown('目前没有进行中的点题。发“点题”可以发布新点题。')]),
      more > 0 ? note(`另有 ${more} 个更早的点题未列出。`) : null,
      o.editor && views.length > 0 && note('选好新的截止时间后点“延期”，相关单位会收到通知；也可发送“延期 T12 2026-12-08 18:00”“关闭 T12”。'),
    ],
  });
}

/** 点题 for an officer or reviewer: the open topics for their units, with each unit's state. */
export function topicUnitListCard(items: { view: BoardView; unitIds: number[] }[], timezone: string): Card {
  return card({
    title: '本单位的点题',
    template: 'blue',
    summary: `本单位的点题 ${items.length} 个`,
    elements: [
      items.length
        ? markdown(
            items
              .map(({ view, unitIds }) => {
                const states = view.rows
                  .filter((r) => unitIds.includes(r.unitId))
                  .map((r) => `${escapeMd(r.unitName)}：${UNIT_STATE_LABELS[r.state]}${r.pieces ? ` ${r.pieces} 篇` : ''}`)
                  .join('；');
                const when = view.deadlinePassed ? `已于 ${chineseDateTime(view.topic.deadline, timezone)} 截止，现在提交记为逾期` : `截止 ${chineseDateTime(view.topic.deadline, timezone)}`;
                return `**${topicCode(view.topic.id)}** ${escapeMd(view.topic.title)}\n${when} · ${states}`;
              })
              .join('\n\n'),
          )
        : markdown('目前没有面向本单位的点题。'),
      note('写好稿件后私聊发给我，提交审核时选择对应的点题；已提交的稿件可发“关联 稿件编号 T12”补关联。'),
    ],
  });
}
