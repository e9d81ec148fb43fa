import { afterEach, describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import { drafts, serialCounters } from '../../db/schema/index.js';
import { cardText, findButton, Harness, P } from '../helpers/harness.js';
import { sampleDraft, submitDraft } from './flow.js';

/** End-to-end tests share two cores with PGlite; give them room on a loaded machine. */
const SLOW = 120_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('serial numbers', () => {
  it('are unique and gapless under concurrent confirmations', async () => {
    h = await Harness.start();
    const officers = [P.officer1, P.officer2, P.officer3];
    // Four candidates per officer, all waiting for confirmation.
    for (let i = 0; i < 4; i++) {
      for (const o of officers) await h.sendText(o, sampleDraft(`稿件标题 ${o} ${i}`).text);
    }
    await h.settle();
    const cards = officers.flatMap((o) => h!.cardsTo(o).map((m) => ({ o, m })));
    expect(cards).toHaveLength(12);
    const results = await Promise.all(
      cards.map(({ o, m }) => h!.click(o, m.messageId, findButton(m.content, '提交审核'), { formValue: { category: '组工信息' } })),
    );
    // Each confirmation is answered with its serial, or (when the queue behind the serial counter's
    // lock outlasts Lark's 3 s on a loaded machine) with the receiver's "still working" answer, the
    // card following later. Either way every one is submitted.
    const late = '已收到，正在处理，卡片稍后更新。';
    for (const r of results) expect(r.toast?.type === 'success' || r.toast?.content === late).toBe(true);
    await h.settle();
    const rows = await h.db.db.select().from(drafts).orderBy(asc(drafts.seq));
    expect(rows.map((r) => r.serial)).toEqual(Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(4, '0')}`));
    const answered = results.filter((r) => r.toast?.type === 'success').map((r) => r.toast!.content);
    expect(new Set(answered).size).toBe(answered.length);
    for (const o of officers) expect(h.cardsTo(o).filter((m) => cardText(m.content).includes('稿件回执'))).toHaveLength(4);
  }, SLOW);

  it('keep counting past 9999 in a year: four digits at least, never cut', async () => {
    h = await Harness.start();
    await h.db.db.insert(serialCounters).values({ year: 2026, last: 9998 });
    const numbers = [(await submitDraft(h, P.officer1)).serial, (await submitDraft(h, P.officer2)).serial];
    expect(numbers).toEqual(['2026-9999', '2026-10000']);
    expect((await h.db.db.select().from(drafts).orderBy(asc(drafts.seq))).map((d) => [d.year, d.seq])).toEqual([[2026, 9999], [2026, 10000]]);
  }, SLOW);

  it('restart at 0001 in a new year (the bot\'s timezone decides the year)', async () => {
    // 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Asia/Shanghai.
    h = await Harness.start({ start: '2026-12-31T15:30:00Z' });
    const first = await submitDraft(h, P.officer1);
    h.clock.set('2026-12-31T16:30:00Z');
    const second = await submitDraft(h, P.officer1);
    expect([first.serial, second.serial]).toEqual(['2026-0001', '2027-0001']);
    expect(await h.db.db.select().from(serialCounters).orderBy(asc(serialCounters.year))).toEqual([
      { year: 2026, last: 1 },
      { year: 2027, last: 1 },
    ]);
  }, SLOW);
});
