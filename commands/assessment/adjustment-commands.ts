import { eq } from 'drizzle-orm';
import { command, roles } from '../../bot/declare.js';
import type { MessageContext } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import { chineseDate } from '../../bot/time.js';
import { activeUnits } from '../../db/queries/roster.js';
import { bulletinItemSources, drafts } from '../../db/schema/index.js';
import { recordAdjustment, revokeAdjustment } from '../../domain/scoring/adjustments.js';
import { centsToPoints } from '../../domain/scoring/ledger.js';
import { matchUnit } from '../desk/score-command.js';

const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const SERIAL = /^\d{4}-\d{4,}$/;
const fmt = (n: number) => String(Math.round(n * 100) / 100);

function usage(word: '加分' | '扣分'): string {
  return word === '扣分'
    ? '格式：扣分 单位 分值 考核项 原因 [日期] [稿件编号]，例如：扣分 城关镇 10 组工信息 信息失实 2026-10-12'
    : '格式：加分 单位 分值 考核项 原因 [日期] [稿件编号]，例如：加分 城关镇 3 组工信息 专项工作加分';
}

/**
 * `加分/扣分 单位 分值 考核项 原因 [日期] [稿件编号]`: a manual adjustment by the research office. A
 * draft serial names the piece (and its author, for the officer's own statistics).
 */
async function adjust(ctx: MessageContext, args: string, word: '加分' | '扣分'): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  if (words.length < 3) throw new UserError(usage(word));
  const [unitWord, pointsWord, section, ...rest] = words as [string, string, string, ...string[]];
  const unit = matchUnit(await activeUnits(ctx.tx), unitWord);
  if (!unit) throw new UserError(`找不到单位“${unitWord}”。${usage(word)}`);
  const value = Number(pointsWord.replace(/分$/, ''));
  if (!/^[+-]?\d+(\.\d+)?分?$/.test(pointsWord) || !(value > 0)) throw new UserError(`分值“${pointsWord}”应为正数（${word}的方向由命令决定）。${usage(word)}`);
  const date = rest.find((w) => DATE.test(w));
  const serial = rest.find((w) => SERIAL.test(w) && w !== date);
  const reason = rest.filter((w) => w !== date && w !== serial).join(' ');
  let piece: { draftId: number; itemId?: number; officerOpenId: string } | undefined;
  if (serial) {
    const [d] = await ctx.tx.select().from(drafts).where(eq(drafts.serial, serial));
    if (!d) throw new UserError(`找不到稿件 ${serial}。`);
    if (d.unitId !== unit.id) throw new UserError(`稿件 ${serial} 不是${unit.name}的稿件。`);
    const [source] = await ctx.tx.select({ itemId: bulletinItemSources.itemId }).from(bulletinItemSources).where(eq(bulletinItemSources.draftId, d.id));
    piece = { draftId: d.id, ...(source ? { itemId: source.itemId } : {}), officerOpenId: d.authorOpenId };
  }
  const now = ctx.deps.clock.now();
  const { adjustment, closedYear } = await recordAdjustment(ctx.tx, {
    unitId: unit.id,
    points: word === '扣分' ? -value : value,
    section,
    reason,
    date,
    ...(piece ?? {}),
    actor: ctx.who.openId,
    now,
    timezone: ctx.deps.config.timezone,
  });
  ctx.log.info({ adjustment: adjustment.id, unit: unit.id }, 'score adjustment recorded');
  const points = centsToPoints(adjustment.cents);
  const lines = [
    `已记录第${adjustment.id}号${word}：${unit.name} ${points > 0 ? '+' : '−'}${fmt(Math.abs(points))} 分（${adjustment.section}），原因：${adjustment.reason}，日期 ${chineseDate(adjustment.occurredOn)}${serial ? `，稿件 ${serial}` : ''}。`,
  ];
  if (closedYear) lines.push(`该日期属于已结束的${adjustment.occurredOn.slice(0, 4)}年度：该年度的积分、排行和考核已按此重新计算。`);
  lines.push(`如需撤销：撤销加扣分 ${adjustment.id} 原因`);
  await ctx.reply(lines.join('\n'));
}

export const bonusCommand = command({
  name: '加分',
  summary: '研究室为单位手工加分（记入考核项）',
  usage: '加分 单位 分值 考核项 原因 [日期] [稿件编号]',
  guide: '写法：加分 单位 分值 考核项 原因，可再写日期和稿件编号，例如：加分 城关镇 3 组工信息 专项工作加分 2026-12-01。',
  allow: roles(['editor'], '加分'),
  run: (ctx, args) => adjust(ctx, args, '加分'),
});

export const deductionCommand = command({
  name: '扣分',
  summary: '研究室为单位手工扣分（如信息失实、被上级通报批评）',
  usage: '扣分 单位 分值 考核项 原因 [日期] [稿件编号]',
  guide: '写法：扣分 单位 分值 考核项 原因，可再写日期和稿件编号，例如：扣分 城关镇 10 组工信息 信息失实 2026-12-01 2026-0137。',
  allow: roles(['editor'], '扣分'),
  run: (ctx, args) => adjust(ctx, args, '扣分'),
});

export const revokeAdjustmentCommand = command({
  name: '撤销加扣分',
  summary: '撤销一条手工加分或扣分（保留记录）',
  usage: '撤销加扣分 编号 原因',
  guide: '写法：撤销加扣分 编号 原因，例如：撤销加扣分 12 重复记录。编号见“积分 单位名称”中各条记录。',
  allow: roles(['editor'], '撤销加分扣分'),
  async run(ctx, args) {
    const m = /^\s*(\d+)\s*([\s\S]*)$/.exec(args);
    if (!m) throw new UserError('格式：撤销加扣分 编号 原因，例如：撤销加扣分 12 重复记录。编号见“积分 单位名称”中各条记录。');
    const { adjustment, closedYear } = await revokeAdjustment(ctx.tx, {
      id: Number(m[1]),
      reason: m[2] ?? '',
      actor: ctx.who.openId,
      now: ctx.deps.clock.now(),
      timezone: ctx.deps.config.timezone,
    });
    const year = adjustment.occurredOn.slice(0, 4);
    await ctx.reply(
      `已撤销第${adjustment.id}号${adjustment.cents > 0 ? '加分' : '扣分'}（${chineseDate(adjustment.occurredOn)}，${fmt(centsToPoints(adjustment.cents))} 分，${adjustment.reason}），撤销原因：${adjustment.revokeReason}。记录保留备查。` +
        (closedYear ? `\n该记录属于已结束的${year}年度：该年度的积分、排行和考核已按此重新计算。` : ''),
    );
  },
});
