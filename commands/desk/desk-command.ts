import { command, roles } from '../../bot/declare.js';
import { renderDesk } from './desk-view.js';

/** `待编稿件` (or `待编稿件 备用`, `待编稿件 2` for a page): the queue the research office adopts from. */
export const deskCommand = command({
  name: '待编稿件',
  aliases: ['编辑台'],
  summary: '查看待采用稿件，采用、不采用或合并为综合稿',
  usage: '待编稿件 [备用] [页码]',
  example: () => '待编稿件 备用',
  allow: roles(['editor'], '处理待编稿件'),
  async run(ctx, args) {
    const words = args.split(/\s+/).filter(Boolean);
    const view = words.includes('备用') ? 'reserve' : 'approved';
    const pageWord = words.find((w) => /^\d+$/.test(w));
    await ctx.reply(await renderDesk(ctx.tx, { view, page: pageWord ? Number(pageWord) : 1, picks: [] }, ctx.deps.config.timezone));
  },
});
