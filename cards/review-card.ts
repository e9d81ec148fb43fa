import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import type { DraftView, Outcome } from '../domain/drafts/views.js';
import { diffParagraphs } from '../domain/drafts/paragraph-diff.js';
import { splitBody } from '../domain/drafts/text.js';
import {
  button,
  buttonRow,
  card,
  cardBytes,
  CARD_BUDGET_BYTES,
  collapsible,
  escapeMd,
  excerpt,
  fields,
  form,
  hr,
  input,
  markdown,
  note,
  selectStatic,
  submitButton,
  type Card,
  type Element,
} from './elements.js';
import { charsLabel, stateTag, stateTemplate, titleOrPlaceholder, when } from './draft-parts.js';
import { revisionLabel } from '../domain/drafts/text.js';
import { asFindings, findingsSection } from './review-findings.js';
import { diffSection } from './review-diff.js';
import { ORIGINAL_FILE } from './draft-parts.js';

/** Callback ids of the review card's buttons (the drafts feature maps them to actions). */
/** Every button of the card carries the revision it was drawn for. */
const REVISION = z.object({ draftId: id(), rev: id() });
type Revision = z.input<typeof REVISION>;

export const REVIEW_ACTIONS = {
  approve: actionSpec('draft.approve', REVISION),
  returnForm: actionSpec('draft.return_form', REVISION),
  returnBack: actionSpec('draft.return_back', REVISION),
  return: actionSpec('draft.return', REVISION),
  handoffForm: actionSpec('draft.handoff_form', REVISION),
  transfer: actionSpec('draft.transfer', REVISION),
  cosign: actionSpec('draft.cosign', REVISION),
};

/**
 * `actions`: the reviewer may decide. `returning`: the 退回 form (only on the card of the reviewer who
 * tapped 退回). `closed`: the revision's review is over; the card says how, and has no buttons.
 */
export type ReviewMode = 'actions' | 'returning' | 'closed' | 'handoff';

/** People a reviewer may 转交 to or ask to 加签 (shown in the `handoff` mode's picker). */
export type HandoffOptions = { candidates: { openId: string; name: string }[] };

export function reviewModeOf(v: DraftView): ReviewMode {
  return v.draft.state === 'pending_review' && v.revision.revision === v.draft.currentRevision ? 'actions' : 'closed';
}

type Layout = { fullText: boolean; excerptChars: number; diffChars: number; maxFindings: number };

/** Progressively smaller layouts: the first that fits the card budget is used. */
const LAYOUTS: Layout[] = [
  { fullText: true, excerptChars: 200, diffChars: 6000, maxFindings: 15 },
  { fullText: false, excerptChars: 200, diffChars: 6000, maxFindings: 15 },
  { fullText: false, excerptChars: 100, diffChars: 2000, maxFindings: 8 },
  { fullText: false, excerptChars: 60, diffChars: 600, maxFindings: 3 },
];

/**
 * The review card for one revision, as large as the card budget allows. `fullTextInCard` is false
 * when the text did not fit: the caller then sends the full text to the reviewer separately.
 */
export function reviewCard(
  v: DraftView,
  timezone: string,
  mode: ReviewMode = reviewModeOf(v),
  handoff?: HandoffOptions,
): { card: Card; fullTextInCard: boolean } {
  let last: Card | undefined;
  for (const layout of LAYOUTS) {
    last = build(v, timezone, mode, layout, handoff);
    if (cardBytes(last) <= CARD_BUDGET_BYTES) return { card: last, fullTextInCard: layout.fullText };
  }
  return { card: last!, fullTextInCard: false };
}

function build(v: DraftView, timezone: string, mode: ReviewMode, layout: Layout, handoff?: HandoffOptions): Card {
  const { draft, revision } = v;
  const paragraphs = splitBody(revision.body);
  const closedState = mode === 'closed' ? closedStateOf(v) : 'pending_review';
  const value: Revision = { draftId: draft.id, rev: revision.revision };
  const elements: (Element | false | undefined)[] = [
    fields([
      ['编号', draft.serial],
      ['稿次', revisionLabel(revision.revision)],
      ['标题', excerpt(titleOrPlaceholder(revision.title), 100)],
      ['单位', v.unitName],
      ['作者', v.authorName],
      ['分类', draft.category],
      ['提交时间', when(revision.createdAt, timezone)],
      ['字数', charsLabel(revision.charCount)],
    ]),
    markdown(`**正文节选**\n${escapeMd(excerpt(paragraphs.join(' '), layout.excerptChars)) || '（正文为空）'}`),
    findingsSection(asFindings(revision.checks), layout.maxFindings),
    v.previous &&
      diffSection(
        diffParagraphs({ title: v.previous.title, paragraphs: splitBody(v.previous.body) }, { title: revision.title, paragraphs }),
        v.previous.revision,
        layout.diffChars,
      ),
    layout.fullText
      ? collapsible(`**查看全文**（${charsLabel(revision.charCount)}）`, [markdown(fullTextMarkdown(revision.title, paragraphs))])
      : note(`全文共 ${charsLabel(revision.charCount)}，超出卡片容量，已另行私信发送。`),
    // Only revisions sent as a file have an original to hand over.
    Boolean(revision.blobSha256) && button({ text: '获取原文件', value: ORIGINAL_FILE.value(value) }),
    hr(),
    handoffSection(v, timezone),
    ...(mode === 'handoff' ? handoffArea(value, handoff) : decisionArea(v, mode, timezone, value)),
  ];
  return card({
    title: `稿件审核 · ${draft.serial}`,
    subtitle: `${v.unitName} · ${v.authorName} · ${revisionLabel(revision.revision)}`,
    template: stateTemplate(closedState),
    tags: [stateTag(closedState)],
    summary: `稿件审核 ${draft.serial}`,
    elements,
  });
}

