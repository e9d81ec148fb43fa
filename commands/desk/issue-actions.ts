import { eq } from 'drizzle-orm';
import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { cardAction, roles } from '../../bot/declare.js';
import { UserError } from '../../bot/errors.js';
import { bulletinIssues } from '../../db/schema/index.js';
import { ISSUE_ACTIONS } from '../../cards/desk-issue.js';
import { exportIssue } from '../../domain/desk/export-issue.js';
import { VOIDED_TEXT } from '../../domain/desk/editorial.js';
import { issueLabelFor, moveItem, openIssue } from '../../domain/desk/issues.js';
import { publishAndNotify } from '../../domain/desk/publish.js';
import { targetPublication } from '../../domain/desk/publications.js';
import { renderIssue } from './issue-view.js';

async function issueById(ctx: ActionContext, id: number) {
  const [issue] = await ctx.tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, id));
  if (!issue) throw new UserError('找不到这一期。');
  return issue;
}

export const issueOpen = cardAction(ISSUE_ACTIONS.open, {
  allow: roles(['editor'], '开启新一期'),
  privateChat: true,
  async run(ctx, { pub }) {
    const publication = await targetPublication(ctx.tx, pub);
    const { issue, created } = await openIssue(ctx.tx, { publicationId: publication.id, actor: ctx.who.openId, now: ctx.deps.clock.now(), timezone: ctx.deps.config.timezone });
    return {
      toast: { type: created ? 'success' : 'info', content: created ? `已开启${await issueLabelFor(ctx.tx, issue)}` : `${await issueLabelFor(ctx.tx, issue)}尚未发布，请先编排本期` },
      card: await renderIssue(ctx.tx, issue, ctx.deps.config.timezone),
    };
  },
});

export const issueMove = cardAction(ISSUE_ACTIONS.move, {
  allow: roles(['editor'], '调整本期稿件顺序'),
  privateChat: true,
  async run(ctx, args) {
    // Buttons carry the target position; the compact form of a long issue sends it as a field.
    const to = args.to ?? Number(ctx.event.formValue?.to);
    if (!Number.isInteger(to)) throw new UserError('请选择要移到第几条。');
    const itemId = args.item ?? Number(ctx.event.formValue?.item);
    if (!Number.isInteger(itemId)) throw new UserError('请选择要移动的条目。');
    const { issue, voided } = await moveItem(ctx.tx, { itemId, to, actor: ctx.who.openId, now: ctx.deps.clock.now() });
    return { ...(voided ? { toast: { type: 'warning' as const, content: VOIDED_TEXT } } : {}), card: await renderIssue(ctx.tx, issue, ctx.deps.config.timezone) };
  },
});

export const issuePublish = cardAction(ISSUE_ACTIONS.publish, {
  allow: roles(['editor'], '印发本期信息'),
  privateChat: true,
  async run(ctx, { issue }) {
    const r = await publishAndNotify(ctx, { issueId: issue, actor: ctx.who.openId });
    return {
      toast: { type: 'success', content: `${await issueLabelFor(ctx.tx, r.issue)}已印发，已通知 ${r.notified} 人` },
      card: await renderIssue(ctx.tx, r.issue, ctx.deps.config.timezone),
    };
  },
});

export const issueExport = cardAction(ISSUE_ACTIONS.export, {
  allow: roles(['editor', 'leader'], '导出信息'),
  async run(ctx, args) {
    const issue = await issueById(ctx, args.issue);
    const file = await exportIssue(ctx.tx, { issue, timezone: ctx.deps.config.timezone });
    await ctx.out.sendFile({ openId: ctx.who.openId }, { blobSha256: file.blobSha256, fileName: file.fileName });
    return { toast: { type: 'success', content: `正在发送 ${file.fileName}` } };
  },
});

export const issueActions: CardAction[] = [issueOpen, issueMove, issuePublish, issueExport];
