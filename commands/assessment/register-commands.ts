import { afterRecognition } from '../../domain/drafts/receipt-progress.js';
import { command, roles } from '../../bot/declare.js';
import { optionalYear } from '../arg-schemas.js';
import { UserError } from '../../bot/errors.js';
import { chineseDate, localYear } from '../../bot/time.js';
import { registerStatsCard } from '../../cards/register.js';
import { markAdopted, markNotAdopted, registerStats, registerSubmission } from '../../domain/register/upward.js';
import { LEVEL_LABELS } from '../../domain/scoring/types.js';

const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const LEVEL_WORD = /^(市级|省级|自治区级|中央|中央级)$/;

/** `报送登记 稿件编号 报送对象 报送方式 [级别] [日期]`: a piece sent to a higher level. */
export const registerCommand = command({
  name: '报送登记',
  // glossary-ok: 报送 here is sending upward to higher levels
  summary: '研究室登记向上级报送的稿件',
  usage: '报送登记 稿件编号 报送对象 系统报送|邮件|纸质 [市级|省级|中央] [日期]',
  guide: '写法：报送登记 稿件编号 报送对象 报送方式（系统报送、邮件或纸质），可再写级别和日期，例如：报送登记 2026-0012 市委组织部 系统报送 2026-10-12',
  allow: roles(['editor'], '登记报送'),
  async run(ctx, args) {
    const words = args.split(/\s+/).filter(Boolean);
    const date = words.find((w) => DATE.test(w));
    const level = words.find((w) => LEVEL_WORD.test(w));
    const [serial, recipient, channel] = words.filter((w) => w !== date && w !== level);
    if (!serial || !recipient || !channel) {
      throw new UserError('格式：报送登记 稿件编号 报送对象 报送方式 [级别] [日期]，例如：报送登记 2026-0012 市委组织部 系统报送 2026-10-12');
    }
    const now = ctx.deps.clock.now();
    const entry = await registerSubmission(ctx.tx, { serial, recipient, channel, level, date, actor: ctx.who.openId, now, timezone: ctx.deps.config.timezone });
    await ctx.reply(
      `已登记第${entry.id}号报送：稿件 ${serial}，${chineseDate(entry.sentOn)}以${entry.channel}方式报送${entry.recipient}（${LEVEL_LABELS[entry.level]}）。\n被采用后发送：报送采用 ${entry.id} 刊物名称 [期号] [日期]；未采用发送：报送未采用 ${entry.id}`,
    );
  },
});

/** `报送采用 登记编号 刊物 [期号] [日期]`: the entry was adopted; records the recognition that scores. */
export const registerAdoptedCommand = command({
  name: '报送采用',
  // glossary-ok: 报送 here is sending upward to higher levels
  summary: '登记报送稿件被上级采用（计分）',
  usage: '报送采用 登记编号 刊物 [期号] [日期]',
  guide: '写法：报送采用 登记编号 刊物，可再写期号和日期，例如：报送采用 3 自治区组工信息 2026年第12期 2026-11-20',
  allow: roles(['editor'], '登记采用'),
  async run(ctx, args) {
    const words = args.split(/\s+/).filter(Boolean);
    const date = words.find((w) => DATE.test(w));
    const [idWord, outlet, ...issue] = words.filter((w) => w !== date);
    if (!idWord || !/^\d+$/.test(idWord) || !outlet) throw new UserError('格式：报送采用 登记编号 刊物 [期号] [日期]，例如：报送采用 3 自治区组工信息 2026年第12期 2026-11-20');
    const { entry, recognition } = await markAdopted(ctx.tx, {
      id: Number(idWord),
      outlet,
      issue: issue.join(' ') || undefined,
      date,
      who: ctx.who,
      now: ctx.deps.clock.now(),
      timezone: ctx.deps.config.timezone,
    });
    await afterRecognition(ctx, recognition, { tell: true });
    await ctx.reply(`第${entry.id}号报送已登记为${LEVEL_LABELS[entry.level]}采用（${recognition.outlet}${issue.length ? ` ${issue.join(' ')}` : ''}，${chineseDate(recognition.occurredOn)}），按积分规则计分。`);
  },
});

export const registerNotAdoptedCommand = command({
  name: '报送未采用',
  // glossary-ok: 报送 here is sending upward to higher levels
  summary: '登记报送稿件未被采用',
  usage: '报送未采用 登记编号',
  guide: '写法：报送未采用 登记编号，例如：报送未采用 3。登记编号见“报送统计”或登记时的回复。',
  allow: roles(['editor'], '登记报送结果'),
  async run(ctx, args) {
    const id = args.trim();
    if (!/^\d+$/.test(id)) throw new UserError('格式：报送未采用 登记编号，例如：报送未采用 3');
    const entry = await markNotAdopted(ctx.tx, { id: Number(id), actor: ctx.who.openId, now: ctx.deps.clock.now() });
    await ctx.reply(`第${entry.id}号报送已登记为未采用。`);
  },
});

/** `报送统计 [年份]`: sent, adopted and 采用率 per level, outlet and month. */
export const registerStatsCommand = command({
  name: '报送统计',
  summary: '查看向上级报送及采用情况（采用率）',
  usage: '报送统计 [2026]',
  allow: roles(['editor', 'leader'], '查看报送统计'),
  args: optionalYear('请写年份，例如：报送统计 2026'),
  async run(ctx, year) {
    await ctx.reply(registerStatsCard(await registerStats(ctx.tx, year ?? localYear(ctx.deps.clock.now(), ctx.deps.config.timezone))));
  },
});
