import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../../bot/outbox/enqueue.js';
import { draftCandidates, inboxEvents, outbox } from '../../db/schema/index.js';
import { cardText, Harness, P } from '../helpers/harness.js';
import { DOCX_DRAFT, docxDraft } from '../files/fixtures.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sendPath = '/open-apis/im/v1/messages';

/**
 * Lark answers 5xx for a minute, then 429 with x-ogw-ratelimit-reset: nothing is lost, each chat's
 * messages arrive in the order they were written, every one once, within a minute of recovery.
 */
describe('fault: Lark down, then rate limiting', { timeout: 120_000 }, () => {
  it('5xx for 60 s then 429: all delivered once, in per-chat order, within a minute of recovery', async () => {
    h = await Harness.start({ org: null });
    const people = [P.officer1, P.officer2, P.reviewer1];
    const items = Array.from({ length: 15 }, (_, i) => ({ to: people[i % 3]!, text: `第${i + 1}条` }));
    await h.db.db.transaction(async (tx) => {
      const out = createOutbox(tx, h!.clock);
      for (const i of items) await out.sendText({ openId: i.to }, i.text);
    });

    // One minute of HTTP 500 on every send; the worker keeps trying with its back-off.
    const downUntil = h.clock.ms() + 60_000;
    h.fake.failNext({ pathIncludes: sendPath, status: 500, times: 10_000 });
    while (h.clock.ms() < downUntil) {
      await h.app.outbox.tick();
      h.clock.advance(1000);
    }
    const failedCalls = h.fake.callsTo(sendPath, 'POST').filter((c) => c.status === 500).length;
    expect(h.fake.messages.filter((m) => m.sender.senderType === 'app')).toEqual([]);
    const during = await h.db.db.select().from(outbox);
    expect(during.every((r) => r.status === 'pending')).toBe(true);

    // Lark recovers but rate-limits the first three calls, asking for 2 s.
    h.fake.clearFailures();
    h.fake.failNext({ pathIncludes: sendPath, status: 429, times: 3, headers: { 'x-ogw-ratelimit-reset': '2' } });
    const recoveredAt = h.clock.ms();
    await h.settle();

    const delivered = h.fake.messages.filter((m) => m.sender.senderType === 'app');
    console.log(`lark outage: ${items.length} messages, ${failedCalls} calls answered 500 during 60 s, 3 answered 429, ${delivered.length} delivered, last ${(Math.max(...delivered.map((m) => m.createTime)) - recoveredAt) / 1000} s after recovery`);
    for (const person of people) expect(h.textsTo(person)).toEqual(items.filter((i) => i.to === person).map((i) => i.text));
    expect(delivered.length).toBe(items.length);
    expect(new Set(delivered.map((m) => m.uuid)).size).toBe(items.length);
    expect(Math.max(...delivered.map((m) => m.createTime)) - recoveredAt).toBeLessThanOrEqual(60_000);
    const rows = await h.db.db.select().from(outbox);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('a draft sent as a file while Lark’s downloads answer 5xx for a minute is taken once Lark is back, without asking the officer again', async () => {
    h = await Harness.start();
    const resources = '/resources/';
    h.fake.failNext({ pathIncludes: resources, status: 500, times: 10_000 });
    await h.sendFile(P.officer1, '红色物业.docx', await docxDraft());
    const downUntil = h.clock.ms() + 60_000;
    while (h.clock.ms() < downUntil) {
      await h.app.inbox.tick();
      await h.app.inbox.idle();
      await h.app.outbox.tick();
      h.clock.advance(1000);
    }
    const failedDownloads = h.fake.callsTo(resources, 'GET').filter((c) => c.status === 500).length;
    expect(failedDownloads).toBeGreaterThan(1);
    // Nothing said to the officer yet, and the message still waits.
    expect(h.textsTo(P.officer1)).toEqual([]);
    expect((await h.db.db.select().from(inboxEvents)).map((r) => r.status)).toEqual(['pending']);

    h.fake.clearFailures();
    const recoveredAt = h.clock.ms();
    await h.settle();
    console.log(`lark download outage: ${failedDownloads} downloads answered 500 during 60 s; the draft taken ${(h.clock.ms() - recoveredAt) / 1000} s after recovery`);
    expect(h.textsTo(P.officer1)).toEqual([]);
    expect(h.cardsTo(P.officer1)).toHaveLength(1);
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain(DOCX_DRAFT.title);
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(1);
    expect(h.clock.ms() - recoveredAt).toBeLessThanOrEqual(60_000);
  });
});
