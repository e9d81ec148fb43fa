import { and, eq } from 'drizzle-orm';
import { PermissionError, UserError } from '../../bot/errors.js';
import { anyone, cardAction, roles } from '../../bot/declare.js';
import type { ActionContext, MessageHandler } from '../../bot/handlers.js';
import { JOIN_ACTIONS, joinDecisionCard, joinFormCard, joinSubmittedCard } from '../../cards/roster-join.js';
import { activeUnits, displayName, holdersOf } from '../../db/queries/roster.js';
import { joinRequests, units, type JoinRequest } from '../../db/schema/index.js';
import { nameOf } from '../../domain/drafts/views.js';
import { activeUnit, grantRole } from '../../domain/roster/roles.js';
import { formString } from '../drafts/args.js';

const PURPOSE = 'join_request';

/**
 * Someone not in the roster writes to the bot privately: they get the 申请加入 card (or, with a
 * request pending, where it stands). Their message itself is not kept by this feature.
 */
export const joinRequestHandler: MessageHandler = {
  name: 'join-request',
  // Files and links from strangers keep their own refusal (which says how to apply); their bytes are never fetched.
  accepts: (event, who) => event.chatType === 'p2p' && !who.known && (event.messageType === 'text' || event.messageType === 'post'),
  async handle(ctx) {
    const [pending] = await ctx.tx
      .select()
      .from(joinRequests)
      .where(and(eq(joinRequests.openId, ctx.who.openId), eq(joinRequests.status, 'pending')));
    if (pending) {
      const unit = await activeUnit(ctx.tx, pending.unitId).catch(() => undefined);
      await ctx.reply(`您的加入申请（${unit?.name ?? ''}，${pending.role === 'officer' ? '信息员' : '组织委员'}）正在等待审批，结果会私信告知您。`);
      return;
    }
    const list = await activeUnits(ctx.tx);
    if (!list.length) {
      await ctx.reply('系统中还没有任何单位，暂时无法申请加入。请联系县委组织部研究室。');
      return;
    }
    await ctx.reply(joinFormCard(list));
  },
};

/** Who decides a request: the unit's reviewers for an officer (the editors when it has none), the editors for a reviewer. */
async function approversOf(ctx: ActionContext, r: Pick<JoinRequest, 'role' | 'unitId'>) {
  if (r.role === 'officer') {
    const reviewers = await holdersOf(ctx.tx, 'reviewer', [r.unitId]);
    if (reviewers.length) return { people: reviewers, label: '本单位组织委员' };
  }
  return { people: await holdersOf(ctx.tx, 'editor'), label: '县委组织部研究室' };
}

export const joinSubmitAction = cardAction(JOIN_ACTIONS.submit, {
  // People outside the roster apply; someone already in it is told so by run.
  allow: anyone,
  async run(ctx) {
    if (ctx.who.known) throw new UserError('您已在名册中，无需申请。发送“帮助”查看可用的命令。');
    const f = ctx.event.formValue;
    const name = formString(f, 'name')?.trim() ?? '';
    const role = formString(f, 'role');
    const unitId = Number(formString(f, 'unit'));
    const list = await activeUnits(ctx.tx);
    const again = (msg: string) => ({ toast: { type: 'error' as const, content: msg }, card: joinFormCard(list, msg) });
    if (!name) return again('请填写姓名。');
    if (Array.from(name).length > 20) return again('姓名最多 20 个字。');
    if (role !== 'officer' && role !== 'reviewer') return again('请选择申请的角色。');
    const unit = list.find((u) => u.id === unitId);
    if (!unit) return again('所选单位不存在或已停用，请重新选择。');
    const [pending] = await ctx.tx.select().from(joinRequests).where(and(eq(joinRequests.openId, ctx.who.openId), eq(joinRequests.status, 'pending')));
    if (pending) throw new UserError('您已有一份加入申请在等待审批。');
    const now = ctx.deps.clock.now();
    const [request] = await ctx.tx.insert(joinRequests).values({ openId: ctx.who.openId, name, unitId, role, createdAt: now }).returning();
    const approvers = await approversOf(ctx, request!);
    const view = { request: request!, unitName: unit.name };
    for (const p of approvers.people) {
      await ctx.out.sendCard({ openId: p.openId }, joinDecisionCard(view, ctx.deps.config.timezone), { purpose: PURPOSE, entityType: 'join_request', entityId: request!.id });
    }
    ctx.deps.log.info({ joinRequest: request!.id, role, unitId }, 'join request submitted');
    return { toast: { type: 'success', content: '申请已提交。' }, card: joinSubmittedCard(request!, unit.name, approvers.label) };
  },
});

