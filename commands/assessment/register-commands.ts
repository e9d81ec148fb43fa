import { afterRecognition } from '../../domain/drafts/receipt-progress.js';
import { command, roles } from '../../bot/declare.js';
import { optionalYear } from '../arg-schemas.js';
import { UserError } from '../../bot/errors.js';
import { chineseDate, localYear } from '../../bot/time.js';
import { registerStatsCard } from '../../cards/register.js';
import { markAdopted, markNotAdopted, registerStats, registerSubmission } from '../../domain/register/upward.js';
import { LEVEL_LABELS } from '../../domain/scoring/types.js';
import type { Tx } from '../../db/client.js';
import type { BulletinIssue } from '../../db/schema/index.js';
import { findIssue, issueNotFound, publicationIssueLabel } from '../../domain/desk/issues.js';
import { publicationOfArgs } from '../../domain/desk/publications.js';
import { parseIssueRef } from '../desk/issue-ref.js';

const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const LEVEL_WORD = /^(市级|省级|自治区级|中央|中央级)$/;

/**
 * `报送登记 稿件编号|期号 报送对象 报送方式 [级别] [日期]`: a piece, or a whole published issue
 * (`2026年第3期`, `《组工专报》2026年第3期`), sent to a higher level.
 */
export const registerCommand = command({
  name: '报送登记',
  // glossary-ok: 报送 here is sending upward to higher levels
  summary: '研究室登记向上级报送的稿件或整期信息',
  usage: '报送登记 稿件编号|期号 报送对象 系统报送|邮件|纸质 [市级|省级|中央] [日期]',
  guide:
    '写法：报送登记 稿件编号 报送对象 报送方式（系统报送、邮件或纸质），可再写级别和日期，例如：报送登记 2026-0012 市委组织部 系统报送 2026-10-12。整期报送把稿件编号换成期号，例如：报送登记 2026年第3期 市委组织部 邮件（其他刊物写《组工专报》2026年第3期）',
  allow: roles(['editor'], '登记报送'),
  async run(ctx, args) {
    const words = args.split(/\s+/).filter(Boolean);
    const date = words.find((w) => DATE.test(w));
    const level = words.find((w) => LEVEL_WORD.test(w));
    const [ref, recipient, channel] = words.filter((w) => w !== date && w !== level);
    if (!ref || !recipient || !channel) {
      throw new UserError('格式：报送登记 稿件编号 报送对象 报送方式 [级别] [日期]，例如：报送登记 2026-0012 市委组织部 系统报送 2026-10-12');
    }
    const now = ctx.deps.clock.now();
    const { timezone } = ctx.deps.config;
    const issue = ref.includes('期') ? await issueOfRef(ctx.tx, ref, localYear(now, timezone)) : undefined;
    const what = issue ? `${issue.label}（整期）` : `稿件 ${ref}`;
    const entry = await registerSubmission(ctx.tx, {
      target: issue ? { issue: issue.issue } : { serial: ref },
      what: issue ? issue.label : ref,
      recipient,
      channel,
      level,
      date,
      actor: ctx.who.openId,
      now,
      timezone,
    });
    await ctx.reply(
      `已登记第${entry.id}号报送：${what}，${chineseDate(entry.sentOn)}以${entry.channel}方式报送${entry.recipient}（${LEVEL_LABELS[entry.level]}）。\n被采用后发送：报送采用 ${entry.id} 刊物名称 [期号] [日期]；未采用发送：报送未采用 ${entry.id}`,
    );
  },
});

/** `2026年第3期`, `第3期` or `《组工专报》2026年第3期` → that issue of the publication (the main one when unnamed). */
async function issueOfRef(tx: Tx, ref: string, year: number): Promise<{ issue: BulletinIssue; label: string }> {
  const { publication, rest } = await publicationOfArgs(tx, ref);
  const parsed = parseIssueRef(rest, year);
  if (!parsed) throw new UserError(`“${ref}”不是期号，请写成 2026年第3期，其他刊物写《组工专报》2026年第3期。`);
  const issue = await findIssue(tx, publication.id, parsed.year, parsed.number);
  if (!issue) throw await issueNotFound(tx, publication, parsed.year, parsed.number);
  return { issue, label: publicationIssueLabel(publication, issue) };
}

/**
 * `报送采用 登记编号 刊物 [期号] [日期]`: the entry was adopted; records the recognition that scores
 * (for a whole issue, one per item).
 */
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
    const { entry, recognition, recognitions, pieces } = await markAdopted(ctx.tx, {
      id: Number(idWord),
      outlet,
      issue: issue.join(' ') || undefined,
      date,
      who: ctx.who,
      now: ctx.deps.clock.now(),
      timezone: ctx.deps.config.timezone,
    });
    for (const r of recognitions) await afterRecognition(ctx, r, { tell: true });
    const whole = entry.issueId !== null ? `（整期，其中 ${pieces} 条稿件各计上级采用）` : '';
    await ctx.reply(`第${entry.id}号报送${whole}已登记为${LEVEL_LABELS[entry.level]}采用（${recognition.outlet}${issue.length ? ` ${issue.join(' ')}` : ''}，${chineseDate(recognition.occurredOn)}），按积分规则计分。`);
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
