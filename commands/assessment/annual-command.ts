import { command, roles } from '../../bot/declare.js';
import { optionalYear } from '../arg-schemas.js';
import { localYear } from '../../bot/time.js';
import { buildAnnualReview } from '../../domain/ranking/annual-review.js';

/** `年度评比 [年份]`: the year's 评比 workbook, in the private chat of an editor or leader. */
export const annualReviewCommand = command({
  name: '年度评比',
  summary: '导出年度评比 Excel（考核表、个人统计、任务完成及按月明细、记分明细、报送统计）',
  usage: '年度评比 [2026]',
  allow: roles(['editor', 'leader'], '导出年度评比'),
  args: optionalYear('请写年份，例如：年度评比 2026'),
  async run(ctx, asked) {
    const { timezone } = ctx.deps.config;
    const now = ctx.deps.clock.now();
    const year = asked ?? localYear(now, timezone);
    const file = await buildAnnualReview(ctx.tx, { year, timezone, configuredQuotas: ctx.deps.config.rankingQuotas, now });
    const me = { openId: ctx.event.senderOpenId };
    await ctx.out.sendText(me, `${year}年度评比表（第${file.version}版规则）：${file.units} 个单位、${file.officers} 名信息员、${file.events} 条记分，见下方 Excel 文件。`);
    await ctx.out.sendFile(me, { blobSha256: file.blobSha256, fileName: file.fileName });
  },
});
