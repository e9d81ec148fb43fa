import type { MessageHandler } from '../../bot/handlers.js';
import type { MessageEvent } from '../../bot/events.js';
import { messageText } from '../../bot/message-text.js';
import type { Who } from '../../db/queries/roster.js';
import { offerCandidate, offerCandidates, type CandidateInput } from '../../domain/drafts/intake.js';
import { isDocLinkMessage } from '../files/doc-link-message.js';
import { charCount, MIN_CANDIDATE_CHARS } from '../../domain/drafts/text.js';

function looksLikeDraft(text: string): boolean {
  return charCount(text.replace(/\s+/g, '')) >= MIN_CANDIDATE_CHARS;
}

function candidateInput(event: MessageEvent): CandidateInput {
  const { title, paragraphs } = messageText(event);
  return { title, paragraphs, sourceType: event.messageType === 'post' ? 'post' : 'text' };
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
  inline: true,
  accepts(event: MessageEvent, who: Who) {
    if (event.messageType !== 'text' && event.messageType !== 'post') return false;
    // A cloud-document link with little else is the documents feature's, which reads the document.
    if (isDocLinkMessage(event)) return false;
    const text = textOf(event);
    if (event.chatType === 'group') return looksLikeDraft(text);
    if (!who.known || who.officerUnits.length > 0) return true;
    // A reviewer or leader pasting a draft is told who may submit; editors' chat belongs to the desk.
    return !who.editor && looksLikeDraft(text);
  },
  async handle(ctx) {
    await offerCandidate(ctx, candidateInput(ctx.event));
  },
  async handleMany(ctxs) {
    await offerCandidates(ctxs.map((ctx) => ({ ctx, input: candidateInput(ctx.event) })));
  },
};
