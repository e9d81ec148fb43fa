import { and, asc, eq } from 'drizzle-orm';
import { UserError } from '../../bot/errors.js';
import { cardAction, command, roles } from '../../bot/declare.js';
import type { ActionContext, CardResponse } from '../../bot/handlers.js';
import { ROSTER_ACTIONS, rosterUnitCard, type RosterPerson } from '../../cards/roster-card.js';
import { activeUnits, displayName } from '../../db/queries/roster.js';
import { designationChanges, people, roleAssignments } from '../../db/schema/index.js';
import { storeBlob } from '../../domain/files/blob-store.js';
import { exportOrgYaml } from '../../domain/roster/export-org.js';
import { refKindOf } from '../../domain/roster/org-file.js';
import { moveOpenReviews } from '../../domain/roster/removal.js';
import { contactFailureText } from '../../domain/roster/resolve-people.js';
import { activeUnit, designatedOfficer, grantRole, revokeRole, ROLE_LABELS, setDesignated } from '../../domain/roster/roles.js';
import { formString } from '../drafts/args.js';

const MAY_EDIT_ROSTER = roles(['editor'], '管理名册');

async function unitCard(ctx: { tx: ActionContext['tx'] }, unitId: number, unitName: string, message?: string) {
  const rows = await ctx.tx
    .select({ openId: roleAssignments.openId, role: roleAssignments.role, designated: roleAssignments.designated, name: people.name })
    .from(roleAssignments)
    .innerJoin(people, eq(people.openId, roleAssignments.openId))
    .where(and(eq(roleAssignments.unitId, unitId), eq(roleAssignments.active, true)))
    .orderBy(asc(roleAssignments.role), asc(roleAssignments.id));
  const list: RosterPerson[] = rows
    .filter((r): r is typeof r & { role: 'officer' | 'reviewer' } => r.role === 'officer' || r.role === 'reviewer')
    .sort((a, b) => (a.role === b.role ? 0 : a.role === 'reviewer' ? -1 : 1))
    .map((r) => ({ openId: r.openId, name: displayName(r.name, r.openId), role: r.role, designated: r.designated }));
  const here = new Set(list.map((p) => p.openId));
  const pickable = (await ctx.tx.select({ openId: people.openId }).from(people).orderBy(asc(people.openId)).limit(200)).filter((p) => !here.has(p.openId));
  return rosterUnitCard({ unitId, unitName, people: list, pickable, message });
}

export const rosterCommand = command({
  name: '名册',
  summary: '查看并编辑各单位的人员和角色（添加、移除、改角色、设专职信息员）',
  allow: MAY_EDIT_ROSTER,
  async run(ctx) {
    const list = await activeUnits(ctx.tx);
    if (!list.length) throw new UserError('名册中还没有任何单位，请先用 org:import 导入 org.yaml。');
    for (const u of list) await ctx.reply(await unitCard(ctx, u.id, u.name));
  },
});

export const rosterExportCommand = command({
  name: '名册导出',
  summary: '把当前名册导出为 org.yaml 文件（可修改后再导入）',
  allow: MAY_EDIT_ROSTER,
  async run(ctx) {
    const yaml = await exportOrgYaml(ctx.tx);
    const { sha256 } = await storeBlob(ctx.tx, Buffer.from(yaml, 'utf8'), 'application/yaml');
    const me = { openId: ctx.who.openId };
    await ctx.out.sendText(me, '当前名册见下方 org.yaml 文件；修改后可用 npm run org:import 导入，未修改直接导入不会有任何变化。');
    await ctx.out.sendFile(me, { blobSha256: sha256, fileName: 'org.yaml' });
  },
});

/** Loads the unit from the button, and answers with the unit's card redrawn. */
async function edit(ctx: ActionContext, unitId: number, fn: (unit: { id: number; name: string }, now: Date) => Promise<string>): Promise<CardResponse> {
  const unit = await activeUnit(ctx.tx, unitId);
  const message = await fn(unit, ctx.deps.clock.now());
  return { toast: { type: 'success', content: message }, card: await unitCard(ctx, unit.id, unit.name, message) };
}

/** The role chosen in 添加's form. */
const roleArg = (v: unknown): 'officer' | 'reviewer' => {
  if (v === 'officer' || v === 'reviewer') return v;
  throw new UserError('这张卡片已失效，请重新发送“名册”。');
};

