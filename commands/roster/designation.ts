import { and, asc, eq } from 'drizzle-orm';
import { PermissionError, UserError } from '../../bot/errors.js';
import { cardAction, command, roles } from '../../bot/declare.js';
import { DESIGNATION_ACTIONS, designationCard, type DesignationView } from '../../cards/designation-card.js';
import { formatLocalDate } from '../../bot/time.js';
import type { DbOrTx } from '../../db/client.js';
import { activeUnits, holdersOf } from '../../db/queries/roster.js';
import { designationChanges, people, roleAssignments, units, type DesignationChange } from '../../db/schema/index.js';
import { nameOf } from '../../domain/drafts/views.js';
import { designatedOfficer, setDesignated } from '../../domain/roster/roles.js';
import { formString } from '../drafts/args.js';

const PURPOSE = 'designation_change';

async function viewOf(db: DbOrTx, c: DesignationChange): Promise<DesignationView> {
  const [unit] = await db.select({ name: units.name }).from(units).where(eq(units.id, c.unitId));
  return {
    change: c,
    unitName: unit?.name ?? '',
    fromName: c.fromOpenId ? await nameOf(db, c.fromOpenId) : '（无）',
    toName: await nameOf(db, c.toOpenId),
    proposerName: await nameOf(db, c.proposedBy),
    deciderName: c.decidedBy ? await nameOf(db, c.decidedBy) : undefined,
  };
}

/** 更换专职信息员 钱信息 原专职信息员调岗: the unit's reviewer proposes; the research office approves. */
export const proposeDesignationCommand = command({
  name: '更换专职信息员',
  summary: '提出更换本单位专职信息员，报研究室备案',
  usage: '更换专职信息员 姓名 理由',
  guide: '请写明新的专职信息员（须是本单位信息员）和更换理由，例如：更换专职信息员 钱信息 原专职信息员调岗。研究室审批后生效并备案。',
  allow: roles(['reviewer'], '提出更换本单位的专职信息员'),
  async run(ctx, args) {
    const [target = '', ...rest] = args.split(/\s+/).filter(Boolean);
    const reason = rest.join(' ').trim();
    if (!target || !reason) throw new UserError('请写明新的专职信息员和更换理由，例如：更换专职信息员 钱信息 原专职信息员调岗');
    const unitIds = ctx.who.reviewerUnits.map((u) => u.id);
    const officers = await ctx.tx
      .select({ openId: roleAssignments.openId, unitId: roleAssignments.unitId, name: people.name })
      .from(roleAssignments)
      .innerJoin(people, eq(people.openId, roleAssignments.openId))
      .where(and(eq(roleAssignments.role, 'officer'), eq(roleAssignments.active, true)));
    const matches = officers.filter((o) => o.unitId !== null && unitIds.includes(o.unitId) && (o.name === target || o.openId === target));
    if (matches.length === 0) throw new UserError(`“${target}”不是本单位的信息员。专职信息员须从本单位信息员中选定（新信息员请先申请加入或由研究室加入名册）。`);
    if (matches.length > 1) throw new UserError(`本单位有多名信息员叫“${target}”，请改用其 open_id。`);
    const { openId, unitId } = matches[0]! as { openId: string; unitId: number };
    const current = await designatedOfficer(ctx.tx, unitId);
    if (current === openId) throw new UserError(`${target} 已是本单位的专职信息员。`);
    const [pending] = await ctx.tx.select().from(designationChanges).where(and(eq(designationChanges.unitId, unitId), eq(designationChanges.status, 'pending')));
    if (pending) throw new UserError('本单位已有一项专职信息员更换在等待研究室审批。');
    const now = ctx.deps.clock.now();
    const [change] = await ctx.tx
      .insert(designationChanges)
      .values({ unitId, fromOpenId: current ?? null, toOpenId: openId, reason, proposedBy: ctx.who.openId, proposedAt: now })
      .returning();
    const view = await viewOf(ctx.tx, change!);
    for (const ed of await holdersOf(ctx.tx, 'editor')) {
      await ctx.out.sendCard({ openId: ed.openId }, designationCard(view, ctx.deps.config.timezone), { purpose: PURPOSE, entityType: 'designation_change', entityId: change!.id });
    }
    await ctx.reply(`已报研究室审批：${view.unitName}专职信息员由 ${view.fromName} 更换为 ${view.toName}。审批后生效并备案。`);
  },
});

