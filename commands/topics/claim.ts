import { cardAction, roles } from '../../bot/declare.js';
import { chineseDateTime } from '../../bot/time.js';
import { CLAIM_ACTION } from '../../cards/topic-board.js';
import { refreshBoard } from '../../domain/topics/board-sync.js';
import { claimTopic } from '../../domain/topics/claim.js';
import { topicCode } from '../../domain/topics/code.js';
import { momentOf } from './shared.js';

/** 认领 on the group's topic card. The tapper's role and unit come from the roster, not the card. */
export const claimTopicAction = cardAction(CLAIM_ACTION, {
  allow: roles(['officer'], '认领点题', '只有各单位的信息员可以认领点题。'),
  async run(ctx, { t }) {
    const s = momentOf(ctx.deps);
    const r = await claimTopic(ctx.tx, { topicId: t, openId: ctx.who.openId, officerUnits: ctx.who.officerUnits, now: s.now });
    const code = topicCode(r.topic.id);
    if (r.claimed.length === 0) {
      const mine = r.takenBy.every((t) => t.self);
      return {
        toast: {
          type: 'info',
          content: mine ? `您已认领 ${code}` : r.takenBy.map((t) => `${t.unit.name}已由${t.name}认领`).join('；') + '，可与其协作撰写',
        },
      };
    }
    await refreshBoard(ctx, r.topic.id);
    const units = r.claimed.map((u) => u.name).join('、');
    await ctx.out.sendText(
      { openId: ctx.who.openId },
      `您已为${units}认领点题 ${code}“${r.topic.title}”，截止 ${chineseDateTime(r.topic.deadline, s.timezone)}。\n写好后把稿件私聊发给我，提交审核时选择 ${code}；已提交的稿件也可以发“关联 稿件编号 ${code}”补关联。`,
    );
    return { toast: { type: 'success', content: `已为${units}认领 ${code}` } };
  },
});
