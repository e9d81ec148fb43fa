import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { refKindOf } from '../domain/roster/org-file.js';
import { button, buttonRow, card, escapeMd, form, input, markdown, note, selectStatic, submitButton, type Card, type Element } from './elements.js';

/** A person's buttons carry the unit, the person and the role the row shows; 添加 the unit (the rest is in the form). */
const PERSON = z.object({
  unitId: id(),
  openId: z.string().max(100).refine((v) => refKindOf(v) === 'open_id'),
  role: z.enum(['officer', 'reviewer']),
});

export const ROSTER_ACTIONS = {
  add: actionSpec('roster.add', z.object({ unitId: id() })),
  remove: actionSpec('roster.remove', PERSON),
  role: actionSpec('roster.role', PERSON),
  designate: actionSpec('roster.designate', PERSON),
};

export type RosterPerson = { openId: string; name: string; role: 'officer' | 'reviewer'; designated: boolean };

/**
 * One unit of the roster (名册) for editors: its people with buttons to remove, change role and set
 * the designated officer, and a form to add someone by the person picker, a mobile or an email.
 */
export function rosterUnitCard(o: { unitId: number; unitName: string; people: RosterPerson[]; pickable: { openId: string }[]; message?: string }): Card {
  const value = { unitId: o.unitId };
  const rows: Element[] = [];
  for (const p of o.people) {
    const label = p.role === 'reviewer' ? '组织委员' : p.designated ? '信息员（专职）' : '信息员';
    const who = { ...value, openId: p.openId, role: p.role };
    rows.push(markdown(`**${escapeMd(p.name)}**　${label}`));
    rows.push(
      buttonRow([
        button({ text: '移除', type: 'danger', value: ROSTER_ACTIONS.remove.value(who), confirm: { title: '移除人员', text: `确定把 ${p.name} 移出${o.unitName}名册？其稿件和积分记录保留。` } }),
        button({ text: p.role === 'officer' ? '改为组织委员' : '改为信息员', value: ROSTER_ACTIONS.role.value(who) }),
        p.role === 'officer' && !p.designated && button({ text: '设为专职信息员', value: ROSTER_ACTIONS.designate.value(who) }),
      ]),
    );
  }
  const picker: Element = { tag: 'select_person', name: 'person', placeholder: { tag: 'plain_text', content: '从名册中选择人员' }, width: 'fill' };
  if (o.pickable.length) picker.options = o.pickable.map((p) => ({ value: p.openId }));
  return card({
    title: `名册 · ${o.unitName}`,
    template: 'blue',
    summary: `名册 ${o.unitName}`,
    elements: [
      o.message ? markdown(o.message) : undefined,
      ...(rows.length ? rows : [markdown('本单位暂无人员。')]),
      form(`roster_add_${o.unitId}`, [
        markdown('**添加人员**（选择人员，或填写手机号/邮箱）'),
        ...(o.pickable.length ? [picker] : []),
        input({ name: 'contact', placeholder: '手机号或邮箱，如 13800000000', maxLength: 100 }),
        selectStatic({ name: 'role', options: [{ text: '信息员', value: 'officer' }, { text: '组织委员', value: 'reviewer' }], initial: 'officer', width: 'fill' }),
        submitButton({ name: 'roster_add', text: '添加', value: ROSTER_ACTIONS.add.value(value) }),
      ]),
      note('发送“名册导出”可取得与当前名册一致的 org.yaml。'),
    ],
  });
}