export const designationDecideAction = cardAction(DESIGNATION_ACTIONS.decide, {
  allow: roles(['editor'], '审批专职信息员更换'),
  async run(ctx, { id, d }) {
    const [c] = await ctx.tx.select().from(designationChanges).where(eq(designationChanges.id, id)).for('update');
    if (!c) throw new UserError('找不到这项更换申请。');
    const tz = ctx.deps.config.timezone;
    if (c.status !== 'pending') {
      const v = await viewOf(ctx.tx, c);
      return { toast: { type: 'warning', content: `${v.deciderName ?? ''}已处理这项申请，本次操作未生效。` }, card: designationCard(v, tz) };
    }
    const reason = formString(ctx.event.formValue, 'reason')?.trim();
    if (d === 'decline' && !reason) throw new UserError('不同意时请填写理由。');
    const now = ctx.deps.clock.now();
    if (d === 'approve') await setDesignated(ctx.tx, { unitId: c.unitId, openId: c.toOpenId, actor: ctx.who.openId, now, via: 'designation_change' });
    const [decided] = await ctx.tx
      .update(designationChanges)
      .set({ status: d === 'approve' ? 'approved' : 'declined', decidedBy: ctx.who.openId, decidedAt: now, declineReason: reason || null })
      .where(eq(designationChanges.id, id))
      .returning();
    const v = await viewOf(ctx.tx, decided!);
    const card = designationCard(v, tz);
    await ctx.out.patchTracked([{ track: { purpose: PURPOSE, entityType: 'designation_change', entityId: id }, draw: () => card }], ctx.event.openMessageId);
    if (d === 'approve') {
      await ctx.out.sendText({ openId: c.proposedBy }, `研究室已同意：${v.unitName}专职信息员更换为 ${v.toName}，已备案。`);
      await ctx.out.sendText({ openId: c.toOpenId }, `您已被确定为${v.unitName}的专职信息员（已报县委组织部研究室备案）。`);
    } else {
      await ctx.out.sendText({ openId: c.proposedBy }, `研究室未同意更换${v.unitName}专职信息员为 ${v.toName}。理由：${reason}`);
    }
    return { toast: { type: 'success', content: d === 'approve' ? '已同意并备案。' : '已告知提出人。' }, card };
  },
});

const cnDate = (d: Date, tz: string) => {
  const [y, m, day] = formatLocalDate(d, tz).split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

/** 备案记录 [单位]: approved 专职信息员 changes, newest first. Reviewers see their own units. */
export const designationHistoryCommand = command({
  name: '备案记录',
  summary: '查看专职信息员更换的备案记录',
  usage: '备案记录 [单位]',
  allow: roles(['reviewer', 'editor', 'leader'], '查看备案记录'),
  async run(ctx, args) {
    const all = ctx.who.editor || ctx.who.leader;
    const list = await activeUnits(ctx.tx);
    const wanted = args.trim();
    const unit = wanted ? list.find((u) => u.name === wanted) : undefined;
    if (wanted && !unit) throw new UserError(`没有名为“${wanted}”的单位。`);
    const allowed = all ? list.map((u) => u.id) : ctx.who.reviewerUnits.map((u) => u.id);
    if (unit && !allowed.includes(unit.id)) throw new PermissionError('组织委员只能查看本单位的备案记录。');
    const ids = unit ? [unit.id] : allowed;
    const rows = (await ctx.tx.select().from(designationChanges).where(eq(designationChanges.status, 'approved')).orderBy(asc(designationChanges.id))).filter((r) => ids.includes(r.unitId)).reverse();
    const tz = ctx.deps.config.timezone;
    if (!rows.length) {
      await ctx.reply(`${unit ? unit.name : ''}暂无专职信息员更换的备案记录。`);
      return;
    }
    const lines = [];
    for (const r of rows) {
      const v = await viewOf(ctx.tx, r);
      lines.push(`${cnDate(r.decidedAt ?? r.proposedAt, tz)} ${v.unitName}：${v.fromName} → ${v.toName}；理由：${r.reason}；提出：${v.proposerName}；批准：${v.deciderName ?? ''}`);
    }
    await ctx.reply(`专职信息员备案记录（${rows.length} 条）\n${lines.join('\n')}`);
  },
});