function decisionArea(v: DraftView, mode: ReviewMode, timezone: string, value: Revision): Element[] {
  if (mode === 'actions') {
    return [
      buttonRow([
        button({ text: '通过', type: 'primary_filled', value: REVIEW_ACTIONS.approve.value(value) }),
        button({ text: '退回', type: 'danger', value: REVIEW_ACTIONS.returnForm.value(value) }),
        button({ text: '转交/加签', type: 'default', value: REVIEW_ACTIONS.handoffForm.value(value) }),
      ]),
    ];
  }
  if (mode === 'returning') {
    return [
      form('return_form', [
        input({ name: 'reason', label: '退回理由（必填，将告知信息员）', placeholder: '例如：标题不够精炼；第二段数据请核实', required: true, multiline: true, maxLength: 500 }),
        submitButton({ name: 'confirm_return', text: '确认退回', type: 'danger', value: REVIEW_ACTIONS.return.value(value) }),
      ]),
      button({ text: '取消', type: 'text', value: REVIEW_ACTIONS.returnBack.value(value) }),
    ];
  }
  return [markdown(outcomeText(v.outcome, v, timezone))];
}

const HANDOFF_TEXT = { transfer: '转交', cosign: '加签', pass: '通过' } as const;

/** 转交 and 加签 on this revision, in order: who handed it to whom, and where a 加签 stands. */
function handoffSection(v: DraftView, timezone: string): Element | undefined {
  const lines = (v.handoffs ?? []).map((h) => {
    const at = when(h.at, timezone);
    if (h.kind === 'pass') return `- ${escapeMd(h.fromName)} 已通过，待加签人审核（${at}）`;
    const state = h.kind === 'cosign' ? (h.status === 'pending' ? '，待其审核' : h.status === 'done' ? '，已通过' : '，已取消') : '';
    return `- ${escapeMd(h.fromName)} ${HANDOFF_TEXT[h.kind]}给 ${escapeMd(h.toName)}${state}（${at}）`;
  });
  return lines.length ? markdown(`**转交与加签**\n${lines.join('\n')}`) : undefined;
}

/** 转交 hands the draft to the chosen person; 加签 asks them to pass it too before it goes on. */
function handoffArea(value: Revision, handoff?: HandoffOptions): Element[] {
  const candidates = handoff?.candidates ?? [];
  if (!candidates.length) {
    return [markdown('本单位没有其他组织委员，也没有研究室人员可以转交或加签。'), button({ text: '返回', type: 'text', value: REVIEW_ACTIONS.returnBack.value(value) })];
  }
  return [
    form('handoff_form', [
      markdown('**选择人员**（本单位其他组织委员或研究室）'),
      selectStatic({ name: 'to', options: candidates.map((c) => ({ text: c.name, value: c.openId })), placeholder: '选择转交或加签的人', required: true, width: 'fill' }),
      note('转交：由对方审核这篇稿件。加签：对方也审核通过后，稿件才报研究室。'),
      buttonRow([
        submitButton({ name: 'confirm_transfer', text: '确认转交', type: 'primary', value: REVIEW_ACTIONS.transfer.value(value) }),
        submitButton({ name: 'confirm_cosign', text: '确认加签', type: 'primary', value: REVIEW_ACTIONS.cosign.value(value) }),
      ]),
    ]),
    button({ text: '返回', type: 'text', value: REVIEW_ACTIONS.returnBack.value(value) }),
  ];
}

/** The state a closed card shows: this revision's own outcome, not later history of the draft. */
function closedStateOf(v: DraftView) {
  if (v.outcome?.action === 'approve') return 'approved' as const;
  if (v.outcome?.action === 'return') return 'returned' as const;
  if (v.outcome?.action === 'withdraw') return 'withdrawn' as const;
  return v.draft.state;
}

export function outcomeText(o: Outcome | undefined, v: DraftView, timezone: string): string {
  if (!o) return `**当前状态**：${stateTag(v.draft.state).text}`;
  const at = when(o.at, timezone);
  const later = v.revision.revision < v.draft.currentRevision ? `\n信息员已提交${revisionLabel(v.draft.currentRevision)}，请在新的审核卡片上审核。` : '';
  switch (o.action) {
    case 'approve':
      return `<font color='green'>**已审核通过**</font>　${escapeMd(o.actorName)} · ${at}\n已转研究室。`;
    case 'return':
      return `<font color='orange'>**已退回**</font>　${escapeMd(o.actorName)} · ${at}\n**退回理由**：${escapeMd(o.reason ?? '')}${later}`;
    case 'withdraw':
      return `**已撤回**　信息员 ${escapeMd(o.actorName)} 于 ${at} 撤回了这篇稿件，无需审核。`;
  }
}

/** The text as it reads, title first; markdown characters escaped so the text shows literally. */
function fullTextMarkdown(title: string, paragraphs: string[]): string {
  return [title ? `**${escapeMd(title)}**` : '', ...paragraphs.map(escapeMd)].filter(Boolean).join('\n\n');
}
