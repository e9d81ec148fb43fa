import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import type { Recognition } from '../db/schema/index.js';
import { KIND_LABELS, LEVEL_LABELS, type Level } from '../domain/scoring/types.js';
import { button, card, escapeMd, fields, form, input, markdown, note, selectStatic, submitButton, type Card, type Element } from './elements.js';

export const RECOGNITION_ACTIONS = {
  open: actionSpec('rec.open', z.object({ draft: id() })),
  submit: actionSpec('rec.submit', z.object({ draft: id() })),
  decide: actionSpec('rec.decide', z.object({ id: id(), d: z.enum(['confirmed', 'rejected']) })),
};

/** Opens the 登记 form for this piece (in the tapper's private chat), as `登记 2026-0137` does. */
export function recognitionOpenButton(draftId: number): Element {
  return button({ text: '登记上级采用', type: 'default', value: RECOGNITION_ACTIONS.open.value({ draft: draftId }) });
}
export const RECOGNITION_CARD_PURPOSE = 'recognition.decide';

type PieceInfo = { serial: string; title: string; unitNames: string[]; merged: boolean };

function datePicker(name: string, initial: string): Element {
  return { tag: 'date_picker', name, required: true, initial_date: initial, placeholder: { tag: 'plain_text', content: '日期' } };
}

/** The form for 上级采用 / 领导批示 / 媒体刊发 of one piece. */
export function recognitionFormCard(o: { draftId: number; piece: PieceInfo; today: string; editor: boolean }): Card {
  return card({
    title: `登记：《${o.piece.title}》`,
    template: 'turquoise',
    summary: `登记 ${o.piece.serial}`,
    elements: [
      markdown(`${o.piece.serial} · ${escapeMd(o.piece.unitNames.join('、'))}${o.piece.merged ? '（综合稿，各来源单位均计分）' : ''}`),
      form('recognition', [
        selectStatic({
          name: 'kind',
          required: true,
          placeholder: '类型',
          width: 'fill',
          options: [
            { text: '上级采用（市/省/中央刊物）', value: 'upper_adoption' },
            { text: '领导批示', value: 'endorsement' },
            { text: '上级媒体刊发', value: 'media' },
          ],
        }),
        selectStatic({
          name: 'level',
          required: true,
          placeholder: '级别（批示按领导级别）',
          width: 'fill',
          options: (['city', 'province', 'central', 'county'] as Level[]).map((l) => ({ text: LEVEL_LABELS[l], value: l })),
        }),
        input({ name: 'outlet', label: '刊物或媒体名称（批示填领导职务）', placeholder: '例如：《组工信息》、XX日报、市委书记', maxLength: 60 }),
        datePicker('date', o.today),
        input({ name: 'link', label: '链接（可选）', placeholder: 'https://…', maxLength: 500 }),
        input({ name: 'note', label: '说明（可选）', placeholder: '例如：第 5 期全文采用', maxLength: 300 }),
        submitButton({ name: 'rec_submit', text: o.editor ? '登记' : '提交研究室确认', value: RECOGNITION_ACTIONS.submit.value({ draft: o.draftId }) }),
      ]),
      note(o.editor ? '研究室登记后直接生效并计分。' : '提交后由研究室确认后计分。如有截图作为证明，提交后 30 分钟内直接发给我即可。'),
    ],
  });
}

function summaryFields(rec: Recognition, piece: PieceInfo, reporterName: string): Element {
  const pairs: [string, string][] = [
    ['稿件', `《${piece.title}》${piece.serial}`],
    ['单位', piece.unitNames.join('、')],
    ['类型', `${KIND_LABELS[rec.kind]} · ${LEVEL_LABELS[rec.level as Level]}`],
    ['日期', rec.occurredOn],
  ];
  if (rec.outlet) pairs.push([rec.kind === 'endorsement' ? '批示领导' : '刊物/媒体', rec.outlet]);
  pairs.push(['登记人', reporterName]);
  return fields(pairs);
}

/** What the reporter sees after submitting. */
export function recognitionReceiptCard(o: { rec: Recognition; piece: PieceInfo; reporterName: string }): Card {
  const { rec } = o;
  const status = rec.status === 'confirmed' ? '已登记，已计分' : rec.status === 'rejected' ? '已驳回' : '已提交，待研究室确认';
  return card({
    title: `${KIND_LABELS[rec.kind]}：${status}`,
    template: rec.status === 'confirmed' ? 'green' : rec.status === 'rejected' ? 'red' : 'turquoise',
    summary: status,
    elements: [
      summaryFields(rec, o.piece, o.reporterName),
      rec.link ? markdown(`链接：${escapeMd(rec.link)}`) : null,
      rec.decisionReason ? markdown(`驳回原因：${escapeMd(rec.decisionReason)}`) : null,
      rec.status === 'reported' && note('如有截图作为证明，30 分钟内直接发给我即可附上。'),
    ],
  });
}

/** The editors' card for a reported recognition; patched on every copy once someone decides. */
export function recognitionDecideCard(o: { rec: Recognition; piece: PieceInfo; reporterName: string; deciderName?: string }): Card {
  const { rec } = o;
  const decided = rec.status !== 'reported';
  return card({
    title: decided ? `${KIND_LABELS[rec.kind]}登记：${rec.status === 'confirmed' ? '已确认' : '已驳回'}` : `${KIND_LABELS[rec.kind]}登记待确认`,
    template: decided ? (rec.status === 'confirmed' ? 'green' : 'grey') : 'turquoise',
    summary: `${o.reporterName} 登记了${KIND_LABELS[rec.kind]}`,
    elements: [
      summaryFields(rec, o.piece, o.reporterName),
      markdown(
        [
          rec.link ? `链接：${escapeMd(rec.link)}` : '链接：无',
          rec.evidenceSha256 ? '截图：已附（见单独发送的图片文件）' : '截图：无',
          rec.note ? `说明：${escapeMd(rec.note)}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      ),
      decided
        ? markdown(`${o.deciderName ?? ''} ${rec.status === 'confirmed' ? '已确认，计入积分' : `已驳回：${escapeMd(rec.decisionReason ?? '')}`}`)
        : form('decide', [
            input({ name: 'reason', label: '驳回原因（驳回时必填）', placeholder: '例如：链接无法打开，请补充截图', maxLength: 300 }),
            submitButton({ name: 'rec_confirm', text: '确认', value: RECOGNITION_ACTIONS.decide.value({ id: rec.id, d: 'confirmed' }) }),
            submitButton({ name: 'rec_reject', text: '驳回', type: 'danger', value: RECOGNITION_ACTIONS.decide.value({ id: rec.id, d: 'rejected' }) }),
          ]),
    ],
  });
}
