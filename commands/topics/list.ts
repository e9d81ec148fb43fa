import { and, desc, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../bot/handlers.js';
import { anyone, command } from '../../bot/declare.js';
import type { Card } from '../../cards/elements.js';
import { topics, topicTargets } from '../../db/schema/index.js';
import { NOT_IN_ROSTER_TEXT } from '../../domain/roster/permissions.js';
import { topicOverviewCard, topicUnitListCard } from '../../cards/topic-list.js';
import { loadBoard, type BoardView } from '../../domain/topics/board-data.js';
import { momentOf } from './shared.js';

const LIST_LIMIT = 20;

/** The editors' and leaders' card of every open topic, soonest deadline first. */
export async function topicOverview(ctx: ServiceContext): Promise<Card> {
  const s = momentOf(ctx.deps);
  const open = await ctx.tx.select({ id: topics.id }).from(topics).where(eq(topics.status, 'open')).orderBy(desc(topics.deadline));
  const views: BoardView[] = [];
  for (const t of open.slice(0, LIST_LIMIT)) {
    const v = await loadBoard(ctx.tx, t.id, s.now);
    if (v) views.push(v);
  }
  views.sort((a, b) => a.topic.deadline.getTime() - b.topic.deadline.getTime());
  return topicOverviewCard(views, s.timezone, Math.max(0, open.length - LIST_LIMIT), { editor: ctx.who.editor });
}

/** 点题列表: editors and leaders see every open topic with counts; officers and reviewers their units'. */
export const listTopicsCommand = command({
  name: '点题列表',
  aliases: ['选题'],
  summary: '查看进行中的点题及各单位的交稿情况',
  audience: ['officer', 'reviewer', 'editor', 'leader'],
  // Strangers get the roster explanation below rather than a refusal.
  allow: anyone,
  example: () => '点题列表',
  async run(ctx) {
    const s = momentOf(ctx.deps);
    if (ctx.who.editor || ctx.who.leader) {
      await ctx.reply(await topicOverview(ctx));
      return;
    }
    const unitIds = [...new Set([...ctx.who.officerUnits, ...ctx.who.reviewerUnits].map((u) => u.id))];
    if (unitIds.length === 0) {
      await ctx.reply(ctx.who.known ? '您不属于任何单位，没有需要交稿的点题。' : NOT_IN_ROSTER_TEXT);
      return;
    }
    const rows = await ctx.tx
      .selectDistinct({ id: topics.id, deadline: topics.deadline })
      .from(topics)
      .innerJoin(topicTargets, eq(topicTargets.topicId, topics.id))
      .where(and(eq(topics.status, 'open'), inArray(topicTargets.unitId, unitIds)))
      .orderBy(desc(topics.deadline))
      .limit(LIST_LIMIT);
    const items: { view: BoardView; unitIds: number[] }[] = [];
    for (const r of rows) {
      const view = await loadBoard(ctx.tx, r.id, s.now);
      if (view) items.push({ view, unitIds });
    }
    // Upcoming deadlines first, the ones already past (late answers still possible) after them.
    const t = s.now.getTime();
    items.sort((a, b) => {
      const pa = a.view.topic.deadline.getTime() <= t ? 1 : 0;
      const pb = b.view.topic.deadline.getTime() <= t ? 1 : 0;
      return pa - pb || a.view.topic.deadline.getTime() - b.view.topic.deadline.getTime();
    });
    await ctx.reply(topicUnitListCard(items, s.timezone));
  },});
