import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import type { DraftView } from '../domain/drafts/views.js';
import { button, card, escapeMd, excerpt, fields, markdown, note, type Card } from './elements.js';
import { charsLabel, nextStep, stateTag, stateTemplate, titleOrPlaceholder, when } from './draft-parts.js';
import { revisionLabel } from '../domain/drafts/text.js';
import type { ReceiptProgress } from '../domain/drafts/receipt-progress.js';
import { KIND_LABELS, LEVEL_LABELS } from '../domain/scoring/types.js';
import { chineseDate } from '../bot/time.js';
import { recognitionOpenButton } from './desk-recognition.js';
import { asFindings, findingsSection } from './review-findings.js';

/** `list`: tapped on 我的稿件, the page to redraw (the receipt otherwise). */
export const RECEIPT_ACTIONS = {
  withdraw: actionSpec('draft.withdraw', z.object({ draftId: id(), rev: id(), list: id().optional() })),
};

/**
 * The officer's receipt for one submitted revision: serial, state and who acts next. It is patched
 * as the draft moves on; 撤回 is offered only while this revision waits for review.
 */
export function draftReceiptCard(v: DraftView, timezone: string): Card {
  const { draft, revision } = v;
  const current = revision.revision === draft.currentRevision;
  // An earlier revision's receipt tells its own ending, not the state of a later revision.
  const state = current ? draft.state : v.outcome?.action === 'return' ? 'returned' : draft.state;
  const pending = current && draft.state === 'pending_review';
  const outcome = v.outcome;
  const outcomeLine = !outcome
    ? undefined
    : outcome.action === 'approve'
      ? `**审核意见**：${escapeMd(outcome.actorName)} 于 ${when(outcome.at, timezone)} 审核通过。`
      : outcome.action === 'return'
        ? `**退回理由**（${escapeMd(outcome.actorName)}，${when(outcome.at, timezone)}）：${escapeMd(outcome.reason ?? '')}`
        : `您已于 ${when(outcome.at, timezone)} 撤回这篇稿件。`;
  return card({
    title: `稿件回执 · ${draft.serial}`,
    subtitle: `${excerpt(titleOrPlaceholder(revision.title), 40)}`,
    template: stateTemplate(state),
    tags: [stateTag(state)],
    summary: `稿件 ${draft.serial} ${stateTag(state).text}`,
    elements: [
      fields([
        ['编号', draft.serial],
        ['稿次', revisionLabel(revision.revision)],
        ['标题', excerpt(titleOrPlaceholder(revision.title), 100)],
        ['分类', draft.category],
        ['状态', stateTag(state).text],
        ['下一步', current ? nextStep(draft.state, v.reviewers, v.authorName) : `已提交${revisionLabel(draft.currentRevision)}`],
        ['提交时间', when(revision.createdAt, timezone)],
        ['字数', charsLabel(revision.charCount)],
      ]),
      outcomeLine !== undefined && markdown(outcomeLine),
      current && v.progress && progressSection(v.progress),
      pending && findingsSection(asFindings(revision.checks), 8),
      pending &&
        button({
          text: '撤回',
          type: 'danger',
          value: RECEIPT_ACTIONS.withdraw.value({ draftId: draft.id, rev: revision.revision }),
          confirm: { title: '撤回稿件', text: `确定撤回 ${draft.serial} 吗？撤回后组织委员将不再审核这篇稿件。` },
        }),
      pending && note('审核结果会在这里更新，并另行通知您。发送“我的稿件”可查看全部稿件。'),
      // Once it passed review it may be taken up by a higher level: report that from here.
      current && (draft.state === 'approved' || draft.state === 'adopted') && recognitionOpenButton(draft.id),
    ],
  });
}

/** The steps after review, so the receipt stays true: adopted into which issue, recognitions, points. */
function progressSection(p: ReceiptProgress) {
  const lines: string[] = [];
  if (p.issue) lines.push(`- 编入${p.issue.label}第${p.issue.position}条${p.issue.merged ? '（综合稿）' : ''}`);
  for (const r of p.recognitions) {
    lines.push(`- ${chineseDate(r.occurredOn)} ${LEVEL_LABELS[r.level]}${KIND_LABELS[r.kind]}${r.outlet ? `（${escapeMd(r.outlet)}）` : ''}`);
  }
  if (!lines.length && p.points === 0) return undefined;
  lines.push(`- 本单位已得 ${p.points} 分`);
  return markdown(`**后续进展**\n${lines.join('\n')}`);
}
