import { command, roles } from '../../bot/declare.js';
import { UserError } from '../../bot/errors.js';
import { findIssue, issueNotFound } from '../../domain/desk/issues.js';
import { publicationOfArgs } from '../../domain/desk/publications.js';
import { localYear } from '../../bot/time.js';
import { exportIssue } from '../../domain/desk/export-issue.js';
import { parseIssueRef } from './issue-ref.js';
import { renderCurrentIssue, renderIssue } from './issue-view.js';

/**
 * `本期信息` shows the issue being put together; `本期信息 2026-12` any issue. A publication's name
 * first (`本期信息 组工专报 第3期`) picks another publication than the main one.
 */
export const issueCommand = command({
  name: '本期信息',
  aliases: ['期刊'],
  summary: '查看本期（调整顺序、编审、编者按、送审签发、印发、导出）或某一期',
  usage: '本期信息 [刊物名称] [2026年第12期]',
  example: () => '本期信息',
  allow: roles(['editor'], '管理本期信息'),
  async run(ctx, args) {
    const tz = ctx.deps.config.timezone;
    const { publication, rest } = await publicationOfArgs(ctx.tx, args);
    if (!rest) return ctx.reply(await renderCurrentIssue(ctx.tx, publication, tz));
    const ref = parseIssueRef(rest, localYear(ctx.deps.clock.now(), tz));
    if (!ref) throw new UserError('请写成“本期信息 2026年第12期”，本年的也可以写“本期信息 第12期”；其他刊物在前面写刊物名称，例如“本期信息 组工专报 第3期”。');
    const issue = await findIssue(ctx.tx, publication.id, ref.year, ref.number);
    if (!issue) throw await issueNotFound(ctx.tx, publication, ref.year, ref.number);
    await ctx.reply(await renderIssue(ctx.tx, issue, tz));
  },
});

/** `导出信息 2026-12`: the issue as a Word file, laid out like the printed bulletin. */
export const exportCommand = command({
  name: '导出信息',
  aliases: ['导出期刊'],
  summary: '把某一期导出为 Word 文件',
  usage: '导出信息 [刊物名称] 2026年第12期',
  example: (c) => `导出信息 ${c.year}年第1期`,
  allow: roles(['editor', 'leader'], '导出信息'),
  async run(ctx, args) {
    const { publication, rest } = await publicationOfArgs(ctx.tx, args);
    const ref = parseIssueRef(rest, localYear(ctx.deps.clock.now(), ctx.deps.config.timezone));
    if (!ref) throw new UserError('请写成“导出信息 2026年第12期”，本年的也可以写“导出信息 第12期”或“导出信息 12”；其他刊物在前面写刊物名称，例如“导出信息 组工专报 第3期”。');
    const issue = await findIssue(ctx.tx, publication.id, ref.year, ref.number);
    if (!issue) throw await issueNotFound(ctx.tx, publication, ref.year, ref.number);
    const file = await exportIssue(ctx.tx, { issue, timezone: ctx.deps.config.timezone });
    await ctx.out.sendFile({ openId: ctx.who.openId }, { blobSha256: file.blobSha256, fileName: file.fileName });
    ctx.log.info({ issue: file.label }, 'issue exported');
  },
});
