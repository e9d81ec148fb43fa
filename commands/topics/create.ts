import { randomBytes } from 'node:crypto';
import { UserError } from '../../bot/errors.js';
import { cardAction, command, roles } from '../../bot/declare.js';
import { chineseDateTime } from '../../bot/time.js';
import { activeUnits } from '../../db/queries/roster.js';
import { topicCreatedCard } from '../../cards/topic-created.js';
import { CREATE_ACTION, topicFormCard } from '../../cards/topic-form.js';
import { publishBoard } from '../../domain/topics/board-sync.js';
import { topicCode } from '../../domain/topics/code.js';
import { createTopic } from '../../domain/topics/create.js';
import { hasErrors } from '../../domain/topics/input.js';
import { LINE_USAGE, parseTopicLine } from '../../domain/topics/parse-line.js';
import { readTopicForm } from './form-values.js';
import { momentOf } from './shared.js';
import { createUnitTopic } from './unit-topic.js';

/** `点题` alone opens the form; `点题 标题 | 截止 … | 单位 …` posts at once. */
// Committee members may open the form for their own unit; everyone else who is not an editor is told
// that 点题 is the research office's.
const MAY_CREATE = roles(['editor', 'reviewer'], '发布点题', '只有研究室可以发布点题。');

export const createTopicCommand = command({
  name: '点题',
  aliases: ['约稿'],
  summary: '发布点题，发到工作群并跟踪各单位进度',
  usage: '点题　或　点题 标题 | 截止 2026-12-05 18:00 | 单位 城关镇,东街街道',
  // A committee member's 点题 is for their own unit: the form, not the department's one-line syntax.
  example: (c) => (c.role === 'reviewer' ? '点题' : `点题 基层党建典型经验 | 截止 ${c.later(7)} 18:00 | 单位 全部`),
  allow: MAY_CREATE,
  async run(ctx, args) {
    if (!ctx.who.editor && ctx.who.reviewerUnits.length) {
      // A reviewer's 点题 is for their own unit's officers, through the form only.
      await ctx.reply(topicFormCard({ nonce: randomBytes(8).toString('hex'), units: ctx.who.reviewerUnits, unitLevel: true }));
      return;
    }
    if (!args.trim()) {
      await ctx.reply(topicFormCard({ nonce: randomBytes(8).toString('hex'), units: await activeUnits(ctx.tx) }));
      return;
    }
    const s = momentOf(ctx.deps);
    const units = await activeUnits(ctx.tx);
    const parsed = parseTopicLine(args, units, s.now, s.timezone);
    if (!parsed.ok) {
      throw new UserError(`点题未发布：\n${parsed.errors.map((e, i) => `${i + 1}. ${e}`).join('\n')}\n格式：${LINE_USAGE}\n也可以只发“点题”，用表单填写。`);
    }
    const { topic } = await createTopic(ctx.tx, parsed.input, { actor: ctx.who.openId, now: s.now });
    await publishBoard(ctx, topic.id);
    const scope = parsed.input.units === 'all' ? '全部单位' : units.filter((u) => (parsed.input.units as number[]).includes(u.id)).map((u) => u.name).join('、');
    await ctx.reply(
      `已发布点题 ${topicCode(topic.id)}“${topic.title}”\n截止：${chineseDateTime(topic.deadline, s.timezone)}\n类别：${topic.category}\n面向：${scope}\n点题卡片已发到工作群。`,
    );
  },
});

/** The form's 发布点题: invalid input comes back on the form with the problem marked. */
export const createTopicAction = cardAction(CREATE_ACTION, {
  allow: MAY_CREATE,
  async run(ctx, { k }) {
    const nonce = k || randomBytes(8).toString('hex');
    if (!ctx.who.editor) return createUnitTopic(ctx, nonce);
    const s = momentOf(ctx.deps);
    const units = await activeUnits(ctx.tx);
    const { input, errors, values } = readTopicForm(ctx.event.formValue, units, s.now, s.timezone);
    if (hasErrors(errors)) {
      const first = Object.values(errors).find(Boolean)!;
      return { toast: { type: 'error', content: first }, card: topicFormCard({ nonce, units, values, errors }) };
    }
    const { topic, created } = await createTopic(ctx.tx, input, { actor: ctx.who.openId, now: s.now, sourceKey: `form:${nonce}` });
    if (created) await publishBoard(ctx, topic.id);
    const targets = input.units === 'all' ? units.length : input.units.length;
    return {
      toast: created
        ? { type: 'success', content: `已发布 ${topicCode(topic.id)}，点题卡片已发到工作群` }
        : { type: 'info', content: `该点题已发布为 ${topicCode(topic.id)}` },
      card: topicCreatedCard(topic, targets, s.timezone),
    };
  },});
