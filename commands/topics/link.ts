import { UserError } from '../../bot/errors.js';
import { command, anyone } from '../../bot/declare.js';
import { parseTopicCode, topicCode } from '../../domain/topics/code.js';
import { toHalfWidth } from '../../domain/topics/datetime.js';
import { linkDraftToTopic } from '../../domain/topics/link.js';

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
    if (!r.topic) {
      await ctx.reply(`已取消稿件 ${r.draft.serial} 与点题的关联。`);
      return;
    }
    await ctx.reply(
      `已将稿件 ${r.draft.serial} 关联到点题 ${topicCode(r.topic.id)}“${r.topic.title}”。` + (r.late ? '该点题已过截止时间，本单位记为逾期提交。' : ''),
    );
  },});
