import { and, eq } from 'drizzle-orm';
import { cardMessages } from '../../db/schema/index.js';
import { getOrgSettings } from '../../db/queries/roster.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { UserError } from '../../bot/errors.js';
import { topicBoardCard } from '../../cards/topic-board.js';
import { loadBoard } from './board-data.js';

export const BOARD_PURPOSE = 'topic_board';

/** Posts the topic's board to the work group, tracked so every later change patches it. */
export async function publishBoard(c: UnitOfWork, topicId: number): Promise<void> {
  const settings = await getOrgSettings(c.tx);
  if (!settings?.groupChatId) throw new UserError('还没有配置部机关工作群（名册中的 group_chat_id），无法发布点题。');
  const view = await loadBoard(c.tx, topicId, c.deps.clock.now());
  if (!view) throw new Error(`topic ${topicId} not found`);
  await c.out.sendCard({ chatId: settings.groupChatId }, topicBoardCard(view, c.deps.config.timezone), {
    purpose: BOARD_PURPOSE,
    entityType: 'topic',
    entityId: topicId,
  });
}

/**
 * Re-renders the board and patches every posted copy. A patch still waiting in the outbox is
 * overwritten, so a burst of changes leaves one update (Lark allows 5 per second per message).
 */
export async function refreshBoard(c: UnitOfWork, topicId: number): Promise<void> {
  const copies = await c.tx
    .select({ id: cardMessages.id })
    .from(cardMessages)
    .where(and(eq(cardMessages.entityType, 'topic'), eq(cardMessages.entityId, String(topicId)), eq(cardMessages.purpose, BOARD_PURPOSE)));
  if (copies.length === 0) return;
  const view = await loadBoard(c.tx, topicId, c.deps.clock.now());
  if (!view) return;
  const content = topicBoardCard(view, c.deps.config.timezone);
  for (const copy of copies) await c.out.patchCard(copy.id, content);
}
