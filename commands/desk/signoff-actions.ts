import { afterRecognition } from '../../domain/drafts/receipt-progress.js';
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { cardAction, roles } from '../../bot/declare.js';
import { UserError } from '../../bot/errors.js';
import type { Tx } from '../../db/client.js';
import type { Outbox } from '../../bot/outbox/enqueue.js';
import { holdersOf } from '../../db/queries/roster.js';
import { bulletinIssues, bulletinItemSources, cardMessages, drafts, type BulletinIssue, type IssueSignoff } from '../../db/schema/index.js';
import { ISSUE_ACTIONS } from '../../cards/desk-issue.js';
import { endorseFormCard, issuePreviewCard, PREVIEW_PURPOSE, SIGNOFF_ACTIONS } from '../../cards/desk-signoff.js';
import type { Card } from '../../cards/elements.js';
import { setIssueNote, VOIDED_TEXT } from '../../domain/desk/editorial.js';
import { distributionLines, exportIssue } from '../../domain/desk/export-issue.js';
import { issueItems, issueLabel, issueLabelFor } from '../../domain/desk/issues.js';
import { publicationById } from '../../domain/desk/publications.js';
import { pieceOfDraft, reportRecognition, todayOf } from '../../domain/desk/recognitions.js';
import { currentSignoff, decideSignoff, issueSettingsOf, signersOf, StalePreviewError, submitIssue } from '../../domain/desk/signoff.js';
import { draftById, nameOf } from '../../domain/drafts/views.js';
import { renderIssue } from './issue-view.js';
import { pieceInfo } from './recognition-view.js';

export async function renderPreview(tx: Tx, signoff: IssueSignoff, timezone: string, banner?: string): Promise<Card> {
  const [issue] = await tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, signoff.issueId));
  return issuePreviewCard({
    bulletinName: (await publicationById(tx, issue!.publicationId)).name,
    label: issueLabel(issue!),
    items: await issueItems(tx, issue!.id),
    issueNote: issue!.editorNote,
    distribution: distributionLines((await issueSettingsOf(tx)).distribution),
    signoffId: signoff.id,
    status: signoff.status,
    decidedBy: signoff.decidedBy ? await nameOf(tx, signoff.decidedBy) : undefined,
    decidedAt: signoff.decidedAt ?? undefined,
    comment: signoff.comment,
    timezone,
    banner,
  });
}

/** The preview card and the .docx to every signer; the cards are tracked so a decision closes them all. */
async function sendPreview(tx: Tx, out: Outbox, issue: BulletinIssue, signoff: IssueSignoff, timezone: string) {
  const card = await renderPreview(tx, signoff, timezone);
  const file = await exportIssue(tx, { issue, timezone });
  for (const s of await signersOf(tx)) {
    await out.sendCard({ openId: s.openId }, card, { purpose: PREVIEW_PURPOSE, entityType: 'issue_signoff', entityId: signoff.id });
    await out.sendFile({ openId: s.openId }, { blobSha256: file.blobSha256, fileName: file.fileName });
  }
}

async function patchPreviews(tx: Tx, out: Outbox, signoff: IssueSignoff, timezone: string, exceptMessageId?: string) {
  const copies = await tx
    .select()
    .from(cardMessages)
    .where(
      and(
        eq(cardMessages.purpose, PREVIEW_PURPOSE),
        eq(cardMessages.entityId, String(signoff.id)),
        ...(exceptMessageId ? [or(isNull(cardMessages.messageId), ne(cardMessages.messageId, exceptMessageId))] : []),
      ),
    );
  if (!copies.length) return;
  const card = await renderPreview(tx, signoff, timezone);
  for (const c of copies) await out.patchCard(c.id, card);
}

export const issueSubmit = cardAction(ISSUE_ACTIONS.submit, {
  allow: roles(['editor'], '送审本期信息'),
  privateChat: true,
  async run(ctx, args) {
    const tz = ctx.deps.config.timezone;
    const { issue, signoff } = await submitIssue(ctx, { issueId: args.issue, actor: ctx.who.openId });
    await sendPreview(ctx.tx, ctx.out, issue, signoff, tz);
    const names = (await signersOf(ctx.tx)).map((s) => s.name).join('、');
    return { toast: { type: 'success', content: `${await issueLabelFor(ctx.tx, issue)}已送 ${names} 签发` }, card: await renderIssue(ctx.tx, issue, tz) };
  },
});

export const issueNote = cardAction(ISSUE_ACTIONS.note, {
  allow: roles(['editor'], '修改编者按'),
  privateChat: true,
  async run(ctx, { issue }) {
    const note = typeof ctx.event.formValue?.note === 'string' ? (ctx.event.formValue.note as string) : '';
    const r = await setIssueNote(ctx, { issueId: issue, note, actor: ctx.who.openId });
    return {
      toast: { type: 'success', content: `编者按已保存。${r.voided ? VOIDED_TEXT : ''}` },
      card: await renderIssue(ctx.tx, r.issue, ctx.deps.config.timezone),
    };
  },
});

