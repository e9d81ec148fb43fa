import type { MessageHandler } from '../../bot/handlers.js';
import type { MessageEvent } from '../../bot/events.js';
import { messageText } from '../../bot/message-text.js';
import type { Who } from '../../db/queries/roster.js';
import { offerCandidate } from '../../domain/drafts/intake.js';
import { charCount, MIN_CANDIDATE_CHARS } from '../../domain/drafts/text.js';

const DOC_LINK = String.raw`https?:\/\/\S*(feishu|larksuite|larkoffice)\S*\/(docx|docs|wiki)\/\S+`;

/** A cloud-document link with little else is for the documents feature, which reads the document. */
function isDocLink(text: string): boolean {
  if (!new RegExp(DOC_LINK, 'i').test(text)) return false;
  return charCount(text.replace(new RegExp(DOC_LINK, 'gi'), '').replace(/\s+/g, '')) < MIN_CANDIDATE_CHARS;
}

function looksLikeDraft(text: string): boolean {
  return charCount(text.replace(/\s+/g, '')) >= MIN_CANDIDATE_CHARS;
}

function textOf(event: MessageEvent): string {
  const { title, paragraphs } = messageText(event);
  return [title, ...paragraphs].filter(Boolean).join('\n');
}

/**
 * Text and rich-text (post) messages that may be drafts. In a private chat it takes every such
 * message from officers and strangers (strangers learn how to join the roster; short texts get a
 * hint); in the group only draft-sized ones, to refuse them. Other roles' chat is left to others.
 */
export const draftMessageHandler: MessageHandler = {
  name: 'draft-text',
  accepts(event: MessageEvent, who: Who) {
    if (event.messageType !== 'text' && event.messageType !== 'post') return false;
    const text = textOf(event);
    if (isDocLink(text)) return false;
    if (event.chatType === 'group') return looksLikeDraft(text);
    if (!who.known || who.officerUnits.length > 0) return true;
    // A reviewer or leader pasting a draft is told who may submit; editors' chat belongs to the desk.
    return !who.editor && looksLikeDraft(text);
  },
  async handle(ctx) {
    const { title, paragraphs } = messageText(ctx.event);
    await offerCandidate(ctx, { title, paragraphs, sourceType: ctx.event.messageType === 'post' ? 'post' : 'text' });
  },
};
