import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import type { DraftView } from '../domain/drafts/views.js';
import { button, card, escapeMd, excerpt, fields, markdown, note, type Card } from './elements.js';
import { titleOrPlaceholder, when } from './draft-parts.js';
import { revisionLabel } from '../domain/drafts/text.js';

/** `list`: tapped on 我的稿件, the page to redraw (the notice otherwise). */
export const NOTICE_ACTIONS = {
  revise: actionSpec('draft.revise', z.object({ draftId: id(), rev: id(), list: id().optional() })),
};

/** To the officer: the reviewer approved; the draft has gone to the research office. */
export function approvedNoticeCard(v: DraftView, timezone: string): Card {
  const o = v.outcome;
  return card({
    title: `稿件已通过审核 · ${v.draft.serial}`,
    template: 'green',
    summary: `稿件 ${v.draft.serial} 已通过审核`,
    elements: [
      fields([
        ['编号', v.draft.serial],
        ['稿次', revisionLabel(v.revision.revision)],
        ['标题', excerpt(titleOrPlaceholder(v.revision.title), 100)],
        ['审核人', o?.actorName ?? ''],
        ['通过时间', o ? when(o.at, timezone) : ''],
        ['下一步', '已转县委组织部研究室'],
      ]),
      note('研究室编审后会再通知您。'),
    ],
  });
}

/**
 * To the officer: the reviewer returned the draft, with the reason. 提交修改稿 makes the next text
 * they send the new revision of this draft; once sent, the button goes away.
 */
export function returnedNoticeCard(v: DraftView, timezone: string, o: { revising?: boolean } = {}): Card {
  const outcome = v.outcome;
  const revised = v.draft.currentRevision > v.revision.revision;
  const canRevise = !revised && v.draft.state === 'returned';
  return card({
    title: `稿件被退回 · ${v.draft.serial}`,
    template: 'orange',
    summary: `稿件 ${v.draft.serial} 被退回，请修改`,
    elements: [
      fields([
        ['编号', v.draft.serial],
        ['稿次', revisionLabel(v.revision.revision)],
        ['标题', excerpt(titleOrPlaceholder(v.revision.title), 100)],
        ['退回人', outcome ? `${outcome.actorName}（${when(outcome.at, timezone)}）` : ''],
      ]),
      markdown(`**退回理由**\n${escapeMd(outcome?.reason ?? '')}`),
      revised
        ? markdown(`已提交修改稿（${revisionLabel(v.draft.currentRevision)}）。`)
        : canRevise && o.revising
          ? markdown('**请直接把修改后的全文发给我**（第一行为标题），我会请您确认后提交。')
          : canRevise
            ? button({ text: '提交修改稿', type: 'primary', value: NOTICE_ACTIONS.revise.value({ draftId: v.draft.id, rev: v.revision.revision }) })
            : undefined,
      canRevise && note('也可以直接回复本消息，发修改后的全文或 Word 文件。修改稿沿用原编号，组织委员会看到与上一稿相比的改动。'),
    ],
  });
}

/** To the research office: an approved draft is theirs now (the desk itself is another feature). */
export function handOnNoticeCard(v: DraftView, timezone: string): Card {
  return card({
    title: `新稿件待编审 · ${v.draft.serial}`,
    template: 'turquoise',
    summary: `${v.unitName} 稿件 ${v.draft.serial} 已通过审核`,
    elements: [
      fields([
        ['编号', v.draft.serial],
        ['单位', v.unitName],
        ['标题', excerpt(titleOrPlaceholder(v.revision.title), 100)],
        ['分类', v.draft.category],
        ['作者', v.authorName],
        ['审核', v.outcome ? `${v.outcome.actorName} · ${when(v.outcome.at, timezone)}` : ''],
      ]),
    ],
  });
}

/** To the research office: a unit without a reviewer received a draft that nobody can review. */
export function noReviewerNoticeCard(v: DraftView): Card {
  return card({
    title: '稿件无人审核',
    template: 'red',
    elements: [
      markdown(
        `${escapeMd(v.unitName)} 提交了稿件 **${v.draft.serial}**，但名册中该单位没有组织委员，稿件无人审核。请在名册中为该单位设置组织委员后重新导入。`,
      ),
    ],
  });
}
