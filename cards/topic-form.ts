import { z } from 'zod';
import { actionSpec } from '../bot/declare.js';
import { CATEGORIES, type Unit } from '../db/schema/index.js';
import type { FieldErrors, TopicField } from '../domain/topics/input.js';
import { BRIEF_MAX, TITLE_MAX } from '../domain/topics/input.js';
import { card, escapeMd, form, input, markdown, note, selectStatic, submitButton, type Card, type Element } from './elements.js';

/** `k`: the form's nonce, so a double tap publishes one topic. */
export const CREATE_ACTION = actionSpec('topic.create', z.object({ k: z.string().max(64).optional() }));
export const ALL_UNITS = 'all';

/** The form's fields as the editor left them, kept when the card comes back with an error. */
export type TopicFormValues = {
  title: string;
  brief: string;
  category: string;
  /** yyyy-MM-dd HH:mm in the bot's timezone. */
  deadline: string;
  /** 'all' or unit ids as strings. */
  units: string[];
  pieces: string;
};

/** The 点题 form. `nonce` travels in the submit value so a double tap creates one topic. */
export function topicFormCard(o: {
  nonce: string;
  units: Unit[];
  values?: Partial<TopicFormValues>;
  errors?: FieldErrors;
  /** A reviewer's 点题 for their own unit: no 全部单位, sent to the unit's officers instead of the group. */
  unitLevel?: boolean;
}): Card {
  const v = o.values ?? {};
  const errors = o.errors ?? {};
  const err = (f: TopicField): Element | null => (errors[f] ? markdown(`<font color='red'>${escapeMd(errors[f]!)}</font>`) : null);
  const label = (text: string) => markdown(`**${text}**`);
  const picker: Element = { tag: 'picker_datetime', name: 'deadline', required: true, placeholder: { tag: 'plain_text', content: '选择截止时间' } };
  if (v.deadline) picker.initial_datetime = v.deadline;
  const unitSelect: Element = {
    tag: 'multi_select_static',
    name: 'units',
    required: true,
    placeholder: { tag: 'plain_text', content: '选择面向的单位' },
    options: [...(o.unitLevel ? [] : [{ text: { tag: 'plain_text', content: '全部单位' }, value: ALL_UNITS }]), ...o.units.map((u) => ({ text: { tag: 'plain_text', content: u.name }, value: String(u.id) }))],
    width: 'fill',
  };
  if (v.units?.length) unitSelect.selected_values = v.units;
  const hasErrors = Object.values(errors).some(Boolean);
  return card({
    title: o.unitLevel ? '发布本单位点题' : '发布点题',
    template: hasErrors ? 'red' : 'blue',
    summary: '发布点题',
    elements: [
      hasErrors ? markdown(`<font color='red'>请修改下列标红的内容后重新提交。</font>`) : note(o.unitLevel ? '本单位点题：点题卡片私信发给本单位信息员，不发到部机关工作群，信息员可在卡片上认领。' : '发布后点题卡片会发到部机关工作群，各单位信息员可在卡片上认领。'),
      form('topic_form', [
        input({ name: 'title', label: '点题标题', placeholder: '例如：基层党组织书记队伍建设经验', required: true, maxLength: TITLE_MAX, defaultValue: v.title }),
        err('title'),
        input({ name: 'brief', label: '点题说明（可选）', placeholder: '写作方向、角度、字数等要求', multiline: true, maxLength: BRIEF_MAX, defaultValue: v.brief }),
        err('brief'),
        label('类别'),
        selectStatic({ name: 'category', options: CATEGORIES.map((c) => ({ text: c, value: c })), initial: v.category || CATEGORIES[0], width: 'fill' }),
        err('category'),
        label('截止时间'),
        picker,
        err('deadline'),
        label('面向单位'),
        unitSelect,
        err('units'),
        input({ name: 'pieces', label: '每单位篇数（可选）', placeholder: '不填则不限', maxLength: 3, defaultValue: v.pieces }),
        err('pieces'),
        submitButton({ name: 'topic_submit', text: '发布点题', value: CREATE_ACTION.value({ k: o.nonce }) }),
      ].filter((e): e is Element => Boolean(e))),
    ],
  });
}
