import type { DraftView } from '../domain/drafts/views.js';
import { splitBody } from '../domain/drafts/text.js';
import { ORIGINAL_FILE } from './draft-parts.js';
import { charsLabel, stateTag, stateTemplate, when } from './draft-parts.js';
import { revisionLabel } from '../domain/drafts/text.js';
import { button, buttonRow, card, cardBytes, CARD_BUDGET_BYTES, collapsible, escapeMd, fields, markdown, note, type Card, type Element } from './elements.js';
import { asFindings, findingsSection } from './review-findings.js';
import { SIGNOFF_ACTIONS } from './desk-signoff.js';

export type HistoryLine = { at: Date; actorName: string; text: string };

export type DraftFullData = {
  view: DraftView;
  history: HistoryLine[];
  /** The piece it was adopted into, with the text as printed when it differs from the officer's. */
  item?: { label: string; title: string; body: string; version: number; editorNote: string | null };
  canEndorse: boolean;
  canGetOriginal: boolean;
  timezone: string;
};

function textMd(title: string, body: string): string {
  return [`**${escapeMd(title)}**`, ...splitBody(body).map(escapeMd)].join('\n\n');
}

/** `查看`: a whole draft, its findings, its history and (once adopted) the edited text. */
export function draftFullCard(d: DraftFullData): Card {
  const { draft, revision } = d.view;
  for (const full of [true, false]) {
    const elements: (Element | false | undefined)[] = [
      fields([
        ['编号', draft.serial],
        ['单位', d.view.unitName],
        ['作者', d.view.authorName],
        ['稿次', revisionLabel(revision.revision)],
        ['分类', draft.category],
        ['字数', charsLabel(revision.charCount)],
      ]),
      full
        ? collapsible(`**信息员原稿全文**（${revisionLabel(revision.revision)}，${charsLabel(revision.charCount)}）`, [markdown(textMd(revision.title, revision.body))], true)
        : note('全文超出卡片容量，请点“获取原文件”或发送“编审 稿件编号”查看。'),
      d.item &&
        collapsible(
          `**刊用稿**（${d.item.label}，第${d.item.version}版）`,
          [d.item.editorNote ? markdown(`编者按：${escapeMd(d.item.editorNote)}`) : undefined, markdown(full ? textMd(d.item.title, d.item.body) : escapeMd(d.item.title))].filter(Boolean) as Element[],
        ),
      findingsSection(asFindings(revision.checks), 8),
      collapsible('**稿件经历**', [markdown(d.history.map((h) => `${when(h.at, d.timezone)} · ${escapeMd(h.actorName)} · ${escapeMd(h.text)}`).join('\n') || '暂无记录')]),
      buttonRow([
        d.canGetOriginal && Boolean(revision.blobSha256) && button({ text: '获取原文件', value: ORIGINAL_FILE.value({ draftId: draft.id, rev: revision.revision }) }),
        d.canEndorse && button({ text: '批示', type: 'primary', value: SIGNOFF_ACTIONS.endorseForm.value({ draft: draft.id }) }),
      ]),
    ];
    const c = card({
      title: `稿件 ${draft.serial}`,
      subtitle: `《${revision.title}》`,
      template: stateTemplate(draft.state),
      tags: [stateTag(draft.state)],
      summary: `稿件 ${draft.serial}`,
      elements,
    });
    if (!full || cardBytes(c) <= CARD_BUDGET_BYTES) return c;
  }
  throw new Error('unreachable');
}
