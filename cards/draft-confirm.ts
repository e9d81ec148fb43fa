import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { CATEGORIES, type Category } from '../db/schema/index.js';
import { chineseLocalDate } from '../bot/time.js';
import { buttonRow, card, escapeMd, excerpt, fields, form, markdown, note, selectStatic, submitButton, type Card } from './elements.js';
import { charsLabel, titleOrPlaceholder } from './draft-parts.js';
import { revisionLabel } from '../domain/drafts/text.js';

/** Both carry the candidate; the category, unit and topic come in the form's value. */
export const CONFIRM_ACTIONS = {
  confirm: actionSpec('draft.confirm', z.object({ candidateId: id() })),
  cancel: actionSpec('draft.cancel', z.object({ candidateId: id() })),
};

/** Form value of the topic select meaning "written on the officer's own initiative". */
export const NO_TOPIC = 'none';

export type ConfirmCardInput = {
  candidateId: number;
  title: string;
  chars: number;
  paragraphs: number;
  /** The beginning of the body, already cut. */
  excerpt: string;
  /** Where the text came from when not typed in the chat (a file name, a document). */
  sourceLabel?: string;
  /** Set when the text is a revision of a returned draft. */
  revisionOf?: { serial: string; nextRevision: number; category: Category };
  /** An officer of several units picks one. */
  units?: { id: number; name: string }[];
  /** Open topics of the officer's unit; the draft may answer one. */
  topics?: { id: number; code: string; title: string; deadline: Date }[];
  timezone: string;
};

/**
 * "Is this a draft?" Nothing is stored as a draft until the officer taps 提交 here. Both buttons are
 * submit buttons of one form (Feishu requires every button inside a form to be one), told apart by
 * their callback value.
 */
export function draftConfirmCard(o: ConfirmCardInput): Card {
  const value = { candidateId: o.candidateId };
  const topics = o.topics ?? [];
  const controls = [
    !o.revisionOf && markdown('**分类**'),
    !o.revisionOf &&
      selectStatic({
        name: 'category',
        options: CATEGORIES.map((c) => ({ text: c, value: c })),
        initial: '组工信息',
        width: 'fill',
      }),
    o.units && o.units.length > 1 && markdown('**所属单位**'),
    o.units &&
      o.units.length > 1 &&
      selectStatic({ name: 'unit', options: o.units.map((u) => ({ text: u.name, value: String(u.id) })), initial: String(o.units[0]!.id), width: 'fill' }),
    !o.revisionOf && topics.length > 0 && markdown('**关联点题**'),
    !o.revisionOf &&
      topics.length > 0 &&
      selectStatic({
        name: 'topic',
        options: [
          ...topics.map((t) => ({ text: excerpt(`${t.code} ${t.title}（${chineseLocalDate(t.deadline, o.timezone)} 截止）`, 60), value: String(t.id) })),
          { text: '不关联点题', value: NO_TOPIC },
        ],
        initial: NO_TOPIC,
        width: 'fill',
      }),
    buttonRow([
      submitButton({ name: 'submit_draft', text: '提交审核', value: CONFIRM_ACTIONS.confirm.value(value) }),
      submitButton({ name: 'cancel_draft', text: '取消', type: 'default', value: CONFIRM_ACTIONS.cancel.value(value) }),
    ]),
  ].filter((e): e is Exclude<typeof e, false | undefined> => Boolean(e));
  return card({
    title: o.revisionOf ? `确认提交修改稿 · ${o.revisionOf.serial}` : '确认提交审核',
    template: 'wathet',
    summary: '请确认是否提交审核',
    elements: [
      markdown(
        o.revisionOf
          ? `收到修改稿，确认后将作为 **${o.revisionOf.serial} ${revisionLabel(o.revisionOf.nextRevision)}** 重新提交审核。`
          : '收到一篇稿件，请核对后点“提交审核”，交本单位组织委员审核。',
      ),
      fields([
        ['标题', excerpt(titleOrPlaceholder(o.title), 100)],
        ['篇幅', `${charsLabel(o.chars)}，${o.paragraphs} 段`],
        ...(o.sourceLabel ? ([['来源', o.sourceLabel]] as [string, string][]) : []),
      ]),
      markdown(`**开头**\n${escapeMd(o.excerpt) || '（正文为空）'}`),
      form('confirm_form', controls),
      note(
        o.revisionOf
          ? '如果这不是修改稿而是一篇新稿件，请点“取消”后重新发送。'
          : '标题取自第一行。如识别有误，请点“取消”，修改后重新发送。',
      ),
    ],
  });
}

/** The confirmation card after the officer answered it: no buttons left to tap twice. */
export function draftConfirmClosedCard(o: { title: string; outcome: 'submitted' | 'cancelled' | 'superseded' | 'recalled'; serial?: string; revision?: number }): Card {
  const shown = {
    submitted: { title: '稿件已提交', text: `已提交，编号 **${o.serial}**${o.revision && o.revision > 1 ? `（${revisionLabel(o.revision)}）` : ''}。回执见下一条消息。` },
    cancelled: { title: '已取消提交', text: '已取消，这条消息没有提交。' },
    superseded: { title: '已被新消息取代', text: '您随后又发送了一稿，这一稿不再提交，请在最新的确认卡片上操作。' },
    recalled: { title: '原消息已撤回', text: '您撤回了这条消息，它没有提交。' },
  }[o.outcome];
  return card({
    title: shown.title,
    template: o.outcome === 'submitted' ? 'green' : 'grey',
    elements: [markdown(`**${escapeMd(excerpt(titleOrPlaceholder(o.title), 60))}**\n${shown.text}`)],
  });
}
