import { afterEach, describe, expect, it } from 'vitest';
import { cardText, findButton, Harness, hasButton, P } from '../helpers/harness.js';
import { sampleDraft } from './flow.js';

/** End-to-end tests share two cores with PGlite; give them room on a loaded machine. */
const SLOW = 120_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

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
