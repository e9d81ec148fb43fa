import { command, roles } from '../../bot/declare.js';
import { UserError } from '../../bot/errors.js';
import { formatLocalDate } from '../../bot/time.js';
import { setLeave } from '../../domain/drafts/handoffs.js';

const REVIEWER_ONLY = roles(['reviewer'], '请假或销假', '只有组织委员可以请假或销假（请假期间新稿件转本单位其他组织委员审核）。');

/** 2026-12-10, 2026/12/10 or 2026年12月10日 → 2026-12-10; undefined when not a real date. */
export function parseDate(text: string): string | undefined {
  const m = /^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const cn = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

export const leaveCommand = command({
  name: '请假',
  summary: '请假到某日（含当日）：期间本单位新稿件转其他组织委员审核，无人时转研究室',
  usage: '请假 2026-12-10',
  example: (c) => `请假 ${c.later(7)}`,
  allow: REVIEWER_ONLY,
  async run(ctx, args) {
    const until = parseDate(args);
    if (!until) throw new UserError('请写明请假到哪一天，例如：请假 2026-12-10');
    const today = formatLocalDate(ctx.deps.clock.now(), ctx.deps.config.timezone);
    if (until < today) throw new UserError(`${cn(until)}已经过去，请写今天或以后的日期。`);
    await setLeave(ctx.tx, { openId: ctx.who.openId, untilDate: until, now: ctx.deps.clock.now() });
    await ctx.reply(`已登记请假至${cn(until)}。期间本单位的新稿件转其他组织委员审核（无人时转研究室）；已发给您的审核卡片仍可处理。提前回来请发送“销假”。`);
  },
});

export const endLeaveCommand = command({
  name: '销假',
  summary: '结束请假，恢复接收本单位的新稿件',
  allow: REVIEWER_ONLY,
  async run(ctx) {
    const ended = await setLeave(ctx.tx, { openId: ctx.who.openId, untilDate: undefined, now: ctx.deps.clock.now() });
    if (!ended) throw new UserError('您当前没有请假，无需销假。');
    await ctx.reply('已销假，本单位的新稿件会照常发给您审核。');
  },
});
