import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { chineseDateTime } from '../bot/time.js';
import type { BoardRow, BoardView } from '../domain/topics/board-data.js';
import { topicCode } from '../domain/topics/code.js';
import { UNIT_STATE_LABELS } from '../domain/topics/unit-state.js';
import { TOPIC_LINK_ACTIONS } from './topic-link.js';
import { button, buttonRow, card, escapeMd, fields, hr, markdown, note, type Card, type HeaderTemplate } from './elements.js';

export const CLAIM_ACTION = actionSpec('topic.claim', z.object({ t: id() }));

/**
 * The topic as posted in the work group, patched in place as units claim and answer. It never shows
 * draft text or titles (rule: no draft text in the group), only each unit's progress.
 */
export function topicBoardCard(view: BoardView, timezone: string): Card {
  const { topic, counts } = view;
  const closed = topic.status === 'closed';
  const status = closed ? '已关闭' : view.deadlinePassed ? '已截止' : '征集中';
  const template: HeaderTemplate = closed ? 'grey' : view.deadlinePassed ? 'orange' : 'blue';
  const code = topicCode(topic.id);
  return card({
    title: `【点题 ${code}】${topic.title}`,
    subtitle: `截止 ${chineseDateTime(topic.deadline, timezone)}`,
    template,
    tags: [{ text: status, color: closed ? 'neutral' : view.deadlinePassed ? 'orange' : 'blue' }],
    summary: `点题 ${code}：${topic.title}`,
    elements: [
      fields([
        ['截止时间', chineseDateTime(topic.deadline, timezone)],
        ['类别', topic.category],
        ['面向单位', topic.allUnits ? `全部单位（${counts.total} 个）` : `${counts.total} 个单位`],
        ['每单位篇数', topic.piecesPerUnit ? `${topic.piecesPerUnit} 篇` : '不限'],
      ]),
      topic.brief.trim() ? markdown(`**点题说明**\n${escapeMd(topic.brief.trim())}`) : null,
      hr(),
      markdown(
        `**进度**：已提交 ${counts.answered}/${counts.total} 个单位 · 已报研究室 ${counts.approved} · 已采用 ${counts.adopted}` +
          (view.deadlinePassed ? ` · 逾期 ${counts.overdue}` : ` · 已认领待提交 ${counts.claimed}`),
      ),
      markdown(view.rows.map((r) => rowLine(r, topic.piecesPerUnit)).join('\n') || '（暂无目标单位）'),
      closed
        ? note('本点题已关闭，不再接收稿件。')
        : note(
            view.deadlinePassed
              ? '已过截止时间，此后提交的稿件记为逾期。'
              : `信息员点“认领”即由本单位承写；写好后私聊发给我，提交审核时选择 ${code}。已提交的稿件点“关联稿件”补关联。`,
          ),
      closed
        ? null
        : buttonRow([
            button({ text: '认领', type: 'primary', value: CLAIM_ACTION.value({ t: topic.id }) }),
            button({ text: '关联稿件', value: TOPIC_LINK_ACTIONS.pick.value({ t: topic.id }) }),
          ]),
    ],
  });
}

function rowLine(r: BoardRow, wanted: number | null): string {
  let line = `${escapeMd(r.unitName)}：${UNIT_STATE_LABELS[r.state]}`;
  if (r.state === 'claimed' && r.claimedBy) line += `（${escapeMd(r.claimedBy)}）`;
  if (r.pieces > 0) line += ` ${r.pieces}${wanted ? `/${wanted}` : ''} 篇`;
  if (r.outcome === 'late') line += '（逾期提交）';
  return `- ${line}`;
}
