import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { chineseDateTime } from '../bot/time.js';
import type { BulletinApproval } from '../db/schema/index.js';
import { button, buttonRow, escapeMd, form, hr, input, markdown, note, submitButton, type Card, type Element } from './elements.js';

const approvalArgs = z.object({ id: id() });

export const APPROVAL_ACTIONS = {
  approve: actionSpec('bulletin.approve', approvalArgs),
  comment: actionSpec('bulletin.comment', approvalArgs),
  hold: actionSpec('bulletin.hold', approvalArgs),
};

export const APPROVAL_PURPOSE = 'bulletin-approval';

const headerTitle = (c: Card) => String((c.header?.title as { content?: string } | undefined)?.content ?? '');

/** The bulletin as the group will see it: the ranking card with the commentary printed after it. */
export function postedBulletinCard(stored: Card, comment: string | null): Card {
  if (!comment) return stored;
  return { ...stored, body: { elements: [...stored.body.elements, hr(), markdown(`**点评**\n${escapeMd(comment)}`)] } };
}

/** The 审定 card: the bulletin as it would be posted, and what the approver may do. */
export function approvalCard(a: BulletinApproval, o: { timezone: string; deciderName?: string }): Card {
  const posted = postedBulletinCard(a.card as unknown as Card, a.comment);
  const state: Element[] = [];
  if (a.status === 'posted') {
    state.push(markdown(`<font color='green'>**已审定发布**</font>　${escapeMd(o.deciderName ?? '')} · ${a.decidedAt ? chineseDateTime(a.decidedAt, o.timezone) : ''}`));
  } else {
    if (a.status === 'held') state.push(markdown(`<font color='orange'>**已暂缓**</font>　${escapeMd(o.deciderName ?? '')}：不会发送到工作群，需要时点“审定发布”。`));
    state.push(
      buttonRow([
        button({
          text: '审定发布',
          type: 'primary_filled',
          value: APPROVAL_ACTIONS.approve.value({ id: a.id }),
          confirm: { title: '审定发布', text: `将${a.title}发送到工作群？` },
        }),
        a.status === 'pending' && button({ text: '暂缓', value: APPROVAL_ACTIONS.hold.value({ id: a.id }) }),
      ]),
      form('bulletin_comment', [
        input({ name: 'comment', label: '补充点评（印在通报末尾）', placeholder: '例如：本月各单位报送积极，零报送单位请抓紧。', multiline: true, maxLength: 500, defaultValue: a.comment ?? '' }),
        submitButton({ name: 'comment_submit', text: '保存点评', value: APPROVAL_ACTIONS.comment.value({ id: a.id }) }),
      ]),
    );
  }
  return {
    ...posted,
    header: { ...(posted.header ?? {}), title: { tag: 'plain_text', content: `${a.status === 'posted' ? '' : '待审定 · '}${headerTitle(posted)}` } },
    body: {
      elements: [
        note(a.status === 'posted' ? '以下通报已发送到工作群。' : `${a.title}已生成，审定后才发送到工作群（以下为发送时的样子）。`),
        ...posted.body.elements,
        hr(),
        ...state,
      ],
    },
  };
}
