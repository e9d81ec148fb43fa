import { afterEach, describe, expect, it } from 'vitest';
import { cardText, findButton, Harness, hasButton, P } from '../helpers/harness.js';
import { expectAllCardsValid, sampleDraft } from './flow.js';

/** End-to-end tests share two cores with PGlite; give them room on a loaded machine. */
const SLOW = 120_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The button `text` on the 我的稿件 row of `title` (throws when that row has none). */
function rowButton(content: unknown, title: string, text: string): Record<string, unknown> {
  const rows = (content as { body: { elements: Record<string, unknown>[] } }).body.elements;
  const row = rows.find((e) => e.tag === 'column_set' && cardText({ body: { elements: [e] } }).includes(title));
  if (!row) throw new Error(`no row for ${title} on:\n${cardText(content)}`);
  return findButton({ body: { elements: [row] } }, text);
}

/** Submits `n` drafts for an officer quickly (send all, then confirm all). */
async function submitMany(h: Harness, officer: string, n: number, from = 0) {
  for (let i = from; i < from + n; i++) {
    await h.sendText(officer, sampleDraft(`第${i + 1}篇稿件`).text);
    h.clock.advance(60_000);
  }
  await h.settle();
  const confirms = h.cardsTo(officer).filter((m) => hasButton(m.content, '提交审核'));
  for (const c of confirms) await h.click(officer, c.messageId, findButton(c.content, '提交审核'), { formValue: {} });
  await h.settle();
}