async function decide(ctx: ActionContext, signoffId: number, decision: 'signed' | 'returned') {
  const tz = ctx.deps.config.timezone;
  const comment = typeof ctx.event.formValue?.comment === 'string' ? (ctx.event.formValue.comment as string) : undefined;
  try {
    const r = await decideSignoff(ctx, { signoffId, who: ctx.who, decision, comment });
    await patchPreviews(ctx.tx, ctx.out, r.signoff, tz, ctx.event.openMessageId);
    return {
      toast: { type: 'success' as const, content: decision === 'signed' ? `已签发${await issueLabelFor(ctx.tx, r.issue)}，已告知研究室` : '已退回修改，意见已发给研究室' },
      card: await renderPreview(ctx.tx, r.signoff, tz),
    };
  } catch (err) {
    if (!(err instanceof StalePreviewError)) throw err;
    // The signer reads the issue as it is now, on a fresh preview they can sign.
    const fresh = await currentSignoff(ctx.tx, err.issue, ctx.who.openId, ctx.deps.clock.now());
    return { toast: { type: 'error' as const, content: err.userMessage }, card: await renderPreview(ctx.tx, fresh, tz, err.userMessage) };
  }
}

// Leaders only; decideSignoff also requires one of the issue's signers (org.yaml `signers`).
const MAY_SIGN = roles(['leader'], '签发本期信息');

export const issueSign = cardAction(SIGNOFF_ACTIONS.sign, { allow: MAY_SIGN, privateChat: true, run: (ctx, { s }) => decide(ctx, s, 'signed') });
export const issueReturn = cardAction(SIGNOFF_ACTIONS.return, { allow: MAY_SIGN, privateChat: true, run: (ctx, { s }) => decide(ctx, s, 'returned') });

const MAY_ENDORSE = roles(['leader'], '作出批示');

export const endorseForm = cardAction(SIGNOFF_ACTIONS.endorseForm, {
  allow: MAY_ENDORSE,
  privateChat: true,
  async run(ctx, args) {
    const draft = await draftById(ctx.tx, args.draft);
    const info = await pieceInfo(ctx.tx, await pieceOfDraft(ctx.tx, draft));
    await ctx.out.sendCard({ openId: ctx.who.openId }, endorseFormCard({ draftId: draft.id, serial: draft.serial, title: info.title, unitNames: info.unitNames, leaderName: await nameOf(ctx.tx, ctx.who.openId) }));
    return { toast: { type: 'info', content: '已发送批示卡片' } };
  },
});

const LEVEL_LABELS: Record<string, string> = { county: '县级', city: '市级', province: '省级', central: '中央' };

export const endorseSave = cardAction(SIGNOFF_ACTIONS.endorse, {
  allow: MAY_ENDORSE,
  privateChat: true,
  async run(ctx, args) {
    const fv = ctx.event.formValue ?? {};
    const text = typeof fv.text === 'string' ? fv.text.trim() : '';
    const by = typeof fv.by === 'string' && fv.by.trim() ? fv.by.trim() : await nameOf(ctx.tx, ctx.who.openId);
    const level = typeof fv.level === 'string' ? fv.level : '';
    const problems: string[] = [];
    if (!text) problems.push('请填写批示内容');
    if ([...text].length > 500) problems.push('批示内容不超过500字');
    if (!(level in LEVEL_LABELS)) problems.push('请选择批示领导级别');
    if ([...by].length > 60) problems.push('批示领导不超过60字');
    if (problems.length) throw new UserError(`未记录：${problems.join('；')}。`);
    const draft = await draftById(ctx.tx, args.draft);
    const piece = await pieceOfDraft(ctx.tx, draft);
    const now = ctx.deps.clock.now();
    const rec = await reportRecognition(ctx.tx, {
      piece,
      input: { kind: 'endorsement', level: level as 'county', outlet: by, occurredOn: todayOf(now, ctx.deps.config.timezone), link: undefined, note: text },
      who: ctx.who,
      now,
    });
    // The authors are told below, with the 批示's words; here only their receipts follow.
    await afterRecognition(ctx, rec, { tell: false });
    const info = await pieceInfo(ctx.tx, piece);
    const told = new Set<string>();
    const msg = `《${info.title}》（${info.serial}）获${LEVEL_LABELS[level]}领导批示（${by}）：“${text}”\n已按积分规则计入${info.unitNames.join('、')}的积分。`;
    const sources = piece.itemId !== undefined ? await issueSourcesOf(ctx.tx, piece.itemId) : [{ authorOpenId: draft.authorOpenId }];
    for (const s of sources) told.add(s.authorOpenId);
    for (const r of await holdersOf(ctx.tx, 'reviewer', piece.unitIds)) told.add(r.openId);
    for (const o of await holdersOf(ctx.tx, 'officer', piece.unitIds)) told.add(o.openId);
    for (const openId of [...told].sort()) await ctx.out.sendText({ openId }, msg);
    ctx.log.info({ recognition: rec.id, serial: draft.serial, level }, 'endorsement recorded');
    return { toast: { type: 'success', content: '批示已记录，已告知作者和所在单位' } };
  },
});

async function issueSourcesOf(tx: Tx, itemId: number) {
  return tx.select({ authorOpenId: drafts.authorOpenId }).from(bulletinItemSources).innerJoin(drafts, eq(drafts.id, bulletinItemSources.draftId)).where(eq(bulletinItemSources.itemId, itemId));
}

export const signoffActions: CardAction[] = [issueSubmit, issueNote, issueSign, issueReturn, endorseForm, endorseSave];
