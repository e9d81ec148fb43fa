import { and, desc, eq, gte, isNull } from 'drizzle-orm';
import { PermissionError, UserError } from '../../bot/errors.js';
import { formatLocalDate } from '../../bot/time.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import type { Who } from '../../db/queries/roster.js';
import {
  bulletinItemSources,
  drafts,
  recognitions,
  type Draft,
  type Recognition,
  type RecognitionKind,
} from '../../db/schema/index.js';
import { normalizeDate } from '../scoring/rule-versions.js';
import { KIND_LABELS } from '../scoring/types.js';
import type { Level } from '../scoring/types.js';
import { recordAudit } from '../drafts/transition.js';

/** The piece a draft belongs to: its bulletin item (maybe merged) when adopted, else the draft itself. */
export type PieceTarget = { draft: Draft; itemId: number | undefined; unitIds: number[] };

export async function pieceOfSerial(db: DbOrTx, serial: string): Promise<PieceTarget> {
  const [draft] = await db.select().from(drafts).where(eq(drafts.serial, serial.trim()));
  if (!draft) throw new UserError(`找不到编号为 ${serial} 的稿件。`);
  return pieceOfDraft(db, draft);
}

export async function pieceOfDraft(db: DbOrTx, draft: Draft): Promise<PieceTarget> {
  const [src] = await db.select().from(bulletinItemSources).where(eq(bulletinItemSources.draftId, draft.id));
  if (!src) return { draft, itemId: undefined, unitIds: [draft.unitId] };
  const all = await db.select({ unitId: bulletinItemSources.unitId }).from(bulletinItemSources).where(eq(bulletinItemSources.itemId, src.itemId));
  return { draft, itemId: src.itemId, unitIds: [...new Set(all.map((a) => a.unitId))] };
}

/** Officers may report for their own units' pieces; editors record for any. */
export function mayReport(who: Who, piece: PieceTarget, kind?: RecognitionKind): boolean {
  return who.editor || (who.leader && kind === 'endorsement') || who.officerUnits.some((u) => piece.unitIds.includes(u.id));
}

export type RecognitionInput = {
  kind: RecognitionKind;
  level: Level;
  outlet: string | undefined;
  occurredOn: string;
  link: string | undefined;
  note: string | undefined;
};

/** Checks a form's values; every problem at once, in Chinese. */
export function validateRecognition(raw: Record<string, unknown>, o: { today: string }): RecognitionInput {
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : '');
  const problems: string[] = [];
  const kind = str('kind') as RecognitionKind;
  if (!(kind in KIND_LABELS)) problems.push('请选择类型');
  const level = str('level') as Level;
  if (!['county', 'city', 'province', 'central'].includes(level)) problems.push('请选择级别');
  else if (kind === 'upper_adoption' && level === 'county') problems.push('上级采用的级别应为市级、省级或中央');
  // date_picker values arrive as "2026-11-20 +0800".
  const occurredOn = normalizeDate(str('date').split(' ')[0] ?? '');
  if (!occurredOn) problems.push('请选择日期');
  else if (occurredOn > o.today) problems.push('日期不能晚于今天');
  const outlet = str('outlet') || undefined;
  if (kind !== 'endorsement' && !outlet) problems.push(kind === 'media' ? '请填写媒体名称' : '请填写采用的刊物名称');
  const link = str('link') || undefined;
  if (link && !/^https?:\/\/\S+$/i.test(link)) problems.push('链接应以 http:// 或 https:// 开头');
  if ((outlet?.length ?? 0) > 60) problems.push('名称不超过60字');
  const note = str('note') || undefined;
  if ((note?.length ?? 0) > 300) problems.push('说明不超过300字');
  if (problems.length) throw new UserError(`未提交：${problems.join('；')}。`);
  return { kind, level, outlet, occurredOn: occurredOn!, link, note };
}

/**
 * Records a recognition against the piece. From an editor it is confirmed at once; from an officer it
 * waits for an editor. Only approved or adopted drafts can be recognized.
 */
