import { expect } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { drafts, type Draft } from '../../db/schema/index.js';
import { validateCard } from '../../emulator/card-validator.js';
import { cardText, findButton, P, type Harness } from '../helpers/harness.js';

export const BODY = [
  '今年以来，党委坚持抓基层、打基础，围绕“三抓三促”行动，推动基层党建工作提质增效。',
  '一是抓班子建设，促责任落实。定期召开党建工作专题会议，压实村（社区）党组织书记抓党建第一责任。',
  '二是抓队伍建设，促能力提升。分批次组织党员干部参加冬训和专题培训，累计培训党员一千二百余人次。',
];

const REVIEWER_OF: Record<string, string> = { [P.officer1]: P.reviewer1, [P.officer2]: P.reviewer1, [P.officer3]: P.reviewer2 };

/**
 * An approved draft through the drafts feature's real flow: the officer sends the text, taps 提交 on
 * the confirmation card, and the unit's reviewer taps 通过 on the review card.
 */
export async function approvedDraft(h: Harness, officer: string, title: string, o: { category?: string; body?: string[] } = {}): Promise<Draft> {
  await h.sendText(officer, [title, ...(o.body ?? BODY)].join('\n'));
  await h.settle();
  const confirmCard = h.lastCardTo(officer);
  const submitted = await h.click(officer, confirmCard.messageId, findButton(confirmCard.content, '提交审核'), {
    formValue: { category: o.category ?? '组工信息' },
    name: 'submit_draft',
  });
  expect(submitted.toast?.type, cardText(confirmCard.content)).toBe('success');
  await h.settle();
  const mine = await h.db.db.select().from(drafts).where(eq(drafts.authorOpenId, officer)).orderBy(asc(drafts.id));
  const draft = mine[mine.length - 1]!;
  const reviewer = REVIEWER_OF[officer]!;
  const review = [...h.cardsTo(reviewer)].reverse().find((m) => cardText(m.content).includes(draft.serial) && cardText(m.content).includes('通过'));
  expect(review, `review card for ${draft.serial}`).toBeDefined();
  const approved = await h.click(reviewer, review!.messageId, findButton(review!.content, '通过'));
  expect(approved.toast?.type).toBe('success');
  await h.settle();
  const [fresh] = await h.db.db.select().from(drafts).where(eq(drafts.id, draft.id));
  expect(fresh!.state).toBe('approved');
  // Approvals in one test should not share a timestamp: the desk sorts by it.
  h.clock.advance(60_000);
  return fresh!;
}

export async function draftState(h: Harness, id: number) {
  const [d] = await h.db.db.select().from(drafts).where(eq(drafts.id, id));
  return d!.state;
}

/** A card as a person sees it: the message and its current content. */
export type CardMsg = { messageId: string; content: unknown };

/** The editor opens the desk; returns the desk card message. */
export async function openDesk(h: Harness, args = ''): Promise<CardMsg> {
  await h.sendText(P.editor, `待编稿件${args ? ` ${args}` : ''}`);
  await h.settle();
  const card = h.lastCardTo(P.editor);
  expect(cardText(card.content)).toContain('待编稿件');
  return card;
}

/** Someone sends a text and gets a card back; returns that card. */
export async function ask(h: Harness, who: string, text: string): Promise<CardMsg> {
  await h.sendText(who, text);
  await h.settle();
  return h.lastCardTo(who);
}

/** Sends a message and returns the last text reply it got (for answers that are not cards). */
export async function askText(h: Harness, who: string, text: string): Promise<string> {
  await h.sendText(who, text);
  await h.settle();
  return h.textsTo(who).at(-1) ?? '';
}

/**
 * Taps a button on a card and returns the card Lark would now show: the callback's card when one
 * came back (as Lark replaces it in place), else the card as it was.
 */
export async function tap(h: Harness, who: string, msg: CardMsg, value: Record<string, unknown>, extra: { formValue?: Record<string, unknown>; name?: string; option?: string } = {}) {
  const res = await h.click(who, msg.messageId, value, extra);
  await h.settle();
  if (res.card) expect(validateCard(res.card)).toEqual({ ok: true });
  return { res, card: { messageId: msg.messageId, content: res.card ?? msg.content } as CardMsg };
}

/** The button on a row of the desk card whose text mentions the title. */
export function rowButton(content: unknown, title: string, text: string): Record<string, unknown> {
  const elements = (content as { body: { elements: Record<string, unknown>[] } }).body.elements;
  const i = elements.findIndex((e) => e.tag === 'markdown' && String(e.content).includes(`《${title}》`));
  if (i < 0) throw new Error(`no row for ${title} on:\n${cardText(content)}`);
  return findButton(elements[i + 1], text);
}

/** The editor opens the desk once and taps 采用 on each title in turn, following the card as it changes. */
export async function adoptAll(h: Harness, titles: string[]) {
  let desk = await openDesk(h);
  for (const t of titles) {
    const r = await tap(h, P.editor, desk, rowButton(desk.content, t, '采用'));
    expect(r.res.toast?.type).toBe('success');
    desk = r.card;
  }
}

export function expectAllCardsValid(h: Harness) {
  for (const m of h.fake.messages.filter((x) => !x.inbound && x.msgType === 'interactive')) {
    expect(validateCard(m.content)).toEqual({ ok: true });
    expect(Buffer.byteLength(m.raw)).toBeLessThan(28 * 1024);
  }
}

/**
 * 送审 and 签发 through the cards: the editor taps 送审 on the issue card, the leader taps 签发 on the
 * preview. Returns the editor's fresh issue card, which now offers 印发.
 */
export async function signIssue(h: Harness): Promise<CardMsg> {
  const issue = await ask(h, P.editor, '期刊');
  const sent = await tap(h, P.editor, issue, findButton(issue.content, '送审'));
  expect(sent.res.toast?.type, String(sent.res.toast?.content)).toBe('success');
  const preview = h.lastCardTo(P.leader);
  const signed = await tap(h, P.leader, preview, findButton(preview.content, '签发'));
  expect(signed.res.toast?.type, String(signed.res.toast?.content)).toBe('success');
  return ask(h, P.editor, '期刊');
}
