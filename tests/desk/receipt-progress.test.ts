import { afterEach, describe, expect, it } from 'vitest';
import { cardText, findButton, Harness, P } from '../helpers/harness.js';
import { adoptAll, approvedDraft, ask, expectAllCardsValid, tap } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TITLE = '城关镇网格化治理见成效';

/** The officer's receipt as Lark shows it now: the one message, after every patch. */
function receipt(harness: Harness): string {
  const receipts = harness.cardsTo(P.officer1).filter((m) => cardText(m.content).includes('稿件回执'));
  // One receipt for the one revision, patched in place rather than sent again.
  expect(receipts).toHaveLength(1);
  return cardText(harness.fake.message(receipts[0]!.messageId)!.content);
}

async function record(harness: Harness, who: string, serial: string, form: Record<string, string>, button: string) {
  const card = await ask(harness, who, `登记 ${serial}`);
  const r = await tap(harness, who, card, findButton(card.content, button), { formValue: form, name: 'rec_submit' });
  expect(r.res.toast?.type).toBe('success');
  return r;
}

describe('receipts that stay true', { timeout: 120_000 }, () => {
  it('patches the officer’s receipt at adoption and at each recognition, and tells the author of upward ones', async () => {
    h = await Harness.start({ start: '2026-11-12T02:00:00Z' });
    const d = await approvedDraft(h, P.officer1, TITLE);
    expect(receipt(h)).toContain('已报研究室');
    expect(receipt(h)).not.toContain('后续进展');

    // Adopted into this year's first issue: the receipt says where, and what the unit earned.
    await adoptAll(h, [TITLE]);
    let text = receipt(h);
    expect(text).toContain('已采用');
    expect(text).toContain('编入2026年第1期第1条');
    expect(text).toContain('本单位已得 1 分');

    // A colleague reports a city adoption; once the research office confirms it, the receipt shows
    // it with the new points, and the author (who did not report it) is told.
    await record(h, P.officer2, d.serial, { kind: 'upper_adoption', level: 'city', outlet: '市委组工信息', date: '2026-11-10 +0800', link: '', note: '' }, '提交研究室确认');
    expect(receipt(h)).not.toContain('市级上级采用');
    const decide = h.lastCardTo(P.editor);
    await tap(h, P.editor, decide, findButton(decide.content, '确认'), { name: 'rec_confirm' });
    text = receipt(h);
    expect(text).toContain('2026年11月10日 市级上级采用（市委组工信息）');
    const cityPoints = Number(/本单位已得 ([\d.]+) 分/.exec(text)![1]);
    expect(cityPoints).toBeGreaterThan(1);
    expect(h.textsTo(P.officer1).at(-1)).toBe(`您的稿件《${TITLE}》（${d.serial}）获市级上级采用（市委组工信息，2026年11月10日），已按积分规则计分。稿件回执已同步更新。`);
    // The reporter gets the verdict, not the author's notice.
    expect(h.textsTo(P.officer2).some((t) => t.startsWith('您的稿件'))).toBe(false);

    // The research office records a 批示 directly: confirmed at once, receipt and author follow.
    const before = h.textsTo(P.officer1).length;
    await record(h, P.editor, d.serial, { kind: 'endorsement', level: 'city', outlet: '市委书记', date: '2026-11-11 +0800', link: '', note: '' }, '登记');
    text = receipt(h);
    expect(text).toContain('2026年11月11日 市级领导批示（市委书记）');
    expect(Number(/本单位已得 ([\d.]+) 分/.exec(text)![1])).toBeGreaterThan(cityPoints);
    expect(h.textsTo(P.officer1).slice(before)).toEqual([`您的稿件《${TITLE}》（${d.serial}）获市级领导批示（市委书记，2026年11月11日），已按积分规则计分。稿件回执已同步更新。`]);
    expectAllCardsValid(h);
  });
});
