import { and, asc, desc, eq } from 'drizzle-orm';
import { UserError } from '../../bot/errors.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { holdersOf } from '../../db/queries/roster.js';
import {
  bulletinIssues,
  bulletinItems,
  bulletinItemVersions,
  draftRevisions,
  drafts,
  issueSignoffs,
  type BulletinIssue,
  type BulletinItem,
  type IssueSignoff,
  type ItemVersionSource,
} from '../../db/schema/index.js';
import { diffParagraphs } from '../drafts/paragraph-diff.js';
import { splitBody, splitTitle } from '../drafts/text.js';
import { nameOf } from '../drafts/views.js';
import { recordAudit } from '../drafts/transition.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { issueItems, issueLabel, issueLabelFor } from './issues.js';
import { lockDesk } from './lock.js';

/** Longest 编者按 (a few sentences, printed in italics before the piece or the issue). */
export const MAX_NOTE_CHARS = 300;
const MAX_TITLE = 60;

export type SignState =
  | { kind: 'none' }
  | { kind: 'pending'; signoff: IssueSignoff }
  | { kind: 'returned'; signoff: IssueSignoff }
  | { kind: 'signed'; signoff: IssueSignoff }
  /** The latest sign-off saw an earlier revision: the issue changed after it was sent or signed. */
  | { kind: 'stale'; signoff: IssueSignoff };

export async function latestSignoff(db: DbOrTx, issueId: number): Promise<IssueSignoff | undefined> {
  const [row] = await db.select().from(issueSignoffs).where(eq(issueSignoffs.issueId, issueId)).orderBy(desc(issueSignoffs.id)).limit(1);
  return row;
}

export async function signStateOf(db: DbOrTx, issue: BulletinIssue): Promise<SignState> {
  const s = await latestSignoff(db, issue.id);
  if (!s || s.status === 'superseded') return { kind: 'none' };
  if (s.revision !== issue.revision) return { kind: 'stale', signoff: s };
  if (s.status === 'signed') return { kind: 'signed', signoff: s };
  if (s.status === 'returned') return { kind: 'returned', signoff: s };
  return { kind: 'pending', signoff: s };
}

/**
 * Records that the issue's content changed (adopt, move, edit, 编者按): the revision goes up, which by
 * itself voids a signature or a pending preview made at the old revision. Returns whether a signature
 * was voided, so the editor can be told. The caller holds the desk lock.
 */
export async function touchIssue(tx: Tx, o: { issueId: number; actor: string; now: Date; what: string }): Promise<{ issue: BulletinIssue; voided: boolean }> {
  const [before] = await tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, o.issueId));
  const state = await signStateOf(tx, before!);
  const [issue] = await tx
    .update(bulletinIssues)
    .set({ revision: before!.revision + 1 })
    .where(eq(bulletinIssues.id, o.issueId))
    .returning();
  const voided = state.kind === 'signed';
  if (voided) {
    await recordAudit(tx, {
      at: o.now,
      actor: o.actor,
      entityType: 'bulletin_issue',
      entityId: o.issueId,
      action: 'issue.signature_void',
      fromState: 'signed',
      toState: 'open',
      reason: o.what,
      data: { signoffId: state.signoff.id, revision: issue!.revision },
    });
  }
  return { issue: issue!, voided };
}

export const VOIDED_TEXT = '本期已签发，此次修改使签发作废，印发前需重新送审。';

async function lockedOpenItem(tx: Tx, itemId: number): Promise<{ item: BulletinItem; issue: BulletinIssue }> {
  await lockDesk(tx);
  const [item] = await tx.select().from(bulletinItems).where(eq(bulletinItems.id, itemId)).for('update');
  if (!item) throw new UserError('找不到这一条。');
  const [issue] = await tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, item.issueId));
  if (issue!.status !== 'open') throw new UserError(`${issueLabel(issue!)}已印发，不能再修改。`, 'user:conflict');
  return { item, issue: issue! };
}

/** The piece changed since the card the editor worked on: the caller shows the new text. */
export class ItemChangedError extends UserError {
  constructor(
    readonly item: BulletinItem,
    editorName: string,
  ) {
    super(`这一条已被 ${editorName} 修改（现为第${item.version}版），您的修改未保存。请在最新内容上重新修改。`, 'user:conflict');
  }
}

