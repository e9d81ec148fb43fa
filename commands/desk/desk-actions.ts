import { eq } from 'drizzle-orm';
import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { cardAction, roles } from '../../bot/declare.js';
import { UserError } from '../../bot/errors.js';
import { units, type Disposition } from '../../db/schema/index.js';
import { DESK_ACTIONS, type DeskState } from '../../cards/desk-queue.js';
import { declineCard } from '../../cards/desk-decline.js';
import { adoptDrafts } from '../../domain/desk/adopt.js';
import { declineDraft } from '../../domain/desk/decline.js';
import { VOIDED_TEXT } from '../../domain/desk/editorial.js';
import { publicationById } from '../../domain/desk/publications.js';
import { renderDesk } from './desk-view.js';
import { sendDraftFull } from './view-command.js';
import { draftById } from '../../domain/drafts/views.js';

/** The desk as the button's state describes it (a hint: renderDesk reads the queue fresh). */
const redraw = (ctx: ActionContext, state: DeskState, over: Partial<DeskState> = {}) =>
  renderDesk(ctx.tx, { view: state.view, page: state.page, picks: state.picks, ...(state.pub !== undefined ? { pub: state.pub } : {}), ...over }, ctx.deps.config.timezone);

/** The publication chosen on the desk card. */
export const deskPublication = cardAction(DESK_ACTIONS.publication, {
  allow: roles(['editor'], '采用稿件'),
  privateChat: true,
  async run(ctx, state) {
    const pub = Number(ctx.event.option);
    if (!Number.isInteger(pub) || pub <= 0) throw new UserError('请选择编入的刊物。');
    const p = await publicationById(ctx.tx, pub);
    return { toast: { type: 'info', content: `采用的稿件将编入《${p.name}》` }, card: await redraw(ctx, state, { pub: p.id }) };
  },
});

export const deskPage = cardAction(DESK_ACTIONS.page, {
  allow: roles(['editor'], '处理待编稿件'),
  privateChat: true,
  async run(ctx, state) {
    return { card: await redraw(ctx, state) };
  },
});

export const deskPick = cardAction(DESK_ACTIONS.pick, {
  allow: roles(['editor'], '合并稿件'),
  privateChat: true,
  async run(ctx, state) {
    return { card: await redraw(ctx, state) };
  },
});

export const deskAdopt = cardAction(DESK_ACTIONS.adopt, {
  allow: roles(['editor'], '采用稿件'),
  privateChat: true,
  async run(ctx, { id, ...state }) {
    const r = await adoptDrafts(ctx, { draftIds: [id], actor: ctx.who.openId, publicationId: state.pub });
    const opened = r.issueCreated ? `（已开启${r.label}）` : '';
    return {
      toast: { type: 'success', content: `已采用，编入${r.label}第 ${r.item.position} 条${opened}${r.voided ? `。${VOIDED_TEXT}` : ''}` },
      card: await redraw(ctx, state, { picks: state.picks.filter((p) => p !== r.drafts[0]!.id) }),
    };
  },
});

export const deskMerge = cardAction(DESK_ACTIONS.merge, {
  allow: roles(['editor'], '合并稿件'),
  privateChat: true,
  async run(ctx, state) {
    if (state.picks.length < 2) throw new UserError('合并至少需要选择 2 篇稿件。');
    const title = String(ctx.event.formValue?.title ?? '');
    const r = await adoptDrafts(ctx, { draftIds: state.picks, title, actor: ctx.who.openId, publicationId: state.pub });
    return {
      toast: { type: 'success', content: `已合并 ${r.drafts.length} 篇为综合稿，编入${r.label}第 ${r.item.position} 条${r.voided ? `。${VOIDED_TEXT}` : ''}` },
      card: await redraw(ctx, state, { picks: [] }),
    };
  },
});

export const deskDeclineForm = cardAction(DESK_ACTIONS.declineForm, {
  allow: roles(['editor'], '处理稿件'),
  privateChat: true,
  async run(ctx, { id, ...state }) {
    const draft = await draftById(ctx.tx, id);
    if (draft.state !== 'approved' && draft.state !== 'archived') {
      return { toast: { type: 'info', content: `稿件 ${draft.serial} 已处理。` }, card: await redraw(ctx, state) };
    }
    const [unit] = await ctx.tx.select({ name: units.name }).from(units).where(eq(units.id, draft.unitId));
    return { card: declineCard({ draft, unitName: unit?.name ?? '', state }) };
  },
});

export const deskDecline = cardAction(DESK_ACTIONS.decline, {
  allow: roles(['editor'], '处理稿件'),
  privateChat: true,
  async run(ctx, { id, ...state }) {
    const fv = ctx.event.formValue ?? {};
    if (fv.disposition !== 'reserve' && fv.disposition !== 'rejected') throw new UserError('请选择处理方式：“备用”还是“不采用”。');
    const disposition: Disposition = fv.disposition;
    const draft = await declineDraft(ctx, { draftId: id, disposition, reason: String(fv.reason ?? ''), actor: ctx.who.openId });
    return {
      toast: { type: 'success', content: `已列为“${disposition === 'reserve' ? '备用' : '不采用'}”，已告知信息员` },
      card: await redraw(ctx, state, { picks: state.picks.filter((p) => p !== draft.id) }),
    };
  },
});

/** 全文: the whole draft (text, findings, history, original file) as a new card, the desk stays as it is. */
export const deskView = cardAction(DESK_ACTIONS.view, {
  allow: roles(['editor'], '处理待编稿件'),
  async run(ctx, { id }) {
    return sendDraftFull(ctx, await draftById(ctx.tx, id));
  },
});

export const deskActions: CardAction[] = [deskView, deskPage, deskPick, deskPublication, deskAdopt, deskMerge, deskDeclineForm, deskDecline];
