import { eq, inArray } from 'drizzle-orm';
import { PermissionError, UserError } from '../../bot/errors.js';
import type { Deps } from '../../bot/handlers.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { holdersOf, type Who } from '../../db/queries/roster.js';
import { bulletinApprovals, type BulletinApproval } from '../../db/schema/index.js';
import { recordAudit } from '../drafts/transition.js';
import { nameOf } from '../drafts/views.js';
import { signersOf } from '../desk/signoff.js';
import { chineseLocalDate } from '../../bot/time.js';

/** Who 审定 the ranking bulletins: the research office, and the signers when so configured. */
export async function approversOf(db: DbOrTx, mode: 'on' | 'signers' | 'off'): Promise<string[]> {
  const ids = (await holdersOf(db, 'editor')).map((e) => e.openId);
  if (mode === 'signers') ids.push(...(await signersOf(db)).map((s) => s.openId));
  return [...new Set(ids)].sort();
}

async function requireApprover(db: DbOrTx, who: Who, mode: 'on' | 'signers' | 'off') {
  if (!who.known || !(await approversOf(db, mode)).includes(who.openId)) {
    throw new PermissionError(mode === 'signers' ? '只有研究室和签发人可以审定通报。' : '只有研究室可以审定通报。');
  }
}

/**
 * The bulletin (its card as drawn, `card`) is stored for the approvers, who are returned so the
 * caller shows them a preview; nothing reaches the group yet. One row per (job, period): a second
 * preparation of the same period changes nothing and returns undefined.
 */
export async function prepareApproval(
  tx: Tx,
  deps: Pick<Deps, 'clock' | 'config'>,
  o: { job: string; period: string; title: string; card: Record<string, unknown>; groupChatId: string },
): Promise<{ row: BulletinApproval; approvers: string[] } | undefined> {
  const [row] = await tx
    .insert(bulletinApprovals)
    .values({ job: o.job, period: o.period, title: o.title, status: 'pending', card: o.card, groupChatId: o.groupChatId, preparedAt: deps.clock.now() })
    .onConflictDoNothing()
    .returning();
  if (!row) return undefined;
  await recordAudit(tx, { at: deps.clock.now(), actor: 'system', entityType: 'bulletin_approval', entityId: row.id, action: 'bulletin.prepare', toState: 'pending', data: { job: o.job, period: o.period } });
  return { row, approvers: await approversOf(tx, deps.config.bulletinApproval.mode) };
}

async function locked(tx: Tx, id: number): Promise<BulletinApproval> {
  const [row] = await tx.select().from(bulletinApprovals).where(eq(bulletinApprovals.id, id)).for('update');
  if (!row) throw new UserError('找不到这期通报。');
  if (row.status === 'posted') throw new UserError(`${row.title}已由 ${await nameOf(tx, row.decidedBy!)} 审定发布，本次操作未生效。`, 'user:conflict');
  return row;
}

export type ApprovalDecision = { kind: 'approve' } | { kind: 'hold' } | { kind: 'comment'; comment: string };

/**
 * Records a decision. The caller posts the stored card (with the commentary) to the group when the
 * decision is 审定发布: `locked` refuses a second one, so it is posted exactly once; 暂缓 and 补充点评
 * keep it back.
 */
export async function decideApproval(tx: Tx, deps: Pick<Deps, 'clock' | 'config'>, o: { id: number; who: Who; decision: ApprovalDecision }) {
  await requireApprover(tx, o.who, deps.config.bulletinApproval.mode);
  const current = await locked(tx, o.id);
  const now = deps.clock.now();
  let set: Partial<BulletinApproval>;
  if (o.decision.kind === 'comment') {
    const comment = o.decision.comment.trim();
    if (!comment) throw new UserError('请填写点评内容。');
    if ([...comment].length > 500) throw new UserError('点评请控制在500字以内。');
    set = { comment };
  } else if (o.decision.kind === 'hold') {
    if (current.status === 'held') throw new UserError('这期通报已暂缓。', 'user:conflict');
    set = { status: 'held', decidedBy: o.who.openId, decidedAt: now };
  } else {
    set = { status: 'posted', decidedBy: o.who.openId, decidedAt: now };
  }
  const [row] = await tx.update(bulletinApprovals).set(set).where(eq(bulletinApprovals.id, o.id)).returning();
  await recordAudit(tx, {
    at: now,
    actor: o.who.openId,
    entityType: 'bulletin_approval',
    entityId: o.id,
    action: `bulletin.${o.decision.kind}`,
    fromState: current.status,
    toState: row!.status,
    data: o.decision.kind === 'comment' ? { chars: [...o.decision.comment.trim()].length } : undefined,
  });
  return row!;
}

/** Bulletins still waiting for 审定 (暂缓 ones are not: someone decided to keep them back). */
export async function pendingApprovals(db: DbOrTx): Promise<BulletinApproval[]> {
  return db.select().from(bulletinApprovals).where(inArray(bulletinApprovals.status, ['pending']));
}

export function reminderText(a: BulletinApproval, timezone: string, hours: number): string {
  return `【提醒】${a.title}已于${chineseLocalDate(a.preparedAt, timezone)}生成，${hours} 小时仍未审定，不会自动发送到工作群。请在审定卡片上点“审定发布”、“补充点评”或“暂缓”。`;
}
