import type { ActionContext, CardResponse } from '../../bot/handlers.js';
import { topicCreatedCard } from '../../cards/topic-created.js';
import { topicBoardCard } from '../../cards/topic-board.js';
import { topicFormCard } from '../../cards/topic-form.js';
import { holdersOf } from '../../db/queries/roster.js';
import { loadBoard } from '../../domain/topics/board-data.js';
import { BOARD_PURPOSE } from '../../domain/topics/board-sync.js';
import { topicCode } from '../../domain/topics/code.js';
import { createTopic } from '../../domain/topics/create.js';
import { hasErrors } from '../../domain/topics/input.js';
import { readTopicForm } from './form-values.js';
import { momentOf } from './shared.js';

/**
 * A reviewer's 点题 for their own unit: the same form, scoped to one of their units; the board goes
 * privately to that unit's officers (tracked, so claims and answers patch it), never to the group.
 */
export async function createUnitTopic(ctx: ActionContext, nonce: string): Promise<CardResponse> {
  const s = momentOf(ctx.deps);
  const units = ctx.who.reviewerUnits;
  const { input, errors, values } = readTopicForm(ctx.event.formValue, units, s.now, s.timezone);
  const chosen = input.units === 'all' ? units.map((u) => u.id) : input.units;
  if (!errors.units && chosen.length !== 1) errors.units = '本单位点题只能选择一个单位';
  if (hasErrors(errors)) {
    const first = Object.values(errors).find(Boolean)!;
    return { toast: { type: 'error', content: first }, card: topicFormCard({ nonce, units, values, errors, unitLevel: true }) };
  }
  const unitId = chosen[0]!;
  const { topic, created } = await createTopic(ctx.tx, { ...input, units: [unitId] }, { actor: ctx.who.openId, now: s.now, sourceKey: `form:${nonce}`, unitId });
  if (created) {
    const view = await loadBoard(ctx.tx, topic.id, s.now);
    for (const o of await holdersOf(ctx.tx, 'officer', [unitId])) {
      await ctx.out.sendCard({ openId: o.openId }, topicBoardCard(view!, s.timezone), { purpose: BOARD_PURPOSE, entityType: 'topic', entityId: topic.id });
    }
  }
  return {
    toast: created ? { type: 'success', content: `已发布本单位点题 ${topicCode(topic.id)}，已私信本单位信息员` } : { type: 'info', content: `该点题已发布为 ${topicCode(topic.id)}` },
    card: topicCreatedCard(topic, 1, s.timezone),
  };
}