export type EditInput = {
  itemId: number;
  /** The version the editor's card showed; a mismatch means someone else edited meanwhile. */
  baseVersion?: number;
  title?: string;
  /** Body paragraphs, one a line. */
  body?: string;
  /** undefined: unchanged; '' removes the note. */
  note?: string;
  source: Exclude<ItemVersionSource, 'adopted'>;
  fileName?: string;
  blobSha256?: string;
  actor: string;
};

/**
 * An editorial version of an adopted piece: the new title, body and 编者按 become the item's text,
 * the version is kept, the issue's revision goes up, and the authors and their units' reviewers are
 * told what changed against their own text (for a 综合稿, against the previous version).
 */
export async function editItem(ctx: UnitOfWork, o: EditInput) {
  const now = ctx.deps.clock.now();
  const { item, issue } = await lockedOpenItem(ctx.tx, o.itemId);
  if (o.baseVersion !== undefined && o.baseVersion !== item.version) {
    throw new ItemChangedError(item, await nameOf(ctx.tx, await lastEditor(ctx.tx, item)));
  }
  const title = o.title === undefined ? item.title : o.title.trim();
  const body = o.body === undefined ? item.body : normalizeBody(o.body);
  const note = o.note === undefined ? item.editorNote : o.note.trim() || null;
  if (!title) throw new UserError('标题不能为空，本次修改未保存。');
  if ([...title].length > MAX_TITLE) throw new UserError(`标题请控制在${MAX_TITLE}字以内，本次修改未保存。`);
  if (!body) throw new UserError('正文不能为空，本次修改未保存。');
  if (note && [...note].length > MAX_NOTE_CHARS) throw new UserError(`编者按请控制在${MAX_NOTE_CHARS}字以内，本次修改未保存。`);
  const textChanged = title !== item.title || body !== item.body;
  if (!textChanged && note === item.editorNote) throw new UserError('内容与当前版本相同，没有需要保存的修改。');

  const previous = { title: item.title, body: item.body, version: item.version };
  if (item.version === 1) {
    const [v1] = await ctx.tx.select().from(bulletinItemVersions).where(and(eq(bulletinItemVersions.itemId, item.id), eq(bulletinItemVersions.version, 1)));
    if (!v1) {
      await ctx.tx.insert(bulletinItemVersions).values({
        itemId: item.id,
        version: 1,
        title: item.title,
        body: item.body,
        editorNote: item.editorNote,
        source: 'adopted',
        editedBy: item.adoptedBy,
        editedAt: item.adoptedAt,
      });
    }
  }
  const version = item.version + 1;
  await ctx.tx.insert(bulletinItemVersions).values({
    itemId: item.id,
    version,
    title,
    body,
    editorNote: note,
    source: o.source,
    fileName: o.fileName ?? null,
    blobSha256: o.blobSha256 ?? null,
    editedBy: o.actor,
    editedAt: now,
  });
  const [updated] = await ctx.tx.update(bulletinItems).set({ title, body, editorNote: note, version }).where(eq(bulletinItems.id, item.id)).returning();
  const { issue: touched, voided } = await touchIssue(ctx.tx, { issueId: issue.id, actor: o.actor, now, what: `第${item.position}条修改` });
  await recordAudit(ctx.tx, {
    at: now,
    actor: o.actor,
    entityType: 'bulletin_item',
    entityId: item.id,
    action: 'item.edit',
    data: { issueId: issue.id, version, source: o.source, titleChanged: title !== previous.title, bodyChanged: body !== previous.body, noteChanged: note !== item.editorNote, chars: [...body].length },
  });
  if (textChanged) await notifyEdit(ctx, { item: updated!, issue: touched, previous, editorName: await nameOf(ctx.tx, o.actor), at: now });
  ctx.deps.log.info({ itemId: item.id, version, source: o.source, chars: [...body].length }, 'item edited');
  return { item: updated!, issue: touched, voided, textChanged };
}

async function lastEditor(db: DbOrTx, item: BulletinItem): Promise<string> {
  const [v] = await db.select().from(bulletinItemVersions).where(eq(bulletinItemVersions.itemId, item.id)).orderBy(desc(bulletinItemVersions.version)).limit(1);
  return v?.editedBy ?? item.adoptedBy;
}

