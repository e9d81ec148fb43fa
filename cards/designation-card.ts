import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import type { DesignationChange } from '../db/schema/index.js';
import { card, escapeMd, fields, form, input, markdown, submitButton, type Card } from './elements.js';
import { when } from './draft-parts.js';

export const DESIGNATION_ACTIONS = {
  decide: actionSpec('roster.designation_decide', z.object({ id: id(), d: z.enum(['approve', 'decline']) })),
};

export type DesignationView = { change: DesignationChange; unitName: string; fromName: string; toName: string; proposerName: string; deciderName?: string | undefined };

/** 专职信息员 change for the research office to approve (报部研究室备案); closed once decided. */
export function designationCard(v: DesignationView, timezone: string): Card {
  const c = v.change;
  const info = fields([
    ['单位', v.unitName],
    ['原专职信息员', v.fromName],
    ['拟更换为', v.toName],
    ['提出人', v.proposerName],
    ['提出时间', when(c.proposedAt, timezone)],
  ]);
  const reason = markdown(`**更换理由**：${escapeMd(c.reason)}`);
  if (c.status === 'pending') {
    return card({
      title: `专职信息员更换备案 · ${v.unitName}`,
      template: 'orange',
      summary: `专职信息员更换：${v.unitName}`,
      elements: [
        info,
        reason,
        form('designation_decide', [
          input({ name: 'reason', label: '不同意的理由（不同意时必填）', placeholder: '例如：请保持队伍稳定，年底后再调整', maxLength: 200 }),
          submitButton({ name: 'designation_approve', text: '同意并备案', type: 'primary_filled', value: DESIGNATION_ACTIONS.decide.value({ id: c.id, d: 'approve' }) }),
          submitButton({ name: 'designation_decline', text: '不同意', type: 'danger', value: DESIGNATION_ACTIONS.decide.value({ id: c.id, d: 'decline' }) }),
        ]),
      ],
    });
  }
  const at = c.decidedAt ? when(c.decidedAt, timezone) : '';
  return card({
    title: `专职信息员更换备案 · ${v.unitName}`,
    template: c.status === 'approved' ? 'green' : 'grey',
    summary: `专职信息员更换：${v.unitName}`,
    elements: [
      info,
      reason,
      markdown(
        c.status === 'approved'
          ? `<font color='green'>**已同意并备案**</font>　${escapeMd(v.deciderName ?? '')} · ${at}`
          : `<font color='red'>**未同意**</font>　${escapeMd(v.deciderName ?? '')} · ${at}\n**理由**：${escapeMd(c.declineReason ?? '')}`,
      ),
    ],
  });
}
