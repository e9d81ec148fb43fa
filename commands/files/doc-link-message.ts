import { NOT_IN_ROSTER_TEXT } from '../../domain/roster/permissions.js';
import type { MessageEvent } from '../../bot/events.js';
import { messageText } from '../../bot/message-text.js';
import type { Deps, MessageHandler } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import type { Who } from '../../db/queries/roster.js';
import { GROUP_DRAFT_REFUSAL, NOT_OFFICER_TEXT, offerCandidate } from '../../domain/drafts/intake.js';
import { charCount, MIN_CANDIDATE_CHARS } from '../../domain/drafts/text.js';
import { readCloudDoc } from '../../domain/files/cloud-doc.js';
import { findDocLinks, textAroundLinks, type DocLink } from '../../domain/files/doc-links.js';

type Prepared = { kind: 'refuse'; text: string } | { kind: 'doc'; title: string | undefined; paragraphs: string[] };

/**
 * The document links of a message and the text around them. A post carries a link's address in
 * `href` and only its label (often the document's title) in the text: a document link is written
 * as its address, spaced off from its neighbours, and other links as their labels.
 */
function linksOf(event: MessageEvent): { links: DocLink[]; text: string } {
  const { title, paragraphs } = messageText(event, (href, label) => (findDocLinks(href).length ? ` ${href} ` : label));
  const text = [title ?? '', ...paragraphs].join('\n');
  const links = findDocLinks(text);
  const unique = [...new Map(links.map((l) => [`${l.kind}:${l.token}`, l])).values()];
  return { links: unique, text };
}

/** A cloud-document link with little else around it: the documents feature reads the document. */
export function isDocLinkMessage(event: MessageEvent): boolean {
  if (event.messageType !== 'text' && event.messageType !== 'post') return false;
  const { links, text } = linksOf(event);
  // Asked of every message, and most have no link: the text around links only when there is one.
  return links.length > 0 && charCount(textAroundLinks(text)) < MIN_CANDIDATE_CHARS;
}

/**
 * A message that is essentially just a link to a Feishu document (新版文档 or 知识库): the
 * document's text becomes a draft candidate. Listed before the drafts feature's text handler, and
 * precise: a long text that merely mentions a link is a draft in its own right, left to that handler.
 */
export const docLinkMessageHandler: MessageHandler<Prepared> = {
  name: 'draft-doc-link',
  accepts: isDocLinkMessage,

  async prepare(event: MessageEvent, deps: Deps, who: Who): Promise<Prepared> {
    if (event.chatType === 'group') return { kind: 'refuse', text: GROUP_DRAFT_REFUSAL };
    if (!who.known) return { kind: 'refuse', text: NOT_IN_ROSTER_TEXT };
    if (who.officerUnits.length === 0) return { kind: 'refuse', text: NOT_OFFICER_TEXT };
    const { links } = linksOf(event);
    if (links.length > 1) throw new UserError('一次只能提交一篇文档：请每条消息只发一个文档链接。', 'user:doc_many');
    const doc = await readCloudDoc(deps.lark, links[0]!);
    deps.log.info({ kind: links[0]!.kind, paragraphs: doc.paragraphs.length }, 'cloud document read');
    return { kind: 'doc', ...doc };
  },

  async handle(ctx, p) {
    if (p.kind === 'refuse') {
      await ctx.reply(p.text);
      return;
    }
    await offerCandidate(ctx, { title: p.title, paragraphs: p.paragraphs, sourceType: 'cloud_doc' });
  },
};
