import { and, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import { PermissionError, UserError } from '../../bot/errors.js';
import type { Deps } from '../../bot/handlers.js';
import type { Outbox } from '../../bot/outbox/enqueue.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { holdersOf, type Who } from '../../db/queries/roster.js';
import { bulletinApprovals, cardMessages, type BulletinApproval } from '../../db/schema/index.js';
import { APPROVAL_PURPOSE, approvalCard, postedBulletinCard } from '../../cards/bulletin-approval.js';
import type { Card } from '../../cards/elements.js';
import { recordAudit } from '../drafts/transition.js';
import { nameOf } from '../drafts/views.js';
import { signersOf } from '../desk/signoff.js';
import { formatLocalDate } from '../../bot/time.js';
import { chineseDate } from '../desk/publish.js';

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
 * The bulletin is stored and a preview goes to every approver; nothing reaches the group yet. One
 * row per (job, period): a second preparation of the same period changes nothing.
 */
export async function prepareApproval(
  tx: Tx,
  out: Outbox,
  deps: Pick<Deps, 'clock' | 'config'>,
  o: { job: string; period: string; title: string; card: Card; groupChatId: string },
): Promise<BulletinApproval | undefined> {
  const [row] = await tx
    .insert(bulletinApprovals)
    .values({ job: o.job, period: o.period, title: o.title, status: 'pending', card: o.card as unknown as Record<string, unknown>, groupChatId: o.groupChatId, preparedAt: deps.clock.now() })
    .onConflictDoNothing()
    .returning();
  if (!row) return undefined;
  await recordAudit(tx, { at: deps.clock.now(), actor: 'system', entityType: 'bulletin_approval', entityId: row.id, action: 'bulletin.prepare', toState: 'pending', data: { job: o.job, period: o.period } });
  const card = approvalCard(row, { timezone: deps.config.timezone });
  for (const openId of await approversOf(tx, deps.config.bulletinApproval.mode)) {
    await out.sendCard({ openId }, card, { purpose: APPROVAL_PURPOSE, entityType: 'bulletin_approval', entityId: row.id });
  }
  return row;
}

async function locked(tx: Tx, id: number): Promise<BulletinApproval> {
  const [row] = await tx.select().from(bulletinApprovals).where(eq(bulletinApprovals.id, id)).for('update');
  if (!row) throw new UserError('找不到这期通报。');
  if (row.status === 'posted') throw new UserError(`${row.title}已由 ${await nameOf(tx, row.decidedBy!)} 审定发布，本次操作未生效。`, 'user:conflict');
  return row;
}

export type ApprovalDecision = { kind: 'approve' } | { kind: 'hold' } | { kind: 'comment'; comment: string };

/** 审定发布 posts the stored card (with the commentary) to the group, exactly once; 暂缓 and 补充点评 keep it back. */
export async function decideApproval(tx: Tx, out: Outbox, deps: Pick<Deps, 'clock' | 'config'>, o: { id: number; who: Who; decision: ApprovalDecision }) {
  await requireApprover(tx, o.who, deps.config.bulletinApproval.mode);
  const current = await locked(tx, o.id);
  const now = deps.clock.now();
  let set: Partial<BulletinApproval>;
  if (o.decision.kind === 'comment') {
    const comment = o.decision.comment.trim();
    if (!comment) throw new UserError('请填写点评内容。');
    if ([...comment].length > 500) throw new UserError('点评请控制在 500 字以内。');
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
  if (o.decision.kind === 'approve') await out.sendCard({ chatId: row!.groupChatId }, postedBulletinCard(row!.card as unknown as Card, row!.comment));
  return row!;
}

export async function renderApproval(db: DbOrTx, row: BulletinApproval, timezone: string): Promise<Card> {
  return approvalCard(row, { timezone, deciderName: row.decidedBy ? await nameOf(db, row.decidedBy) : undefined });
}

export async function patchApprovalCards(tx: Tx, out: Outbox, row: BulletinApproval, timezone: string, exceptMessageId?: string) {
  const copies = await tx
    .select()
    .from(cardMessages)
    .where(
      and(
        eq(cardMessages.purpose, APPROVAL_PURPOSE),
        eq(cardMessages.entityId, String(row.id)),
        ...(exceptMessageId ? [or(isNull(cardMessages.messageId), ne(cardMessages.messageId, exceptMessageId))] : []),
      ),
    );
  const card = await renderApproval(tx, row, timezone);
  for (const c of copies) await out.patchCard(c.id, card);
}

/** Bulletins still waiting for 审定 (暂缓 ones are not: someone decided to keep them back). */
export async function pendingApprovals(db: DbOrTx): Promise<BulletinApproval[]> {
  return db.select().from(bulletinApprovals).where(inArray(bulletinApprovals.status, ['pending']));
}

export function reminderText(a: BulletinApproval, timezone: string, hours: number): string {
  return `【提醒】${a.title}已于${chineseDate(formatLocalDate(a.preparedAt, timezone))}生成，${hours} 小时仍未审定，不会自动发送到工作群。请在审定卡片上点“审定发布”、“补充点评”或“暂缓”。`;
}
