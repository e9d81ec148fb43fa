import { command } from '../../bot/declare.js';
import { buildRankingExport } from '../../domain/ranking/export.js';
import { parsePeriod } from '../../domain/ranking/period.js';
import { MAY_EXPORT_RANKING } from './access.js';

/**
 * `导出 [期间]`: the ranking and every draft of the period as an .xlsx, always in the private chat
 * (it names authors and titles); asked in the group, the group only hears where it went.
 */
export const exportCommand = command({
  name: '导出',
  aliases: ['导出排行'],
  summary: '把排行和稿件明细导出为 Excel，私聊发给您（默认本月）',
  usage: '导出 [2026-10 | 2026Q3 | 2026]',
  example: (c) => `导出 ${c.year}-${String(c.month).padStart(2, '0')}`,
  allow: MAY_EXPORT_RANKING,
  inGroup: true,
  async run(ctx, args) {
    const { timezone } = ctx.deps.config;
    const now = ctx.deps.clock.now();
    const period = parsePeriod(args, now, timezone);
    const file = await buildRankingExport(ctx.tx, { period, timezone, configuredQuotas: ctx.deps.config.rankingQuotas, now });
    const me = { openId: ctx.event.senderOpenId };
    await ctx.out.sendText(me, `${file.label}排行明细：${file.units} 个单位、${file.drafts} 篇稿件，见下方 Excel 文件。`);
    await ctx.out.sendFile(me, { blobSha256: file.blobSha256, fileName: file.fileName });
    if (ctx.event.chatType === 'group') await ctx.reply('排行明细已私聊发给您。');
  },});
