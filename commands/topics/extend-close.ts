import { UserError } from '../../bot/errors.js';
import { cardAction, command, roles } from '../../bot/declare.js';
import type { ServiceContext } from '../../bot/handlers.js';
import { TOPIC_ACTIONS } from '../../cards/topic-list.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { chineseDateTime } from '../../bot/time.js';
import type { Topic } from '../../db/schema/index.js';
import { refreshBoard } from '../../domain/topics/board-sync.js';
import { parseTopicCode, topicCode } from '../../domain/topics/code.js';
import { parseDeadlineText, parsePickerDatetime } from '../../domain/topics/datetime.js';
import { closeTopic, extendTopic } from '../../domain/topics/lifecycle.js';
import { peopleOfUnits, targetUnitIds, unitNames } from '../../domain/topics/recipients.js';
import { formString } from '../drafts/args.js';
import { topicOverview } from './list.js';
import { momentOf } from './shared.js';

function topicIdFrom(token: string | undefined, usage: string): number {
  const id = token ? parseTopicCode(token) : undefined;
  if (id === undefined) throw new UserError(`请写明点题编号，例如：${usage}`);
  return id;
}

/** Tells every officer and reviewer of the topic's target units; returns how many people. */
async function tellTargets({ tx, out }: UnitOfWork, topic: Topic, text: string): Promise<number> {
  const people = await peopleOfUnits(tx, await targetUnitIds(tx, topic.id));
  const seen = new Set<string>();
  for (const p of people) {
    if (seen.has(p.openId)) continue;
    seen.add(p.openId);
    await out.sendText({ openId: p.openId }, text);
  }
  return seen.size;
}

const EXTEND_USAGE = '延期 T12 2026-12-08 18:00';

/** Moves the deadline, updates the group's board and tells the target units; returns the editor's answer. */
async function extendAndTell(ctx: ServiceContext, topicId: number, deadline: Date): Promise<string> {
  const s = momentOf(ctx.deps);
  const { topic, previous } = await extendTopic(ctx.tx, { topicId, deadline, actor: ctx.who.openId, now: s.now, timezone: s.timezone });
  await refreshBoard(ctx, topic.id);
  const c = topicCode(topic.id);
  const told = await tellTargets(
    ctx,
    topic,
    `【延期】点题 ${c}“${topic.title}”的截止时间已延至 ${chineseDateTime(topic.deadline, s.timezone)}（原为 ${chineseDateTime(previous, s.timezone)}）。`,
  );
  return `已将 ${c} 的截止时间延至 ${chineseDateTime(topic.deadline, s.timezone)}，已通知相关单位 ${told} 人，工作群中的点题卡片已更新。`;
}

/** Ends the topic, updates the board and tells the target units; returns the editor's answer with the tally. */
async function closeAndSummarize(ctx: ServiceContext, topicId: number): Promise<string> {
  const s = momentOf(ctx.deps);
  const { topic, settlement } = await closeTopic(ctx.tx, { topicId, actor: ctx.who.openId, now: s.now });
  await refreshBoard(ctx, topic.id);
  const c = topicCode(topic.id);
  await tellTargets(ctx, topic, `【关闭】点题 ${c}“${topic.title}”已结束征集，不再接收稿件。`);
  let summary = '截止时的交稿情况此前已记录。';
  if (settlement) {
    const onTime = await unitNames(ctx.tx, settlement.onTime);
    const late = await unitNames(ctx.tx, settlement.late);
    const missing = await unitNames(ctx.tx, settlement.missing);
    const unrecorded = await unitNames(ctx.tx, settlement.unrecorded);
    summary = `按时提交 ${onTime.length} 个单位` + (late.length ? `，逾期提交 ${late.length} 个单位` : '');
    if (missing.length) summary += `，未提交 ${missing.length} 个单位：${missing.join('、')}`;
    if (unrecorded.length) summary += `；截止前关闭，尚未提交的 ${unrecorded.length} 个单位（${unrecorded.join('、')}）不计逾期`;
    summary += '。';
  }
  return `已关闭 ${c}“${topic.title}”。${summary}`;
}

export const extendTopicCommand = command({
  name: '延期',
  summary: '延长点题的截止时间，并通知相关单位',
  usage: EXTEND_USAGE,
  example: (c) => `延期 T1 ${c.later(14)} 18:00`,
  allow: roles(['editor'], '延期点题'),
  async run(ctx, args) {
    const [code, ...rest] = args.split(/\s+/);
    const topicId = topicIdFrom(code, EXTEND_USAGE);
    const s = momentOf(ctx.deps);
    const parsed = parseDeadlineText(rest.join(' '), s.now, s.timezone);
    if (!parsed.ok) throw new UserError(`${parsed.error}\n格式：${EXTEND_USAGE}`);
    await ctx.reply(await extendAndTell(ctx, topicId, parsed.at));
  },
});

export const closeTopicCommand = command({
  name: '关闭',
  aliases: ['关闭点题', '关闭选题'],
  summary: '结束点题征集，不再接收稿件',
  usage: '关闭 T12',
  example: () => '关闭 T1',
  allow: roles(['editor'], '关闭点题'),
  async run(ctx, args) {
    const topicId = topicIdFrom(args.split(/\s+/)[0], '关闭 T12');
    await ctx.reply(await closeAndSummarize(ctx, topicId));
  },
});

/** 延期 on the editor's 点题列表 card: the picker's deadline; the answer comes as a message, the card is redrawn. */
export const extendTopicAction = cardAction(TOPIC_ACTIONS.extend, {
  allow: roles(['editor'], '延期点题'),
  privateChat: true,
  async run(ctx, { topicId }) {
    const raw = formString(ctx.event.formValue, `deadline_${topicId}`);
    const deadline = raw ? parsePickerDatetime(raw, ctx.deps.config.timezone) : undefined;
    if (!deadline) throw new UserError('请先选择新的截止时间。');
    const answer = await extendAndTell(ctx, topicId, deadline);
    await ctx.out.sendText({ openId: ctx.who.openId }, answer);
    return { toast: { type: 'success', content: '已延期' }, card: await topicOverview(ctx) };
  },
});

/** 关闭 on the editor's 点题列表 card (confirmed first); the tally comes as a message, the card is redrawn. */
export const closeTopicAction = cardAction(TOPIC_ACTIONS.close, {
  allow: roles(['editor'], '关闭点题'),
  privateChat: true,
  async run(ctx, { topicId }) {
    const answer = await closeAndSummarize(ctx, topicId);
    await ctx.out.sendText({ openId: ctx.who.openId }, answer);
    return { toast: { type: 'success', content: '已关闭' }, card: await topicOverview(ctx) };
  },
});
