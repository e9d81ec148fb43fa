import { notInRosterText } from '../../bot/dispatcher.js';
import type { MessageEvent } from '../../bot/events.js';
import type { Deps, MessageHandler } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import type { Who } from '../../db/queries/roster.js';
import { GROUP_DRAFT_REFUSAL, NOT_OFFICER_TEXT, offerCandidate } from '../../domain/drafts/intake.js';
import { charCount, MIN_CANDIDATE_CHARS } from '../../domain/drafts/text.js';
import { readCloudDoc } from '../../domain/files/cloud-doc.js';
import { findDocLinks, textAroundLinks, type DocLink } from '../../domain/files/doc-links.js';

type Prepared = { kind: 'refuse'; text: string } | { kind: 'doc'; title: string | undefined; paragraphs: string[] };

type PostNode = { tag?: string; text?: string; href?: string };

/**
 * The strings of a text or post message, hrefs included: a post carries a link's address in
 * `href` and only its label (often the document's title) in the text.
 */
function messageStrings(event: MessageEvent): string[] {
  if (event.messageType === 'text') return [String(event.content.text ?? '').replace(/@_user_\d+|@_all/g, '')];
  if (event.messageType !== 'post') return [];
  let post = event.content as { title?: string; content?: PostNode[][] };
  if (!Array.isArray(post.content)) {
    const inner = Object.values(event.content).find((v) => v && typeof v === 'object' && Array.isArray((v as { content?: unknown }).content));
    if (inner) post = inner as typeof post;
  }
  const out: string[] = [];
  for (const para of post.content ?? []) {
    for (const n of para ?? []) {
      if (n.tag === 'a' && n.href) out.push(findDocLinks(n.href).length ? n.href : `${n.text ?? ''}`);
      else if (n.tag === 'text' && n.text) out.push(n.text);
    }
  }
  return out;
}

function linksOf(event: MessageEvent): { links: DocLink[]; rest: string } {
  const strings = messageStrings(event);
  const links = strings.flatMap(findDocLinks);
  const unique = [...new Map(links.map((l) => [`${l.kind}:${l.token}`, l])).values()];
  return { links: unique, rest: strings.map(textAroundLinks).join('') };
}

/**
 * A message that is essentially just a link to a Feishu document (新版文档 or 知识库): the
 * document's text becomes a draft candidate. Listed before the drafts feature's text handler, and
 * precise: a long text that merely mentions a link is a draft in its own right, left to that handler.
 */
export const docLinkMessageHandler: MessageHandler<Prepared> = {
  name: 'draft-doc-link',
  accepts(event: MessageEvent) {
    if (event.messageType !== 'text' && event.messageType !== 'post') return false;
    const { links, rest } = linksOf(event);
    return links.length > 0 && charCount(rest) < MIN_CANDIDATE_CHARS;
  },

  async prepare(event: MessageEvent, deps: Deps, who: Who): Promise<Prepared> {
    if (event.chatType === 'group') return { kind: 'refuse', text: GROUP_DRAFT_REFUSAL };
    if (!who.known) return { kind: 'refuse', text: notInRosterText() };
    if (who.officerUnits.length === 0) return { kind: 'refuse', text: NOT_OFFICER_TEXT };
    const { links } = linksOf(event);
    if (links.length > 1) throw new UserError('一次只能报送一篇文档：请每条消息只发一个文档链接。', 'user:doc_many');
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
