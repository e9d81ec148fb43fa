import { UserError } from '../../bot/errors.js';
import { anyone, cardAction, command, roles } from '../../bot/declare.js';
import { TOPIC_LINK_ACTIONS, topicLinkCard, topicLinkedCard } from '../../cards/topic-link.js';
import { loadTopic } from '../../domain/topics/board-data.js';
import { parseTopicCode, topicCode } from '../../domain/topics/code.js';
import { toHalfWidth } from '../../domain/topics/datetime.js';
import { linkableDrafts, linkDraftToTopic } from '../../domain/topics/link.js';
import { formString } from '../drafts/args.js';

const USAGE = '关联 2026-0012 T12（取消关联：关联 2026-0012 无）';

/** 关联 <稿件编号> <T号|无>: link a not-yet-approved draft to a topic after sending it. */
export const linkTopicCommand = command({
  name: '关联',
  aliases: ['关联点题', '关联选题'],
  summary: '把已提交、未审核通过的稿件关联到点题',
  usage: '关联 2026-0012 T12',
  example: (c) => `关联 ${c.year}-0002 T1`,
  audience: ['officer'],
  // Only the draft's author may link it: linkDraftToTopic checks that after finding the draft, so
  // anyone else (strangers too) learns no more than that the serial is not theirs.
  allow: anyone,
  async run(ctx, args) {
    const [serialRaw, codeRaw] = toHalfWidth(args).trim().split(/\s+/);
    const serial = /^\d{4}-\d{1,6}$/.test(serialRaw ?? '') ? serialRaw! : undefined;
    if (!serial || !codeRaw) throw new UserError(`格式：${USAGE}`);
    const unlink = ['无', '取消', '不关联'].includes(codeRaw);
    const topicId = unlink ? null : parseTopicCode(codeRaw);
    if (topicId === undefined) throw new UserError(`无法识别点题编号“${codeRaw}”。格式：${USAGE}`);
    const [y, n] = serial.split('-');
    const normalized = `${y}-${n!.padStart(4, '0')}`;
    const r = await linkDraftToTopic(ctx, { serial: normalized, topicId, actor: ctx.who.openId });
    await ctx.reply(linkedText(r));
  },
});

function linkedText(r: Awaited<ReturnType<typeof linkDraftToTopic>>): string {
  if (!r.topic) return `已取消稿件 ${r.draft.serial} 与点题的关联。`;
  return `已将稿件 ${r.draft.serial} 关联到点题 ${topicCode(r.topic.id)}“${r.topic.title}”。` + (r.late ? '该点题已过截止时间，本单位记为逾期提交。' : '');
}

const LINK_ALLOW = roles(['officer'], '关联稿件', '只有信息员可以把自己的稿件关联到点题。');

/**
 * 关联稿件 on the group's topic card: the tapper gets a private picker of their own linkable drafts.
 * The group card stays free of draft titles; the picker lives in the officer's private chat.
 */
export const linkPickAction = cardAction(TOPIC_LINK_ACTIONS.pick, {
  allow: LINK_ALLOW,
  async run(ctx, { t }) {
    const topic = await loadTopic(ctx.tx, t);
    if (!topic) throw new UserError(`找不到点题 ${topicCode(t)}。`);
    if (topic.status === 'closed') throw new UserError(`点题 ${topicCode(t)} 已关闭，不再接收稿件。`);
    const mine = await linkableDrafts(ctx.tx, { openId: ctx.who.openId, topicId: t });
    if (mine.length === 0) {
      return { toast: { type: 'info', content: `您没有可关联到 ${topicCode(t)} 的稿件：只有已提交、尚未审核通过的稿件可以关联` } };
    }
    await ctx.out.sendCard({ openId: ctx.who.openId }, topicLinkCard({ topicId: t, topicTitle: topic.title, drafts: mine }));
    return { toast: { type: 'success', content: '已私聊发您可关联的稿件，请在那里选择' } };
  },
});

/** 关联 on the private picker: links the chosen draft (the author check is linkDraftToTopic's). */
export const linkTopicAction = cardAction(TOPIC_LINK_ACTIONS.link, {
  allow: LINK_ALLOW,
  privateChat: true,
  async run(ctx, { t }) {
    const serial = formString(ctx.event.formValue, 'draft');
    if (!serial || !/^\d{4}-\d{4,6}$/.test(serial)) throw new UserError('请先选择要关联的稿件。');
    const r = await linkDraftToTopic(ctx, { serial, topicId: t, actor: ctx.who.openId });
    const text = linkedText(r);
    return { toast: { type: 'success', content: `已关联 ${topicCode(t)}` }, card: topicLinkedCard(text) };
  },
});
