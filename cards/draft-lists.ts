import { z } from 'zod';
import { actionSpec, id, type ActionSpec } from '../bot/declare.js';
import type { MyDraftRow, Page, PendingRow } from '../domain/drafts/lists.js';
import { button, buttonRow, card, escapeMd, excerpt, markdown, note, type Card, type Element, listRow } from './elements.js';
import { recognitionOpenButton } from './desk-recognition.js';
import { NOTICE_ACTIONS } from './draft-notices.js';
import { RECEIPT_ACTIONS } from './draft-receipt.js';
import { stateTag, titleOrPlaceholder, when } from './draft-parts.js';
import { chineseLocalDate } from '../bot/time.js';
import { revisionLabel } from '../domain/drafts/text.js';

/** The value of a list's 上一页/下一页: the page to show (the first when missing). */
export const PAGE_ARGS = z.object({ page: id().optional() });

export const LIST_ACTIONS = {
  mine: actionSpec('drafts.mine', PAGE_ARGS),
  pending: actionSpec('drafts.pending', PAGE_ARGS),
  resend: actionSpec('draft.resend', z.object({ draftId: id() })),
  /** 查看: the draft whole, as `查看 2026-0137` shows it. */
  view: actionSpec('draft.view', z.object({ draftId: id() })),
} as const;

/** 上一页/下一页 buttons calling back `action` with the page; nothing when one page holds all. */
export function pager(p: Page, action: ActionSpec<typeof PAGE_ARGS>): Element | undefined {
  const pages = p.pages;
  if (pages <= 1) return undefined;
  return buttonRow([
    p.page > 1 && button({ text: '上一页', value: action.value({ page: p.page - 1 }) }),
    p.page < pages && button({ text: '下一页', value: action.value({ page: p.page + 1 }) }),
  ]);
}

/**
 * 我的稿件: an officer's drafts, newest first, a page at a time; each with what its author can do
 * now, so that nobody types a serial: 查看 always, 撤回 while it waits, 提交修改稿 when returned,
 * 登记上级采用 once it passed review. 撤回 and 提交修改稿 redraw this page (`list`).
 */
export function myDraftsCard(rows: MyDraftRow[], p: Page, timezone: string): Card {
  const items: Element[] = rows.map((r) =>
    listRow(
      `\`${r.serial}\` ${escapeMd(excerpt(titleOrPlaceholder(r.title), 30))}　**${stateTag(r.state).text}**\n<font color='grey'>${r.category} · ${revisionLabel(r.revision)} · ${chineseLocalDate(r.submittedAt, timezone)}</font>`,
      buttonRow([
        button({ text: '查看', value: LIST_ACTIONS.view.value({ draftId: r.draftId }) }),
        r.state === 'pending_review' &&
          button({
            text: '撤回',
            type: 'danger',
            value: RECEIPT_ACTIONS.withdraw.value({ draftId: r.draftId, rev: r.revision, list: p.page }),
            confirm: { title: '撤回稿件', text: `确定撤回 ${r.serial} 吗？撤回后组织委员将不再审核这篇稿件。` },
          }),
        r.state === 'returned' && button({ text: '提交修改稿', type: 'primary', value: NOTICE_ACTIONS.revise.value({ draftId: r.draftId, rev: r.revision, list: p.page }) }),
        (r.state === 'approved' || r.state === 'adopted') && recognitionOpenButton(r.draftId),
      ]),
    ),
  );
  return card({
    title: '我的稿件',
    subtitle: `共 ${p.total} 篇 · 第 ${p.page}/${p.pages} 页`,
    template: 'blue',
    elements: [
      ...(items.length ? items : [markdown('您还没有提交过稿件。把稿件全文直接发给我即可提交审核。')]),
      pager(p, LIST_ACTIONS.mine),
    ],
  });
}


/** 待审: drafts of the reviewer's units waiting for review, oldest first, each with its card on demand. */
export function pendingReviewsCard(rows: PendingRow[], p: Page, timezone: string): Card {
  const items: Element[] = rows.map((r) =>
    listRow(
      `\`${r.serial}\` ${escapeMd(excerpt(titleOrPlaceholder(r.title), 30))}\n<font color='grey'>${escapeMd(r.unitName)} · ${escapeMd(r.authorName)} · ${revisionLabel(r.revision)} · ${when(r.submittedAt, timezone)}</font>`,
      button({ text: '发送审核卡片', type: 'primary', value: LIST_ACTIONS.resend.value({ draftId: r.draftId }) }),
    ),
  );
  return card({
    title: '待审稿件',
    subtitle: `共 ${p.total} 篇 · 第 ${p.page}/${p.pages} 页`,
    template: p.total ? 'orange' : 'green',
    elements: [
      ...(items.length ? items : [markdown('没有待审核的稿件。')]),
      pager(p, LIST_ACTIONS.pending),
      items.length > 0 && note('点“发送审核卡片”会重新发给您这篇稿件的审核卡片。'),
    ],
  });
}
