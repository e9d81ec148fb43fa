import { z } from 'zod';
import { actionSpec, id, noArgs } from '../bot/declare.js';
import type { JoinRequest, Unit } from '../db/schema/index.js';
import { card, escapeMd, fields, form, input, markdown, note, selectStatic, submitButton, type Card } from './elements.js';
import { when } from './draft-parts.js';

/** 提交申请 reads the form's fields; 同意/拒绝 carry the request and the decision. */
export const JOIN_ACTIONS = {
  submit: actionSpec('roster.join_submit', noArgs),
  decide: actionSpec('roster.join_decide', z.object({ id: id(), d: z.enum(['approve', 'decline']) })),
};

const ROLE_TEXT = { officer: '信息员', reviewer: '组织委员' } as const;

/** 申请加入: what a person not in the roster gets when they write to the bot. */
export function joinFormCard(units: Unit[], error?: string): Card {
  return card({
    title: '申请加入',
    template: error ? 'red' : 'blue',
    summary: '申请加入稿件助手',
    elements: [
      markdown('您还不在本系统的名册中。请填写下面的申请：申请信息员的，由所在单位组织委员审批；申请组织委员的，由县委组织部研究室审批。审批结果会私信告知您。'),
      error ? markdown(`<font color='red'>${escapeMd(error)}</font>`) : note('只保存申请所需的姓名、单位和角色，您发来的消息不会保存。'),
      form('join_form', [
        input({ name: 'name', label: '姓名', placeholder: '请填写真实姓名', required: true, maxLength: 20 }),
        markdown('**单位**'),
        selectStatic({ name: 'unit', placeholder: '选择所在单位', options: units.map((u) => ({ text: u.name, value: String(u.id) })), required: true, width: 'fill' }),
        markdown('**角色**'),
        selectStatic({ name: 'role', options: [{ text: '信息员', value: 'officer' }, { text: '组织委员', value: 'reviewer' }], initial: 'officer', required: true, width: 'fill' }),
        submitButton({ name: 'join_submit', text: '提交申请', value: JOIN_ACTIONS.submit.value({}) }),
      ]),
    ],
  });
}

/** What the requester sees after submitting, in place of the form. */
export function joinSubmittedCard(r: JoinRequest, unitName: string, approvers: string): Card {
  return card({
    title: '申请加入 · 已提交',
    template: 'turquoise',
    summary: '加入申请已提交',
    elements: [fields([['姓名', r.name], ['单位', unitName], ['角色', ROLE_TEXT[r.role]]]), markdown(`已提交给 ${escapeMd(approvers)} 审批，结果会私信告知您。`)],
  });
}

export type JoinView = { request: JoinRequest; unitName: string; deciderName?: string | undefined };

/** The approver's card: 同意, or 拒绝 with a reason. Closed once anyone decided. */
export function joinDecisionCard(v: JoinView, timezone: string): Card {
  const r = v.request;
  const value = { id: r.id };
  const info = fields([
    ['姓名', r.name],
    ['单位', v.unitName],
    ['申请角色', ROLE_TEXT[r.role]],
    ['申请时间', when(r.createdAt, timezone)],
  ]);
  if (r.status === 'pending') {
    return card({
      title: `加入申请 · ${r.name}`,
      template: 'orange',
      summary: `加入申请：${r.name}`,
      elements: [
        info,
        form('join_decide', [
          input({ name: 'reason', label: '拒绝理由（拒绝时必填，将告知申请人）', placeholder: '例如：本单位信息员已满员', maxLength: 200 }),
          submitButton({ name: 'join_approve', text: '同意', type: 'primary_filled', value: JOIN_ACTIONS.decide.value({ ...value, d: 'approve' }) }),
          submitButton({ name: 'join_decline', text: '拒绝', type: 'danger', value: JOIN_ACTIONS.decide.value({ ...value, d: 'decline' }) }),
        ]),
      ],
    });
  }
  const at = r.decidedAt ? when(r.decidedAt, timezone) : '';
  const outcome =
    r.status === 'approved'
      ? `<font color='green'>**已同意**</font>　${escapeMd(v.deciderName ?? '')} · ${at}`
      : `<font color='red'>**已拒绝**</font>　${escapeMd(v.deciderName ?? '')} · ${at}\n**理由**：${escapeMd(r.declineReason ?? '')}`;
  return card({
    title: `加入申请 · ${r.name}`,
    template: r.status === 'approved' ? 'green' : 'grey',
    summary: `加入申请：${r.name}`,
    elements: [info, markdown(outcome)],
  });
}
