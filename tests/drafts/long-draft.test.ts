import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.js';
import { CARD_BUDGET_BYTES } from '../../cards/elements.js';
import { cardText, findButton, Harness, hasButton, P } from '../helpers/harness.js';
import { confirm, expectAllCardsValid, lastCardWith, sendDraft } from './flow.js';

/** End-to-end tests share two cores with PGlite; give them room on a loaded machine. */
const SLOW = 120_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** About `chars` characters of body in paragraphs of ~200, with markdown-looking characters mixed in. */
function longDraft(chars: number, variant = 0) {
  const base = '围绕“强基固本”工程，*党支部*标准化建设_全面推进_，[示范点]建设成效明显<br>，群众获得感持续增强。';
  const paragraphs: string[] = [];
  let n = 0;
  for (let i = 0; n < chars; i++) {
    const p = `${i + 1}. 第${i + 1}部分：${base.repeat(4)}${variant ? `（修订${variant}）` : ''}`;
    paragraphs.push(p);
    n += Array.from(p).length;
  }
  return { title: '关于全县基层党组织建设情况的调研报告', paragraphs };
}

describe('a very long draft', () => {
  it('a 20,000-character draft still gives cards under 30 KB; the full text reaches the reviewer privately', async () => {
    h = await Harness.start();
    const d = longDraft(20_000);
    const bodyChars = d.paragraphs.join('').length;
    expect(bodyChars).toBeGreaterThanOrEqual(20_000);
    const confirmCard = await sendDraft(h, P.officer1, [d.title, ...d.paragraphs].join('\n'));
    await confirm(h, P.officer1, confirmCard, { category: '调研文稿' });

    const review = h.lastCardTo(P.reviewer1);
    expect(Buffer.byteLength(review.raw)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(cardText(review.content)).toContain('超出卡片容量，已另行私信发送');
    expect(hasButton(review.content, '通过')).toBe(true);
    // The full text arrives as private text messages that together hold every paragraph.
    const texts = h.textsTo(P.reviewer1);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts[0]).toMatch(/^【2026-0001 第1稿 全文 1\/\d+】/);
    const joined = texts.map((t) => t.split('\n').slice(1).join('\n')).join('\n');
    expect(joined).toBe([d.title, ...d.paragraphs].join('\n'));

    // Return it, send a revision where every paragraph changed: the diff card still fits.
    const formRes = await h.click(P.reviewer1, review.messageId, findButton(review.content, '退回'));
    expect(Buffer.byteLength(JSON.stringify(formRes.card))).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    await h.click(P.reviewer1, review.messageId, findButton(formRes.card, '确认退回'), { formValue: { reason: '篇幅过长，请压缩。' } });
    await h.settle();
    const notice = lastCardWith(h, P.officer1, '稿件被退回');
    await h.click(P.officer1, notice.messageId, findButton(notice.content, '提交修改稿'));
    const r2 = longDraft(20_000, 2);
    const confirm2 = await sendDraft(h, P.officer1, [r2.title, ...r2.paragraphs].join('\n'));
    await confirm(h, P.officer1, confirm2, {});
    const review2 = h.lastCardTo(P.reviewer1);
    const t2 = cardText(review2.content);
    expect(t2).toContain('与第1稿相比');
    expect(t2).toContain('处改动未列出');
    expect(Buffer.byteLength(review2.raw)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);

    // Every card the bot sent or patched was accepted (the fake refuses > 30 KB) and nothing failed.
    expectAllCardsValid(h);
    const sizes = h.fake.messages.filter((m) => !m.inbound && m.msgType === 'interactive').map((m) => Buffer.byteLength(m.raw));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    for (const m of h.fake.messages) for (const c of m.history) expect(Buffer.byteLength(c.raw)).toBeLessThan(30 * 1024);
    expect(await h.db.db.select().from(outbox).where(sql`status <> 'sent'`)).toHaveLength(0);
  }, SLOW);
});
