import { getOrgSettings } from '../../db/queries/roster.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { UserError } from '../../bot/errors.js';
import { loadBoard } from './board-data.js';
import { trackedCards } from '../drafts/routing.js';

export const BOARD_PURPOSE = 'topic_board';

const boardOf = (topicId: number) => ({ purpose: BOARD_PURPOSE, entityType: 'topic', entityId: topicId });

/** Posts the topic's board to the work group, tracked so every later change patches it. */
export async function publishBoard(c: UnitOfWork, topicId: number): Promise<void> {
  const settings = await getOrgSettings(c.tx);
  if (!settings?.groupChatId) throw new UserError('还没有配置部机关工作群（名册中的 group_chat_id），无法发布点题。');
  const view = await loadBoard(c.tx, topicId, c.deps.clock.now());
  if (!view) throw new Error(`topic ${topicId} not found`);
  await c.notify({ chatId: settings.groupChatId }, { kind: 'topic.board', view }, boardOf(topicId));
}

/**
 * Re-renders the board and patches every posted copy. A patch still waiting in the outbox is
 * overwritten, so a burst of changes leaves one update (Lark allows 5 per second per message).
 */
export async function refreshBoard(c: UnitOfWork, topicId: number): Promise<void> {
  // Most changes touch topics never posted (unit-level ones); they cost no board query.
  if ((await trackedCards(c.tx, BOARD_PURPOSE, 'topic', topicId)).length === 0) return;
  const view = await loadBoard(c.tx, topicId, c.deps.clock.now());
  if (view) await c.redraw([{ track: boardOf(topicId), notice: { kind: 'topic.board', view } }]);
}