describe('我的稿件 and 待审', () => {
  it('我的稿件 offers on each row what its author can do now: 查看, 撤回, 提交修改稿, 登记上级采用', async () => {
    h = await Harness.start();
    await submitMany(h, P.officer1, 4);
    const reviews = h.cardsTo(P.reviewer1);
    const review = (n: number) => reviews.find((m) => cardText(m.content).includes(`第${n}篇稿件`))!;
    await h.click(P.reviewer1, review(1).messageId, findButton(review(1).content, '通过'));
    const returning = await h.click(P.reviewer1, review(2).messageId, findButton(review(2).content, '退回'));
    await h.click(P.reviewer1, review(2).messageId, findButton(returning.card, '确认退回'), { formValue: { reason: '请补充具体数据。' } });
    await h.settle();

    await h.sendText(P.officer1, '我的稿件');
    await h.settle();
    const list = h.lastCardTo(P.officer1);
    const buttons = (title: string) =>
      ['查看', '撤回', '提交修改稿', '登记上级采用'].filter((b) => {
        try {
          rowButton(list.content, title, b);
          return true;
        } catch {
          return false;
        }
      });
    expect(buttons('第1篇稿件')).toEqual(['查看', '登记上级采用']);
    expect(buttons('第2篇稿件')).toEqual(['查看', '提交修改稿']);
    expect(buttons('第3篇稿件')).toEqual(['查看', '撤回']);

    // 查看 sends the whole draft privately; another officer cannot use the button.
    const viewed = await h.click(P.officer1, list.messageId, rowButton(list.content, '第1篇稿件', '查看'));
    await h.settle();
    expect(viewed.toast).toEqual({ type: 'info', content: '已发送 2026-0001 全文' });
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('第1篇稿件');
    const other = await h.click(P.officer3, list.messageId, rowButton(list.content, '第1篇稿件', '查看'));
    expect(other.toast?.type).toBe('error');

    // 撤回 redraws the list with the new state; the reviewer's card says so.
    const withdrawn = await h.click(P.officer1, list.messageId, rowButton(list.content, '第3篇稿件', '撤回'));
    await h.settle();
    expect(withdrawn.toast).toEqual({ type: 'success', content: '已撤回 2026-0003。' });
    expect(cardText(withdrawn.card)).toContain('我的稿件');
    expect(cardText(withdrawn.card)).toContain('已撤回');
    expect(cardText(h.fake.messages.find((m) => m.messageId === review(3).messageId)!.content)).toContain('已撤回');

    // 提交修改稿: the next text is the revision of that draft.
    const revising = await h.click(P.officer1, list.messageId, rowButton(withdrawn.card, '第2篇稿件', '提交修改稿'));
    expect(revising.toast).toEqual({ type: 'info', content: '请把修改后的全文发给我。' });
    expect(cardText(revising.card)).toContain('我的稿件');

    // 登记上级采用 opens the 登记 form for the approved draft.
    const register = await h.click(P.officer1, list.messageId, rowButton(withdrawn.card, '第1篇稿件', '登记上级采用'));
    await h.settle();
    expect(register.toast).toEqual({ type: 'info', content: '登记表已发送，请在下方填写。' });
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('登记：《第1篇稿件》');
    expectAllCardsValid(h);
  }, SLOW);

  it('我的稿件 lists an officer\'s drafts with their state, newest first, a page at a time', async () => {
    h = await Harness.start();
    await submitMany(h, P.officer1, 12);
    await submitMany(h, P.officer2, 1, 100);
    // Approve the first draft so two states show.
    const firstReview = h.cardsTo(P.reviewer1)[0]!;
    await h.click(P.reviewer1, firstReview.messageId, findButton(firstReview.content, '通过'));
    await h.settle();

    await h.sendText(P.officer1, '我的稿件');
    await h.settle();
    const page1 = h.lastCardTo(P.officer1);
    const t1 = cardText(page1.content);
    expect(t1).toContain('共 12 篇 · 第 1/2 页');
    expect(t1).toContain('2026-0012');
    expect(t1).not.toContain('2026-0001');
    expect(t1).not.toContain('第101篇'); // another officer's draft
    expect(t1.indexOf('2026-0012')).toBeLessThan(t1.indexOf('2026-0011'));
    expect(t1).toContain('待审核');
    expect(hasButton(page1.content, '上一页')).toBe(false);

    const page2 = await h.click(P.officer1, page1.messageId, findButton(page1.content, '下一页'));
    const t2 = cardText(page2.card);
    expect(t2).toContain('第 2/2 页');
    expect(t2).toContain('2026-0001');
    expect(t2).toContain('已报研究室');
    expect(hasButton(page2.card, '下一页')).toBe(false);
    expect(hasButton(page2.card, '上一页')).toBe(true);

    // The page number can be typed too.
    await h.sendText(P.officer1, '我的稿件 2');
    await h.settle();
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('第 2/2 页');
  }, SLOW);

  it('待审 lists the pending drafts of the reviewer\'s units, pages, and re-sends a review card', async () => {
    h = await Harness.start();
    await submitMany(h, P.officer1, 11);
    await submitMany(h, P.officer3, 2, 50);
    const reviewCardsBefore = h.cardsTo(P.reviewer1).length;

    await h.sendText(P.reviewer1, '待审');
    await h.settle();
    const list = h.lastCardTo(P.reviewer1);
    const t = cardText(list.content);
    expect(t).toContain('共 11 篇 · 第 1/2 页');
    expect(t).toContain('2026-0001'); // oldest first
    expect(t).not.toContain('第51篇'); // 东街街道 is not this reviewer's unit
    const page2 = await h.click(P.reviewer1, list.messageId, findButton(list.content, '下一页'));
    expect(cardText(page2.card)).toContain('2026-0011');

    const resend = await h.click(P.reviewer1, list.messageId, findButton(list.content, '发送审核卡片'));
    await h.settle();
    expect(resend.toast).toEqual({ type: 'success', content: '已重新发送 2026-0001 的审核卡片。' });
    const cards = h.cardsTo(P.reviewer1);
    expect(cards.length).toBe(reviewCardsBefore + 2); // the list, and the review card again
    const again = cards[cards.length - 1]!;
    expect(cardText(again.content)).toContain('稿件审核 · 2026-0001');

    // Deciding on the re-sent copy updates the original copy too.
    const original = h.cardsTo(P.reviewer1).find((m) => cardText(m.content).includes('稿件审核 · 2026-0001'))!;
    await h.click(P.reviewer1, again.messageId, findButton(again.content, '通过'));
    await h.settle();
    expect(hasButton(h.fake.message(original.messageId)!.content, '通过')).toBe(false);

    // A reviewer of another unit sees only theirs; an officer may not use 待审.
    await h.sendText(P.reviewer2, '待审');
    await h.sendText(P.officer1, '待审');
    await h.settle();
    expect(cardText(h.lastCardTo(P.reviewer2).content)).toContain('共 2 篇');
    expect(h.textsTo(P.officer1).at(-1)).toBe('只有组织委员可以查看待审稿件。');
  }, SLOW);
});