export async function reportRecognition(tx: Tx, o: { piece: PieceTarget; input: RecognitionInput; who: Who; now: Date; wholeIssueId?: number }): Promise<Recognition> {
  const { piece, who } = o;
  if (!mayReport(who, piece, o.input.kind)) throw new PermissionError('只能为本单位的稿件登记；如有疑问请联系研究室。');
  if (piece.draft.state !== 'approved' && piece.draft.state !== 'adopted') {
    throw new UserError(`稿件 ${piece.draft.serial} 尚未通过审核或未被采用，不能登记。`);
  }
  // A roster leader recording a 批示 is its own confirmation: nobody needs to check a leader's word.
  const confirmed = who.editor || (who.leader && o.input.kind === 'endorsement');
  const [rec] = await tx
    .insert(recognitions)
    .values({
      itemId: piece.itemId ?? null,
      draftId: piece.draft.id,
      kind: o.input.kind,
      level: o.input.level,
      outlet: o.input.outlet ?? null,
      occurredOn: o.input.occurredOn,
      link: o.input.link ?? null,
      note: o.input.note ?? null,
      status: confirmed ? 'confirmed' : 'reported',
      reportedBy: who.openId,
      reportedAt: o.now,
      decidedBy: confirmed ? who.openId : null,
      decidedAt: confirmed ? o.now : null,
      wholeIssueId: o.wholeIssueId ?? null,
    })
    .returning();
  await recordAudit(tx, {
    at: o.now,
    actor: who.openId,
    entityType: 'recognition',
    entityId: rec!.id,
    action: confirmed ? 'recognition.record' : 'recognition.report',
    toState: rec!.status,
    data: { draftId: piece.draft.id, itemId: piece.itemId, ...o.input },
  });
  return rec!;
}

/** An editor confirms or rejects a reported recognition; the row lock makes a double decision impossible. */
export async function decideRecognition(
  tx: Tx,
  o: { id: number; decision: 'confirmed' | 'rejected'; reason?: string; who: Who; now: Date },
): Promise<Recognition> {
  if (!o.who.editor) throw new PermissionError('只有研究室可以确认或驳回登记。');
  const reason = o.reason?.trim();
  if (o.decision === 'rejected' && !reason) throw new UserError('请填写驳回原因。');
  const [current] = await tx.select().from(recognitions).where(eq(recognitions.id, o.id)).for('update');
  if (!current) throw new UserError('找不到这条登记。');
  if (current.status !== 'reported') {
    throw new UserError(`这条登记已${current.status === 'confirmed' ? '确认' : '驳回'}，本次操作未生效。`, 'user:conflict');
  }
  const [rec] = await tx
    .update(recognitions)
    .set({ status: o.decision, decidedBy: o.who.openId, decidedAt: o.now, decisionReason: reason ?? null })
    .where(eq(recognitions.id, o.id))
    .returning();
  await recordAudit(tx, {
    at: o.now,
    actor: o.who.openId,
    entityType: 'recognition',
    entityId: o.id,
    action: o.decision === 'confirmed' ? 'recognition.confirm' : 'recognition.reject',
    fromState: 'reported',
    toState: o.decision,
    reason,
  });
  return rec!;
}

/** How long after reporting an officer may still send a screenshot for it. */
export const EVIDENCE_WINDOW_MS = 30 * 60_000;

/** The sender's latest report still waiting for a screenshot, if any. */
export async function awaitingEvidence(db: DbOrTx, openId: string, now: Date): Promise<Recognition | undefined> {
  const [rec] = await db
    .select()
    .from(recognitions)
    .where(
      and(
        eq(recognitions.reportedBy, openId),
        eq(recognitions.status, 'reported'),
        isNull(recognitions.evidenceSha256),
        gte(recognitions.reportedAt, new Date(now.getTime() - EVIDENCE_WINDOW_MS)),
      ),
    )
    .orderBy(desc(recognitions.id))
    .limit(1);
  return rec;
}

export async function attachEvidence(tx: Tx, o: { id: number; sha256: string; actor: string; now: Date }): Promise<Recognition> {
  const [rec] = await tx.update(recognitions).set({ evidenceSha256: o.sha256 }).where(eq(recognitions.id, o.id)).returning();
  await recordAudit(tx, { at: o.now, actor: o.actor, entityType: 'recognition', entityId: o.id, action: 'recognition.evidence', data: { sha256: o.sha256 } });
  return rec!;
}

export function todayOf(now: Date, timezone: string): string {
  return formatLocalDate(now, timezone);
}
