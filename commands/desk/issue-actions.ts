import { eq } from 'drizzle-orm';
import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import { bulletinIssues } from '../../db/schema/index.js';
import { ISSUE_ACTIONS } from '../../cards/desk-issue.js';
import { exportIssue } from '../../domain/desk/export-issue.js';
import { VOIDED_TEXT } from '../../domain/desk/editorial.js';
import { issueLabel, moveItem, openIssue } from '../../domain/desk/issues.js';
import { requireEditor, requireEditorOrLeader } from '../../domain/roster/permissions.js';
import { publishAndNotify } from '../../domain/desk/publish.js';
import { renderIssue } from './issue-view.js';

function intArg(ctx: ActionContext, name: string): number {
  const v = ctx.args[name];
  if (!Number.isInteger(v)) throw new UserError('这张卡片已失效，请重新发送“本期信息”。');
  return v as number;
}

async function issueById(ctx: ActionContext, id: number) {
  const [issue] = await ctx.tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, id));
  if (!issue) throw new UserError('找不到这一期。');
  return issue;
}

export const issueOpen: CardAction = {
  id: ISSUE_ACTIONS.open,
  privateChat: true,
  async run(ctx) {
    requireEditor(ctx.who, '开启新一期');
    const { issue, created } = await openIssue(ctx.tx, { actor: ctx.who.openId, now: ctx.deps.clock.now(), timezone: ctx.deps.config.timezone });
    return {
      toast: { type: created ? 'success' : 'info', content: created ? `已开启${issueLabel(issue)}` : `${issueLabel(issue)}尚未发布，请先编排本期` },
      card: await renderIssue(ctx.tx, issue, ctx.deps.config.timezone),
    };
  },
};

export const issueMove: CardAction = {
  id: ISSUE_ACTIONS.move,
  privateChat: true,
  async run(ctx) {
    requireEditor(ctx.who, '调整本期稿件顺序');
    // Buttons carry the target position; the compact form of a long issue sends it as a field.
    const fromForm = Number(ctx.event.formValue?.to);
    const to = Number.isInteger(ctx.args.to) ? (ctx.args.to as number) : fromForm;
    if (!Number.isInteger(to)) throw new UserError('请选择要移到第几条。');
    const itemId = Number.isInteger(ctx.args.item) ? (ctx.args.item as number) : Number(ctx.event.formValue?.item);
    if (!Number.isInteger(itemId)) throw new UserError('请选择要移动的条目。');
    const { issue, voided } = await moveItem(ctx.tx, { itemId, to, actor: ctx.who.openId, now: ctx.deps.clock.now() });
    return { ...(voided ? { toast: { type: 'warning' as const, content: VOIDED_TEXT } } : {}), card: await renderIssue(ctx.tx, issue, ctx.deps.config.timezone) };
  },
};

export const issuePublish: CardAction = {
  id: ISSUE_ACTIONS.publish,
  privateChat: true,
  async run(ctx) {
    requireEditor(ctx.who, '印发本期信息');
    const r = await publishAndNotify(ctx, { issueId: intArg(ctx, 'issue'), actor: ctx.who.openId });
    return {
      toast: { type: 'success', content: `${issueLabel(r.issue)}已印发，已通知 ${r.notified} 人` },
      card: await renderIssue(ctx.tx, r.issue, ctx.deps.config.timezone),
    };
  },
};

export const issueExport: CardAction = {
  id: ISSUE_ACTIONS.export,
  async run(ctx) {
    requireEditorOrLeader(ctx.who, '导出信息');
    const issue = await issueById(ctx, intArg(ctx, 'issue'));
    const file = await exportIssue(ctx.tx, { year: issue.year, number: issue.number, timezone: ctx.deps.config.timezone });
    await ctx.out.sendFile({ openId: ctx.who.openId }, { blobSha256: file.blobSha256, fileName: file.fileName });
    return { toast: { type: 'success', content: `正在发送 ${file.fileName}` } };
  },
};

export const issueActions: CardAction[] = [issueOpen, issueMove, issuePublish, issueExport];
