import type { Notice } from '../domain/notices.js';
import { chunkParagraphs, splitBody } from '../domain/drafts/text.js';
import { draftConfirmCard, draftConfirmClosedCard } from './draft-confirm.js';
import { adoptedNoticeCard, declinedNoticeText, recognizedNoticeText, publishedGroupText, publishedNoticeText } from './desk-notices.js';
import { editNoticeCard } from './desk-edit.js';
import { publishedLeaderCard } from './desk-signoff.js';
import { approvedNoticeCard, handOnNoticeCard, noReviewerNoticeCard, returnedNoticeCard } from './draft-notices.js';
import { revisionLabel } from '../domain/drafts/text.js';
import { draftReceiptCard } from './draft-receipt.js';
import { excerpt, type Card } from './elements.js';
import { reviewCard } from './review-card.js';
import { topicBoardCard } from './topic-board.js';

/** Characters per text message when a draft is too long for its card (a Lark text may be 150 KB). */
const FULL_TEXT_CHUNK_CHARS = 10_000;

/**
 * The messages that say a notice, in order: a card or a text, then for a review card too long to
 * hold the draft, the full text in private text messages. Only the first is ever tracked or patched.
 */
export function drawNotice(n: Notice, timezone: string): [Card | string, ...string[]] {
  switch (n.kind) {
    case 'draft.confirm': {
      const { kind: _, body, ...input } = n;
      return [draftConfirmCard({ ...input, excerpt: excerpt(splitBody(body).join(' '), 120), timezone })];
    }
    case 'draft.confirmClosed':
      return [draftConfirmClosedCard(n)];
    case 'draft.review': {
      const { card, fullTextInCard } = reviewCard(n.view, timezone);
      return [card, ...(fullTextInCard ? [] : fullTextMessages(n.view))];
    }
    case 'draft.receipt':
      return [draftReceiptCard(n.view, timezone)];
    case 'draft.approved':
      return [approvedNoticeCard(n.view, timezone)];
    case 'draft.handOn':
      return [handOnNoticeCard(n.view, timezone)];
    case 'draft.returned':
      return [returnedNoticeCard(n.view, timezone)];
    case 'draft.noReviewer':
      return [noReviewerNoticeCard(n.view)];
    case 'draft.adopted':
      return [adoptedNoticeCard(n)];
    case 'draft.recognized':
      return [recognizedNoticeText(n)];
    case 'draft.declined':
      return [declinedNoticeText(n)];
    case 'draft.edited':
      return [editNoticeCard({ ...n, timezone })];
    case 'issue.publishedToLeader':
      return [publishedLeaderCard(n)];
    case 'issue.publishedToGroup':
      return [publishedGroupText(n)];
    case 'issue.publishedToUnit':
      return [publishedNoticeText(n)];
    case 'topic.board':
      return [topicBoardCard(n.view, timezone)];
  }
}

/** The whole text as private text messages, for a draft too long for any card. Never to a group. */
function fullTextMessages(v: Extract<Notice, { kind: 'draft.review' }>['view']): string[] {
  const chunks = chunkParagraphs([v.revision.title, ...splitBody(v.revision.body)].filter(Boolean), FULL_TEXT_CHUNK_CHARS);
  return chunks.map((chunk, i) => `【${v.draft.serial} ${revisionLabel(v.revision.revision)} 全文${chunks.length > 1 ? ` ${i + 1}/${chunks.length}` : ''}】\n${chunk}`);
}