/** Paragraphs trimmed, blank lines dropped: the stored form of a body. */
export function normalizeBody(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean)
    .join('\n');
}

/** A replied text: a first line that looks like a title (short, no full stop) replaces the title. */
export function titleAndBody(text: string, currentTitle: string): { title: string; body: string } {
  const split = splitTitle({ title: undefined, paragraphs: normalizeBody(text).split('\n') });
  const looksLikeTitle = split.title && [...split.title].length <= MAX_TITLE && !/[。；;]$/.test(split.title) && split.paragraphs.length > 0;
  if (looksLikeTitle) return { title: split.title, body: split.paragraphs.join('\n') };
  return { title: currentTitle, body: normalizeBody(text) };
}

async function notifyEdit(
  ctx: UnitOfWork,
  o: { item: BulletinItem; issue: BulletinIssue; previous: { title: string; body: string; version: number }; editorName: string; at: Date },
) {
  const items = await issueItems(ctx.tx, o.issue.id);
  const view = items.find((i) => i.id === o.item.id)!;
  const merged = o.item.kind === 'merged';
  const sent = new Set<string>();
  for (const s of view.sources) {
    let against: { title: string; body: string; label: string };
    if (merged) {
      against = { ...o.previous, label: `第${o.previous.version}版` };
    } else {
      const [rev] = await ctx.tx
        .select({ title: draftRevisions.title, body: draftRevisions.body })
        .from(draftRevisions)
        .innerJoin(drafts, and(eq(drafts.id, draftRevisions.draftId), eq(drafts.currentRevision, draftRevisions.revision)))
        .where(eq(drafts.id, s.draftId));
      against = { title: rev!.title, body: rev!.body, label: '您提交的稿件' };
    }
    const diff = diffParagraphs({ title: against.title, paragraphs: splitBody(against.body) }, { title: o.item.title, paragraphs: splitBody(o.item.body) });
    const notice = {
      kind: 'draft.edited' as const,
      serial: s.serial,
      title: o.item.title,
      issueLabel: await issueLabelFor(ctx.tx, o.issue),
      position: o.item.position,
      version: o.item.version,
      editorName: o.editorName,
      at: o.at,
      merged,
      diff,
      againstLabel: against.label,
    };
    const reviewers = await holdersOf(ctx.tx, 'reviewer', [s.unitId]);
    for (const openId of [s.authorOpenId, ...reviewers.map((r) => r.openId)]) {
      if (sent.has(openId)) continue;
      sent.add(openId);
      await ctx.notify({ openId }, notice);
    }
  }
}

/** 编者按 for the whole issue ('' removes it). */
export async function setIssueNote(ctx: UnitOfWork, o: { issueId: number; note: string; actor: string }) {
  await lockDesk(ctx.tx);
  const [current] = await ctx.tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, o.issueId)).for('update');
  if (!current) throw new UserError('找不到这一期。');
  if (current.status !== 'open') throw new UserError(`${issueLabel(current)}已印发，不能再修改。`, 'user:conflict');
  const note = o.note.trim() || null;
  if (note && [...note].length > MAX_NOTE_CHARS) throw new UserError(`编者按请控制在${MAX_NOTE_CHARS}字以内。`);
  if (note === current.editorNote) throw new UserError('编者按没有变化。');
  const now = ctx.deps.clock.now();
  await ctx.tx.update(bulletinIssues).set({ editorNote: note }).where(eq(bulletinIssues.id, o.issueId));
  const r = await touchIssue(ctx.tx, { issueId: o.issueId, actor: o.actor, now, what: '本期编者按修改' });
  await recordAudit(ctx.tx, { at: now, actor: o.actor, entityType: 'bulletin_issue', entityId: o.issueId, action: 'issue.note', data: { chars: note ? [...note].length : 0 } });
  return r;
}

export async function itemVersions(db: DbOrTx, itemId: number) {
  return db.select().from(bulletinItemVersions).where(eq(bulletinItemVersions.itemId, itemId)).orderBy(asc(bulletinItemVersions.version));
}
