import { eq } from 'drizzle-orm';
import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import { drafts, units, type Disposition } from '../../db/schema/index.js';
import { DESK_ACTIONS } from '../../cards/desk-queue.js';
import { declineCard } from '../../cards/desk-decline.js';
import { adoptDrafts } from '../../domain/desk/adopt.js';
import { declineDraft } from '../../domain/desk/decline.js';
import { VOIDED_TEXT } from '../../domain/desk/editorial.js';
import { issueLabel } from '../../domain/desk/issues.js';
import { requireEditor } from '../../domain/roster/permissions.js';
import { deskStateOf, renderDesk } from './desk-view.js';
import { sendDraftFull } from './view-command.js';
import { draftById } from '../../domain/drafts/views.js';

function draftIdOf(ctx: ActionContext): number {
  const id = ctx.args.id;
  if (!Number.isInteger(id)) throw new UserError('这张卡片已失效，请重新发送“待编稿件”。');
  return id as number;
}

const redraw = (ctx: ActionContext, over: Partial<ReturnType<typeof deskStateOf>> = {}) =>
  renderDesk(ctx.tx, { ...deskStateOf(ctx.args), ...over }, ctx.deps.config.timezone);

export const deskPage: CardAction = {
  id: DESK_ACTIONS.page,
  privateChat: true,
  async run(ctx) {
    requireEditor(ctx.who, '处理待编稿件');
    return { card: await redraw(ctx) };
  },
};

export const deskPick: CardAction = {
  id: DESK_ACTIONS.pick,
  privateChat: true,
  async run(ctx) {
    requireEditor(ctx.who, '合并稿件');
    return { card: await redraw(ctx) };
  },
};

export const deskAdopt: CardAction = {
  id: DESK_ACTIONS.adopt,
  privateChat: true,
  async run(ctx) {
    requireEditor(ctx.who, '采用稿件');
    const r = await adoptDrafts(ctx, { draftIds: [draftIdOf(ctx)], actor: ctx.who.openId });
    const state = deskStateOf(ctx.args);
    const opened = r.issueCreated ? `（已开启${issueLabel(r.issue)}）` : '';
    return {
      toast: { type: 'success', content: `已采用，编入${issueLabel(r.issue)}第 ${r.item.position} 条${opened}${r.voided ? `。${VOIDED_TEXT}` : ''}` },
      card: await redraw(ctx, { picks: state.picks.filter((p) => p !== r.drafts[0]!.id) }),
    };
  },
};

export const deskMerge: CardAction = {
  id: DESK_ACTIONS.merge,
  privateChat: true,
  async run(ctx) {
    requireEditor(ctx.who, '合并稿件');
    const state = deskStateOf(ctx.args);
    if (state.picks.length < 2) throw new UserError('合并至少需要选择 2 篇稿件。');
    const title = String(ctx.event.formValue?.title ?? '');
    const r = await adoptDrafts(ctx, { draftIds: state.picks, title, actor: ctx.who.openId });
    return {
      toast: { type: 'success', content: `已合并 ${r.drafts.length} 篇为综合稿，编入${issueLabel(r.issue)}第 ${r.item.position} 条${r.voided ? `。${VOIDED_TEXT}` : ''}` },
      card: await redraw(ctx, { picks: [] }),
    };
  },
};

export const deskDeclineForm: CardAction = {
  id: DESK_ACTIONS.declineForm,
  privateChat: true,
  async run(ctx) {
    requireEditor(ctx.who, '处理稿件');
    const [row] = await ctx.tx
      .select({ draft: drafts, unitName: units.name })
      .from(drafts)
      .innerJoin(units, eq(units.id, drafts.unitId))
      .where(eq(drafts.id, draftIdOf(ctx)));
    if (!row) throw new UserError('找不到这篇稿件。');
    if (row.draft.state !== 'approved' && row.draft.state !== 'archived') {
      return { toast: { type: 'info', content: `稿件 ${row.draft.serial} 已处理。` }, card: await redraw(ctx) };
    }
    return { card: declineCard({ draft: row.draft, unitName: row.unitName, state: deskStateOf(ctx.args) }) };
  },
};

export const deskDecline: CardAction = {
  id: DESK_ACTIONS.decline,
  privateChat: true,
  async run(ctx) {
    requireEditor(ctx.who, '处理稿件');
    const fv = ctx.event.formValue ?? {};
    if (fv.disposition !== 'reserve' && fv.disposition !== 'rejected') throw new UserError('请选择处理方式：“备用”还是“不采用”。');
    const disposition: Disposition = fv.disposition;
    const draft = await declineDraft(ctx, { draftId: draftIdOf(ctx), disposition, reason: String(fv.reason ?? ''), actor: ctx.who.openId });
    const state = deskStateOf(ctx.args);
    return {
      toast: { type: 'success', content: `已列为“${disposition === 'reserve' ? '备用' : '不采用'}”，已告知信息员` },
      card: await redraw(ctx, { picks: state.picks.filter((p) => p !== draft.id) }),
    };
  },
};

/** 全文: the whole draft (text, findings, history, original file) as a new card, the desk stays as it is. */
export const deskView: CardAction = {
  id: DESK_ACTIONS.view,
  async run(ctx) {
    requireEditor(ctx.who, '处理待编稿件');
    return sendDraftFull(ctx, await draftById(ctx.tx, draftIdOf(ctx)));
  },
};

export const deskActions: CardAction[] = [deskView, deskPage, deskPick, deskAdopt, deskMerge, deskDeclineForm, deskDecline];
