import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { PermissionError, UserError } from '../../bot/errors.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { holdersOf, type Who } from '../../db/queries/roster.js';
import { auditLog, bulletinIssues, issueSettings, issueSignoffs, type BulletinIssue, type Distribution, type IssueSignoff } from '../../db/schema/index.js';
import { recordAudit } from '../drafts/transition.js';
import { nameOf } from '../drafts/views.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { signStateOf } from './editorial.js';
import { issueItems, issueLabel, issueLabelFor } from './issues.js';
import { publicationById } from './publications.js';
import { lockDesk } from './lock.js';

export async function issueSettingsOf(db: DbOrTx): Promise<{ signers: string[]; distribution: Distribution }> {
  const [row] = await db.select().from(issueSettings).where(eq(issueSettings.id, 1));
  return { signers: row?.signers ?? [], distribution: row?.distribution ?? {} };
}

/** The people who sign issues: org.yaml `signers`, or every leader when none are named. */
export async function signersOf(db: DbOrTx): Promise<{ openId: string; name: string }[]> {
  const { signers } = await issueSettingsOf(db);
  const leaders = await holdersOf(db, 'leader');
  const chosen = signers.length ? leaders.filter((l) => signers.includes(l.openId)) : leaders;
  const seen = new Set<string>();
  return chosen.filter((l) => (seen.has(l.openId) ? false : (seen.add(l.openId), true))).map((l) => ({ openId: l.openId, name: l.name ?? l.openId }));
}

export async function requireSigner(db: DbOrTx, who: Who): Promise<void> {
  if (!who.known || !who.leader) throw new PermissionError('只有部领导可以签发本期信息。');
  const signers = await signersOf(db);
  if (!signers.some((s) => s.openId === who.openId)) {
    throw new PermissionError(`本期信息由 ${signers.map((s) => s.name).join('、') || '（未配置签发人）'} 签发，您不在签发人之列。`);
  }
}

async function lockedIssue(tx: Tx, issueId: number): Promise<BulletinIssue> {
  await lockDesk(tx);
  const [issue] = await tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, issueId)).for('update');
  if (!issue) throw new UserError('找不到这一期。');
  return issue;
}

/** 送审: the issue at its current revision goes to the signers; an older pending 送审 is superseded. */
export async function submitIssue(ctx: UnitOfWork, o: { issueId: number; actor: string }): Promise<{ issue: BulletinIssue; signoff: IssueSignoff }> {
  const issue = await lockedIssue(ctx.tx, o.issueId);
  if (issue.status !== 'open') throw new UserError(`${issueLabel(issue)}已印发。`, 'user:conflict');
  if (!(await issueItems(ctx.tx, issue.id)).length) throw new UserError('本期还没有稿件，不能送审。');
  if (!(await signersOf(ctx.tx)).length) throw new UserError('名册中没有部领导（leaders），无人签发。请先在 org.yaml 中配置。');
  const state = await signStateOf(ctx.tx, issue);
  if (state.kind === 'pending') throw new UserError(`${issueLabel(issue)}已送审，正在等待签发。`, 'user:conflict');
  if (state.kind === 'signed') throw new UserError(`${issueLabel(issue)}已签发，可以印发。`, 'user:conflict');
  return createSignoff(ctx.tx, issue, o.actor, ctx.deps.clock.now());
}

async function createSignoff(tx: Tx, issue: BulletinIssue, actor: string, now: Date) {
  await tx.update(issueSignoffs).set({ status: 'superseded' }).where(and(eq(issueSignoffs.issueId, issue.id), eq(issueSignoffs.status, 'pending')));
  const [signoff] = await tx.insert(issueSignoffs).values({ issueId: issue.id, revision: issue.revision, status: 'pending', submittedBy: actor, submittedAt: now }).returning();
  await recordAudit(tx, {
    at: now,
    actor,
    entityType: 'bulletin_issue',
    entityId: issue.id,
    action: 'issue.submit',
    toState: 'pending',
    data: { signoffId: signoff!.id, revision: issue.revision },
  });
  return { issue, signoff: signoff! };
}

/** A preview that no longer shows the issue as it is: the signer is told what changed. */
export class StalePreviewError extends UserError {
  constructor(
    message: string,
    readonly issue: BulletinIssue,
  ) {
    super(message, 'user:conflict');
  }
}

export async function loadSignoff(tx: Tx, id: number): Promise<IssueSignoff> {
  const [s] = await tx.select().from(issueSignoffs).where(eq(issueSignoffs.id, id)).for('update');
  if (!s) throw new UserError('找不到这次送审。');
  return s;
}

/**
 * 签发 or 退回修改 on a preview card. Only a pending preview of the issue's current revision can be
 * decided; anything else answers with what happened since.
 */
