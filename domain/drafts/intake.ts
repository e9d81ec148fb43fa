import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { MessageContext } from '../../bot/handlers.js';
import type { Notification } from '../../bot/unit-of-work.js';
import { cardMessages, draftCandidates, draftRevisions, drafts, revisionIntents, type Draft, type SourceType } from '../../db/schema/index.js';
import { bodyChars, charCount, joinBody, MIN_CANDIDATE_CHARS, splitTitle } from './text.js';
import { PURPOSES } from './routing.js';
import { NOT_IN_ROSTER_TEXT } from '../roster/permissions.js';
import { openTopicsForUnits } from '../topics/open-topics.js';
import { insertRows } from '../../db/insert-rows.js';

/** What the bot says in a group when someone posts a draft there: never a word of the draft itself. */
export const GROUP_DRAFT_REFUSAL =
  '稿件请不要发在群里。请私聊我（点我的头像，发消息），把稿件全文发给我，确认后即提交本单位组织委员审核。';

export const NOT_OFFICER_TEXT =
  '只有信息员可以提交稿件。如需提交稿件，请联系县委组织部研究室，在名册中把您设为所在单位的信息员。';

function tooShortText(sourceType: SourceType, fileName: string | undefined, chars: number): string {
  if (sourceType !== 'text' && sourceType !== 'post') {
    return `从${fileName ? `“${fileName}”` : '这份文件'}中只读到 ${chars} 个字，不足以作为一篇稿件，未提交。请检查文件内容，或把正文直接发给我。`;
  }
  return '这条消息太短，不像是一篇稿件，未提交。\n提交稿件：把稿件全文直接发给我，第一行写标题，第二行起写正文（也可以发送 Word、PDF 文件或云文档链接）。发送“帮助”可查看全部命令。';
}

export type CandidateInput = { title: string | undefined; paragraphs: string[]; sourceType: SourceType; fileName?: string; blobSha256?: string };

/**
 * A message (or a file, or a cloud document, after the caller extracted its text) that may be a
 * draft. Nothing becomes a draft here: a candidate row is stored and the officer is asked to
 * confirm it. Callers: the drafts message handler, and the files/documents feature.
 *
 * One candidate per inbound message (keyed by its message_id): a second call for the same message
 * does nothing. `title` undefined means "take the first line". Checks the sender's role itself, so a
 * caller may pass anything it extracted; it answers the sender in every case.
 */
export async function offerCandidate(ctx: MessageContext, input: CandidateInput): Promise<void> {
  await offerCandidates([{ ctx, input }]);
}

/**
 * offerCandidate for messages handled together (a burst of drafts from many chats, in one
 * transaction): the same answers, with the reads and writes of all of them in a few statements.
 * The contexts share one unit of work.
 */
export async function offerCandidates(items: { ctx: MessageContext; input: CandidateInput }[]): Promise<void> {
  const offers: { ctx: MessageContext; input: CandidateInput; title: string; paragraphs: string[]; body: string; chars: number }[] = [];
  for (const { ctx, input } of items) {
    const { who, event } = ctx;
    if (event.chatType === 'group') await ctx.reply(GROUP_DRAFT_REFUSAL);
    else if (!who.known) await ctx.reply(NOT_IN_ROSTER_TEXT);
    else if (who.officerUnits.length === 0) await ctx.reply(NOT_OFFICER_TEXT);
    else {
      const { title, paragraphs } = splitTitle(input);
      const chars = charCount(title) + bodyChars(paragraphs);
      if (chars < MIN_CANDIDATE_CHARS || paragraphs.length === 0) await ctx.reply(tooShortText(input.sourceType, input.fileName, chars));
      else offers.push({ ctx, input, title, paragraphs, body: joinBody(paragraphs), chars });
    }
  }
  const [first] = offers;
  if (!first) return;
  const { tx, deps } = first.ctx;
  const revisions = await pendingRevisionsOf(offers.map((o) => o.ctx));
  const now = deps.clock.now();
  const unitIds = offers.map((o, i) => revisions[i]?.unitId ?? o.ctx.who.officerUnits[0]!.id);
  // The candidates and the units' open topics (nearest deadline first; a revision keeps the topic it
  // already has) do not depend on each other: issued together, they share one round trip.
  const [candidates, topics] = await Promise.all([
    insertRows(
      tx,
      draftCandidates,
      offers.map(({ ctx, input, title, body }, i) => ({
        openId: ctx.who.openId,
        unitId: unitIds[i]!,
        sourceMessageId: ctx.event.messageId,
        draftId: revisions[i]?.id ?? null,
        title,
        body,
        sourceType: input.sourceType,
        fileName: input.fileName ?? null,
        blobSha256: input.blobSha256 ?? null,
        createdAt: now,
      })),
      sql`on conflict (source_message_id) do nothing returning id, source_message_id`,
    ),
    openTopicsForUnits(
      tx,
      unitIds.filter((_, i) => !revisions[i]),
      now,
    ),
  ]);
  const bySource = new Map(candidates.map((c) => [String(c.source_message_id), { id: Number(c.id) }]));
  const notices: Notification[] = [];
  for (const [i, { ctx, input, title, paragraphs, body, chars }] of offers.entries()) {
    const candidate = bySource.get(ctx.event.messageId);
    if (!candidate) continue; // this message was offered already
    const revisionOf = revisions[i];
    if (revisionOf) await supersedeRevisionCandidates(ctx, revisionOf.id, candidate.id);
    const notice = {
      kind: 'draft.confirm' as const,
      candidateId: candidate.id,
      title,
      body,
      chars: bodyChars(paragraphs),
      paragraphs: paragraphs.length,
      sourceLabel: input.fileName ? `文件“${input.fileName}”` : input.sourceType === 'cloud_doc' ? '云文档' : undefined,
      revisionOf: revisionOf ? { serial: revisionOf.serial, nextRevision: revisionOf.currentRevision + 1, category: revisionOf.category } : undefined,
      units: revisionOf ? undefined : ctx.who.officerUnits.map((u) => ({ id: u.id, name: u.name })),
      topics: revisionOf ? [] : topics.get(unitIds[i]!)!,
    };
    notices.push({ to: { openId: ctx.who.openId }, notice, track: { purpose: PURPOSES.confirm, entityType: 'draft_candidate', entityId: candidate.id } });
    ctx.log.info({ candidateId: candidate.id, chars, paragraphs: paragraphs.length, revisionOf: revisionOf?.serial }, 'draft candidate offered');
  }
  await first.ctx.notifyAll(notices);
}