export const joinDecideAction = cardAction(JOIN_ACTIONS.decide, {
  // Which reviewers may decide (those of the request's unit, for an officer) is checked below.
  allow: roles(['reviewer', 'editor'], '审批加入申请', '只有该单位的组织委员或研究室可以审批这份申请。'),
  async run(ctx, { id, d: decision }) {
    const [r] = await ctx.tx.select().from(joinRequests).where(eq(joinRequests.id, id)).for('update');
    if (!r) throw new UserError('找不到这份申请。');
    const mayDecide = ctx.who.editor || (r.role === 'officer' && ctx.who.reviewerUnits.some((u) => u.id === r.unitId));
    if (!mayDecide) {
      throw new PermissionError(r.role === 'officer' ? '只有该单位的组织委员或研究室可以审批这份申请。' : '只有研究室可以审批组织委员的加入申请。');
    }
    const [unit] = await ctx.tx.select().from(units).where(eq(units.id, r.unitId));
    const tz = ctx.deps.config.timezone;
    if (r.status !== 'pending') {
      const by = r.decidedBy ? await nameOf(ctx.tx, r.decidedBy) : '';
      return {
        toast: { type: 'warning', content: `${by}已${r.status === 'approved' ? '同意' : '拒绝'}这份申请，本次操作未生效。` },
        card: joinDecisionCard({ request: r, unitName: unit?.name ?? '', deciderName: by }, tz),
      };
    }
    const reason = formString(ctx.event.formValue, 'reason')?.trim();
    if (decision === 'decline' && !reason) throw new UserError('拒绝时请填写理由。');
    const now = ctx.deps.clock.now();
    if (decision === 'approve') {
      await activeUnit(ctx.tx, r.unitId);
      await grantRole(ctx.tx, { openId: r.openId, name: r.name, role: r.role, unitId: r.unitId, actor: ctx.who.openId, now, via: 'join_request' });
    }
    const [decided] = await ctx.tx
      .update(joinRequests)
      .set({ status: decision === 'approve' ? 'approved' : 'declined', decidedBy: ctx.who.openId, decidedAt: now, declineReason: reason || null })
      .where(eq(joinRequests.id, id))
      .returning();
    const role = r.role === 'officer' ? '信息员' : '组织委员';
    await ctx.out.sendText(
      { openId: r.openId },
      decision === 'approve'
        ? `您的加入申请已通过：您已是${unit?.name ?? ''}的${role}。发送“帮助”查看可用的命令。`
        : `您的加入申请（${unit?.name ?? ''}，${role}）未获同意。理由：${reason}`,
    );
    const view = { request: decided!, unitName: unit?.name ?? '', deciderName: displayName(ctx.who.name, ctx.who.openId) };
    const closed = joinDecisionCard(view, tz);
    await ctx.out.patchTracked([{ track: { purpose: PURPOSE, entityType: 'join_request', entityId: id }, draw: () => closed }], ctx.event.openMessageId);
    return { toast: { type: 'success', content: decision === 'approve' ? `已同意 ${r.name} 加入。` : '已拒绝，并把理由告知申请人。' }, card: closed };
  },
});
