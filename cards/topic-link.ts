import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import type { LinkableDraft } from '../domain/topics/link.js';
import { topicCode } from '../domain/topics/code.js';
import { card, escapeMd, excerpt, form, markdown, note, selectStatic, submitButton, type Card } from './elements.js';
import { titleOrPlaceholder } from './draft-parts.js';

export const TOPIC_LINK_ACTIONS = {
  /** 关联稿件 on the group's topic card: sends the tapper a private picker of their own drafts. */
  pick: actionSpec('topic.link_pick', z.object({ t: id() })),
  /** The picker's 关联 button; the chosen serial comes in the form's `draft` field. */
  link: actionSpec('topic.link', z.object({ t: id() })),
};

/**
 * The private picker behind 关联稿件: the officer's own drafts that can still be linked to the
 * topic. Titles appear only here, in the officer's private chat, never on the group card.
 */
export function topicLinkCard(o: { topicId: number; topicTitle: string; drafts: LinkableDraft[] }): Card {
  const code = topicCode(o.topicId);
  const moves = o.drafts.some((d) => d.linkedTo !== null);
  return card({
    title: `关联稿件 · ${code}`,
    template: 'wathet',
    summary: `把稿件关联到点题 ${code}`,
    elements: [
      markdown(`选择一篇您已提交、尚未审核通过的稿件，关联到点题 ${code}“${escapeMd(o.topicTitle)}”。`),
      form('link_form', [
        selectStatic({
          name: 'draft',
          options: o.drafts.map((d) => ({
            text: excerpt(`${d.serial} ${titleOrPlaceholder(d.title)}${d.linkedTo !== null ? `（现关联 ${topicCode(d.linkedTo)}）` : ''}`, 60),
            value: d.serial,
          })),
          initial: o.drafts.length === 1 ? o.drafts[0]!.serial : undefined,
          placeholder: '选择稿件',
          required: true,
          width: 'fill',
        }),
        submitButton({ name: 'link_submit', text: '关联', type: 'primary', value: TOPIC_LINK_ACTIONS.link.value({ t: o.topicId }) }),
      ]),
      moves ? note('已关联其他点题的稿件，关联后改为本点题。') : null,
    ],
  });
}

/** The picker once used: what was linked, and no controls left to tap twice. */
export function topicLinkedCard(text: string): Card {
  return card({ title: '关联稿件', template: 'green', summary: text, elements: [markdown(escapeMd(text))] });
}