export const rosterAddAction = cardAction(ROSTER_ACTIONS.add, {
  allow: MAY_EDIT_ROSTER,
  run: (ctx, { unitId }) =>
    edit(ctx, unitId, async (unit, now) => {
      const f = ctx.event.formValue;
      const role = roleArg(formString(f, 'role') ?? 'officer');
      const picked = formString(f, 'person');
      const contact = formString(f, 'contact')?.trim();
      let openId: string | undefined = picked || undefined;
      let name: string | undefined;
      if (!openId && contact) {
        const kind = refKindOf(contact);
        if (kind === 'open_id') openId = contact;
        else if (kind === 'mobile' || kind === 'email') {
          let found;
          try {
            found = await ctx.deps.lark.findOpenIds(kind === 'mobile' ? { emails: [], mobiles: [contact] } : { emails: [contact], mobiles: [] });
          } catch (err) {
            throw new UserError(contactFailureText(err, 'contact:user.id:readonly'));
          }
          openId = (kind === 'mobile' ? found.mobiles : found.emails).get(contact);
          if (!openId) throw new UserError(`找不到${kind === 'mobile' ? '手机号' : '邮箱'} ${contact} 对应的飞书用户（请核对，并确认此人在应用的可用范围内）。`);
          name = await ctx.deps.lark.getUserName(openId);
        } else throw new UserError('手机号或邮箱格式不正确（手机号为 11 位，境外号码以 + 和国家代码开头）。');
      }
      if (!openId) throw new UserError('请选择人员，或填写手机号/邮箱。');
      const added = await grantRole(ctx.tx, { openId, role, unitId: unit.id, actor: ctx.who.openId, now, via: 'roster_card' });
      if (name) await ctx.tx.update(people).set({ name, nameSource: 'contact', nameRefreshedAt: now }).where(and(eq(people.openId, openId)));
      const [p] = await ctx.tx.select({ name: people.name }).from(people).where(eq(people.openId, openId));
      const shown = displayName(p?.name, openId);
      if (!added) throw new UserError(`${shown} 已是${unit.name}的${ROLE_LABELS[role]}。`);
      await ctx.out.sendText({ openId }, `您已被加入${unit.name}的名册，角色：${ROLE_LABELS[role]}。发送“帮助”查看可用的命令。`);
      return `已把 ${shown} 加为${unit.name}的${ROLE_LABELS[role]}。`;
    }),
});

export const rosterRemoveAction = cardAction(ROSTER_ACTIONS.remove, {
  allow: MAY_EDIT_ROSTER,
  run: (ctx, { unitId, openId, role }) =>
    edit(ctx, unitId, async (unit, now) => {
      if (!(await revokeRole(ctx.tx, { openId, role, unitId: unit.id, actor: ctx.who.openId, now, via: 'roster_card' }))) {
        throw new UserError('此人已不在本单位的这个角色上，请重新发送“名册”查看最新名册。');
      }
      const [p] = await ctx.tx.select({ name: people.name }).from(people).where(eq(people.openId, openId));
      const shown = displayName(p?.name, openId);
      await ctx.out.sendText({ openId }, `您已不再担任${unit.name}的${ROLE_LABELS[role]}。您的稿件和积分记录均保留。`);
      const moved = role === 'reviewer' ? await moveOpenReviews(ctx, { openId, unitId: unit.id, now }) : 0;
      return `已把 ${shown} 移出${unit.name}的${ROLE_LABELS[role]}。${moved ? `其待审的 ${moved} 篇稿件已转交他人审核。` : ''}`;
    }),
});

export const rosterRoleAction = cardAction(ROSTER_ACTIONS.role, {
  allow: MAY_EDIT_ROSTER,
  run: (ctx, { unitId, openId, role: from }) =>
    edit(ctx, unitId, async (unit, now) => {
      const to = from === 'officer' ? 'reviewer' : 'officer';
      if (!(await revokeRole(ctx.tx, { openId, role: from, unitId: unit.id, actor: ctx.who.openId, now, via: 'roster_card' }))) {
        throw new UserError('此人的角色已变化，请重新发送“名册”查看最新名册。');
      }
      await grantRole(ctx.tx, { openId, role: to, unitId: unit.id, actor: ctx.who.openId, now, via: 'roster_card' });
      if (from === 'reviewer') await moveOpenReviews(ctx, { openId, unitId: unit.id, now });
      const [p] = await ctx.tx.select({ name: people.name }).from(people).where(eq(people.openId, openId));
      await ctx.out.sendText({ openId }, `您在${unit.name}的角色已改为${ROLE_LABELS[to]}。`);
      return `已把 ${displayName(p?.name, openId)} 改为${unit.name}的${ROLE_LABELS[to]}。`;
    }),
});

/** An editor sets the designated officer directly on the roster card; recorded as an approved 备案. */
export const rosterDesignateAction = cardAction(ROSTER_ACTIONS.designate, {
  allow: MAY_EDIT_ROSTER,
  run: (ctx, { unitId, openId }) =>
    edit(ctx, unitId, async (unit, now) => {
      const before = await designatedOfficer(ctx.tx, unit.id);
      if (before === openId) throw new UserError('此人已是本单位的专职信息员。');
      await setDesignated(ctx.tx, { unitId: unit.id, openId, actor: ctx.who.openId, now, via: 'roster_card' });
      await ctx.tx.insert(designationChanges).values({
        unitId: unit.id,
        fromOpenId: before ?? null,
        toOpenId: openId,
        reason: '研究室在名册中直接设定',
        proposedBy: ctx.who.openId,
        proposedAt: now,
        status: 'approved',
        decidedBy: ctx.who.openId,
        decidedAt: now,
      });
      const [p] = await ctx.tx.select({ name: people.name }).from(people).where(eq(people.openId, openId));
      return `已把 ${displayName(p?.name, openId)} 设为${unit.name}的专职信息员，并已备案。`;
    }),
});