export async function decideSignoff(ctx: UnitOfWork, o: { signoffId: number; who: Who; decision: 'signed' | 'returned'; comment?: string }) {
  await requireSigner(ctx.tx, o.who);
  const comment = o.comment?.trim();
  if (o.decision === 'returned' && !comment) throw new UserError('请填写修改意见，研究室将据此修改。');
  if (comment && [...comment].length > 500) throw new UserError('修改意见请控制在500字以内。');
  const signoff = await loadSignoff(ctx.tx, o.signoffId);
  const issue = await lockedIssue(ctx.tx, signoff.issueId);
  if (issue.status !== 'open') throw new UserError(`${issueLabel(issue)}已印发。`, 'user:conflict');
  if (signoff.status === 'signed' || signoff.status === 'returned') {
    const by = await nameOf(ctx.tx, signoff.decidedBy!);
    throw new UserError(`这次送审已由 ${by}${signoff.status === 'signed' ? '签发' : '退回修改'}，本次操作未生效。`, 'user:conflict');
  }
  if (signoff.status === 'superseded' || signoff.revision !== issue.revision) {
    const changes = await changesSince(ctx.tx, signoff);
    throw new StalePreviewError(`此预览已过期：送审后本期有改动（${changes.join('；') || '内容有调整'}），未签发。请查看最新预览。`, issue);
  }
  const now = ctx.deps.clock.now();
  const [decided] = await ctx.tx
    .update(issueSignoffs)
    .set({ status: o.decision, decidedBy: o.who.openId, decidedAt: now, comment: comment ?? null })
    .where(eq(issueSignoffs.id, signoff.id))
    .returning();
  await recordAudit(ctx.tx, {
    at: now,
    actor: o.who.openId,
    entityType: 'bulletin_issue',
    entityId: issue.id,
    action: o.decision === 'signed' ? 'issue.sign' : 'issue.return',
    fromState: 'pending',
    toState: o.decision,
    reason: comment,
    data: { signoffId: signoff.id, revision: issue.revision },
  });
  const signer = await nameOf(ctx.tx, o.who.openId);
  const label = await issueLabelFor(ctx.tx, issue);
  // With several publications the label names this one, and so must the command that shows it.
  const show = label === issueLabel(issue) ? '本期信息' : `本期信息 ${(await publicationById(ctx.tx, issue.publicationId)).name}`;
  const text =
    o.decision === 'signed'
      ? `${label}已由 ${signer} 签发，可以印发（发送“${show}”点“印发”）。`
      : `${label}被 ${signer} 退回修改。修改意见：${comment}\n修改后请重新送审。`;
  await ctx.out.sendMany((await holdersOf(ctx.tx, 'editor')).map((e) => ({ to: { openId: e.openId }, content: text })));
  return { issue, signoff: decided! };
}

/** A fresh preview for a signer whose card was outdated: the pending 送审 of the current revision, made if needed. */
export async function currentSignoff(tx: Tx, issue: BulletinIssue, fallbackActor: string, now: Date): Promise<IssueSignoff> {
  const state = await signStateOf(tx, issue);
  if (state.kind === 'pending' || state.kind === 'signed' || state.kind === 'returned') return state.signoff;
  const submitter = state.kind === 'stale' ? state.signoff.submittedBy : fallbackActor;
  return (await createSignoff(tx, issue, submitter, now)).signoff;
}

const CHANGE_LABELS: Record<string, string> = {
  'item.edit': '编审修改',
  'item.move': '调整顺序',
  'issue.note': '修改本期编者按',
  'desk.adopt': '新增稿件',
  'desk.merge': '新增综合稿',
};

/** What happened to the issue after a 送审, in words, from the audit log. */
export async function changesSince(db: DbOrTx, signoff: IssueSignoff): Promise<string[]> {
  const [submit] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'issue.submit'), eq(auditLog.entityId, String(signoff.issueId)), sql`${auditLog.data}->>'signoffId' = ${String(signoff.id)}`));
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        gt(auditLog.id, submit?.id ?? 0),
        inArray(auditLog.action, Object.keys(CHANGE_LABELS)),
        or(and(eq(auditLog.entityType, 'bulletin_issue'), eq(auditLog.entityId, String(signoff.issueId))), sql`${auditLog.data}->>'issueId' = ${String(signoff.issueId)}`),
      ),
    )
    .orderBy(asc(auditLog.id));
  const items = await issueItems(db, signoff.issueId);
  const out: string[] = [];
  for (const r of rows) {
    const who = await nameOf(db, r.actor);
    const item = r.entityType === 'bulletin_item' ? items.find((i) => String(i.id) === r.entityId) : undefined;
    const what = item ? `第${item.position}条《${item.title}》${CHANGE_LABELS[r.action]}` : CHANGE_LABELS[r.action]!;
    const line = `${who}${what}`;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}