/**
 * For each officer's message, the returned draft they are revising, if it can still be revised: the
 * one whose return notice the message replies to (text or file, no serial to type), else the one
 * they tapped 提交修改稿 on. A stale intent (the draft moved on meanwhile) is dropped and the text is
 * taken as a new draft. The intents of all of them are read in one query.
 */
async function pendingRevisionsOf(ctxs: MessageContext[]): Promise<(Draft | undefined)[]> {
  const { tx } = ctxs[0]!;
  const replied = await Promise.all(ctxs.map((ctx) => repliedReturnNotice(ctx)));
  const asking = ctxs.filter((_, i) => !replied[i]).map((ctx) => ctx.who.openId);
  const intents = asking.length ? await tx.select().from(revisionIntents).where(sql`${revisionIntents.openId} = any(${sql.param(asking)}::text[])`) : [];
  return Promise.all(
    ctxs.map(async (ctx, i) => {
      if (replied[i]) return replied[i];
      const intent = intents.find((r) => r.openId === ctx.who.openId);
      if (!intent) return undefined;
      const [draft] = await tx.select().from(drafts).where(eq(drafts.id, intent.draftId));
      if (draft && draft.state === 'returned' && draft.authorOpenId === ctx.who.openId) return draft;
      await tx.delete(revisionIntents).where(eq(revisionIntents.openId, ctx.who.openId));
      return undefined;
    }),
  );
}

/**
 * The returned draft whose return notice this message replies to. Lark gives the message replied to
 * (parent_id) and the first of the chain (root_id); either may be the notice when the officer replies
 * within a thread. Only the author's own draft, and only while it is returned.
 */
async function repliedReturnNotice(ctx: MessageContext): Promise<Draft | undefined> {
  const ids = [ctx.event.parentId, ctx.event.rootId].filter((x): x is string => Boolean(x));
  if (ids.length === 0) return undefined;
  const [row] = await ctx.tx
    .select({ draft: drafts })
    .from(cardMessages)
    .innerJoin(draftRevisions, eq(draftRevisions.id, sql`${cardMessages.entityId}::int`))
    .innerJoin(drafts, eq(drafts.id, draftRevisions.draftId))
    .where(and(inArray(cardMessages.messageId, ids), eq(cardMessages.purpose, PURPOSES.returnNotice), eq(cardMessages.entityType, 'draft_revision')));
  const draft = row?.draft;
  return draft && draft.state === 'returned' && draft.authorOpenId === ctx.who.openId ? draft : undefined;
}

/** Only the latest text sent as a revision can be confirmed; earlier ones are closed. */
async function supersedeRevisionCandidates(ctx: MessageContext, draftId: number, keepId: number) {
  const older = await ctx.tx
    .update(draftCandidates)
    .set({ status: 'superseded', decidedAt: ctx.deps.clock.now() })
    .where(and(eq(draftCandidates.draftId, draftId), eq(draftCandidates.status, 'open'), ne(draftCandidates.id, keepId)))
    .returning();
  for (const c of older) {
    await ctx.redraw([{ track: { purpose: PURPOSES.confirm, entityType: 'draft_candidate', entityId: c.id }, notice: { kind: 'draft.confirmClosed', title: c.title, outcome: 'superseded' } }]);
  }
}
