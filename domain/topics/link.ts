import { and, asc, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { drafts, topicTargets, type Draft, type Topic } from '../../db/schema/index.js';
import { PermissionError, UserError } from '../../bot/errors.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { recordAudit } from '../drafts/transition.js';
import { syncDraftTopic } from './answers.js';
import { loadTopic } from './board-data.js';
import { topicCode } from './code.js';
import { isOpenForUnit } from './open-topics.js';

/** A draft can change topic until a reviewer approved it; after that the answer is settled. */
const LINKABLE_STATES: Draft['state'][] = ['pending_review', 'returned'];

/**
 * 关联: the draft's author links it to an open topic of the draft's unit (or unlinks it with
 * topicId null). Audited on the draft; the topic side (answer row, late record, boards) follows.
 */
export async function linkDraftToTopic(
  c: UnitOfWork,
  o: { serial: string; topicId: number | null; actor: string },
): Promise<{ draft: Draft; topic: Topic | undefined; late: boolean }> {
  const [draft] = await c.tx.select().from(drafts).where(eq(drafts.serial, o.serial)).for('update');
  if (!draft) throw new UserError(`找不到稿件 ${o.serial}，请核对稿件编号（如 2026-0012）。`);
  if (draft.authorOpenId !== o.actor) throw new PermissionError('只能关联自己提交的稿件。');
  if (!LINKABLE_STATES.includes(draft.state)) {
    throw new UserError(`稿件 ${draft.serial} 已审核通过或已结束，不能再更改关联的点题。`);
  }
  let topic: Topic | undefined;
  if (o.topicId !== null) {
    topic = await loadTopic(c.tx, o.topicId);
    if (!topic) throw new UserError(`找不到点题 ${topicCode(o.topicId)}。发“点题”可查看本单位的点题。`);
    if (topic.status === 'closed') throw new UserError(`点题 ${topicCode(topic.id)} 已关闭，不再接收稿件。`);
    if (!(await isOpenForUnit(c.tx, topic.id, draft.unitId))) throw new UserError(`点题 ${topicCode(topic.id)} 不面向本稿件所属单位。`);
  }
  if (draft.topicId === o.topicId) {
    throw new UserError(o.topicId === null ? `稿件 ${draft.serial} 没有关联点题。` : `稿件 ${draft.serial} 已关联 ${topicCode(o.topicId)}。`);
  }
  // Not a state change, so not transitionDraft; the audit row keeps the who and when of the link.
  const [updated] = await c.tx.update(drafts).set({ topicId: o.topicId }).where(eq(drafts.id, draft.id)).returning();
  await recordAudit(c.tx, {
    at: c.deps.clock.now(),
    actor: o.actor,
    entityType: 'draft',
    entityId: draft.id,
    action: o.topicId === null ? 'topic_unlink' : 'topic_link',
    data: { from: draft.topicId, to: o.topicId },
  });
  const { late } = await syncDraftTopic(c, updated!, o.actor);
  return { draft: updated!, topic, late };
}

export type LinkableDraft = { serial: string; title: string; linkedTo: number | null };

/**
 * The officer's own drafts that 关联稿件 on a topic card offers: still linkable, of a unit the topic
 * targets, and not already linked to it. Oldest first, as 我的稿件 numbers them.
 */
export async function linkableDrafts(db: DbOrTx, o: { openId: string; topicId: number }): Promise<LinkableDraft[]> {
  return db
    .select({ serial: drafts.serial, title: drafts.title, linkedTo: drafts.topicId })
    .from(drafts)
    .innerJoin(topicTargets, and(eq(topicTargets.unitId, drafts.unitId), eq(topicTargets.topicId, o.topicId)))
    .where(
      and(
        eq(drafts.authorOpenId, o.openId),
        inArray(drafts.state, LINKABLE_STATES),
        or(isNull(drafts.topicId), ne(drafts.topicId, o.topicId)),
      ),
    )
    .orderBy(asc(drafts.id));
}
