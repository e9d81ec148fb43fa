import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createOutbox } from '../../bot/outbox/enqueue.js';
import { OutboxWorker } from '../../bot/outbox/worker.js';
import type { LarkApi } from '../../bot/lark-api.js';
import { outbox } from '../../db/schema/index.js';
import { card, markdown } from '../../cards/elements.js';
import { Harness, P } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function enqueueTexts(h: Harness, items: { to: string; text: string }[]) {
  await h.db.db.transaction(async (tx) => {
    const out = createOutbox(tx, h.clock);
    for (const i of items) await out.sendText({ openId: i.to }, i.text);
  });
}

const sends = (h: Harness) => h.fake.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages');

describe('outbox delivery', () => {
  it('delivers every message exactly once through a storm of 429s, 5xx and an outage', async () => {
    h = await Harness.start({ org: null });
    const items = Array.from({ length: 12 }, (_, i) => ({ to: [P.officer1, P.officer2, P.reviewer1][i % 3]!, text: `消息 ${i}` }));
    await enqueueTexts(h, items);
    h.fake.failNext({ pathIncludes: '/im/v1/messages', status: 429, times: 4, headers: { 'x-ogw-ratelimit-reset': '3' } });
    h.fake.failNext({ pathIncludes: '/im/v1/messages', status: 500, times: 3 });
    h.fake.failNext({ pathIncludes: '/im/v1/messages', status: 503, times: 2 });
    await h.app.outbox.tick();
    h.fake.setDown(true);
    await h.app.outbox.tick();
    await h.app.outbox.tick();
    h.fake.setDown(false);
    await h.settle();

    for (const person of [P.officer1, P.officer2, P.reviewer1]) {
      const expected = items.filter((i) => i.to === person).map((i) => i.text);
      // Exactly once each, and in the order they were enqueued for that chat.
      expect(h.textsTo(person)).toEqual(expected);
    }
    expect(sends(h).filter((c) => c.status === 429).length).toBe(4);
    expect(sends(h).filter((c) => c.status >= 500).length).toBe(5);
    const rows = await h.db.db.select().from(outbox);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('waits as long as x-ogw-ratelimit-reset says before retrying', async () => {
    h = await Harness.start({ org: null });
    await enqueueTexts(h, [{ to: P.officer1, text: '一' }]);
    h.fake.failNext({ pathIncludes: '/im/v1/messages', status: 429, times: 1, headers: { 'x-ogw-ratelimit-reset': '7' } });
    const t0 = h.clock.ms();
    await h.app.outbox.tick();
    const [row] = await h.db.db.select().from(outbox);
    expect(row!.status).toBe('pending');
    expect(row!.nextAttemptAt.getTime() - t0).toBe(7000);
    expect(row!.attempts).toBe(0); // a rate limit is not a failure
    await h.app.outbox.tick();
    expect(h.textsTo(P.officer1)).toEqual([]);
    h.clock.advance(7000);
    await h.app.outbox.tick();
    expect(h.textsTo(P.officer1)).toEqual(['一']);
  });

  it('a worker that dies after Lark accepted the send does not cause a duplicate', async () => {
    h = await Harness.start({ org: null });
    await enqueueTexts(h, [{ to: P.officer1, text: '只发一次' }]);
    // A worker whose process "dies" right after the HTTP call returns: the row stays claimed.
    const dying: LarkApi = {
      ...h.api,
      sendMessage: async (req) => {
        await h!.api.sendMessage(req);
        return new Promise<never>(() => {});
      },
    };
    const doomed = new OutboxWorker({ db: h.db.db, lark: dying, clock: h.clock, log: h.app.deps.log, appRatePerSecond: 20 });
    void doomed.tick();
    await waitFor(() => h!.textsTo(P.officer1).length === 1);
    const [claimed] = await h.db.db.select().from(outbox);
    expect(claimed!.status).toBe('sending');

    // The restarted bot's worker takes the row over once the lease runs out and re-sends it with
    // the same uuid; Lark (here the fake) answers with the message it already has.
    await h.app.outbox.tick();
    expect((await h.db.db.select().from(outbox))[0]!.status).toBe('sending');
    h.clock.advance(61_000);
    await h.app.outbox.tick();
    expect(h.textsTo(P.officer1)).toEqual(['只发一次']);
    const [row] = await h.db.db.select().from(outbox);
    expect(row!.status).toBe('sent');
    const uuids = sends(h).map((c) => (c.body as { uuid?: string }).uuid);
    expect(uuids).toEqual([row!.uuid, row!.uuid]);
  });

  it('delivers rows left pending by a stopped bot after restart', async () => {
    h = await Harness.start({ org: null });
    await enqueueTexts(h, [{ to: P.officer1, text: '重启后送达' }]);
    const before = h;
    const db = h.db;
    await h.close({ keepDb: true });
    h = await Harness.start({ db, org: null, sameAppAs: before });
    await h.settle();
    expect(h.textsTo(P.officer1)).toEqual(['重启后送达']);
  });

  it('paces sends to one chat under Lark\'s 5 per second, so Lark never refuses them', async () => {
    h = await Harness.start({ org: null });
    await enqueueTexts(h, Array.from({ length: 12 }, (_, i) => ({ to: P.officer1, text: `第${i + 1}条` })));
    const t0 = h.clock.ms();
    await h.settle();
    expect(h.textsTo(P.officer1)).toHaveLength(12);
    expect(sends(h).filter((c) => (c.response as { code?: number }).code === 230020)).toHaveLength(0);
    expect(h.clock.ms() - t0).toBeGreaterThanOrEqual(2000); // 12 sends need at least three 1-second windows
  });

  it('sends each chat in order, and a long backlog in one chat holds up no other chat', async () => {
    h = await Harness.start({ org: null });
    const others = Array.from({ length: 30 }, (_, i) => `ou_other_${i}`);
    const long = Array.from({ length: 40 }, (_, i) => ({ to: P.officer1, text: `长队第${i + 1}条` }));
    // The long chat's rows come first by id; the other chats' rows after them, interleaved.
    await enqueueTexts(h, [...long, ...[1, 2].flatMap((k) => others.map((to) => ({ to, text: `第${k}条` })))]);
    await h.settle();
    expect(h.textsTo(P.officer1)).toEqual(long.map((m) => m.text));
    for (const to of others) expect(h.textsTo(to)).toEqual(['第1条', '第2条']);
    // Lark takes 5 a second in one chat, so the long chat needs 8 s; the others are not queued behind it.
    const order = sends(h).filter((c) => c.status === 200).map((c) => JSON.stringify(c.body));
    const lastOfLong = order.findLastIndex((b) => b.includes('长队'));
    const othersDone = order.findLastIndex((b) => b.includes('ou_other_'));
    expect(othersDone).toBeGreaterThan(0);
    expect(othersDone).toBeLessThan(lastOfLong);
  });

  it('keeps each message API under Lark\'s 1,000 calls a minute, so Lark never refuses the app', async () => {
    h = await Harness.start({ org: null });
    const people = Array.from({ length: 350 }, (_, i) => `ou_many_${i}`);
    const items = people.flatMap((to) => [1, 2, 3].map((k) => ({ to, text: `第${k}条` })));
    await enqueueTexts(h, items);
    const t0 = h.clock.ms();
    await h.settle();
    expect(sends(h).filter((c) => c.status === 200)).toHaveLength(1050);
    expect(sends(h).filter((c) => c.status === 429)).toHaveLength(0);
    // The 1,001st send waited for the first minute's window to pass.
    const at = sends(h).map((c) => c.time).sort((a, b) => a - b);
    expect(at[1000]! - at[0]!).toBeGreaterThanOrEqual(60_000);
    expect(h.clock.ms() - t0).toBeGreaterThanOrEqual(60_000);
  });

  it('after Lark refuses the app (99991400) calls nothing more of that API until the reset it named', async () => {
    h = await Harness.start({ org: null });
    await enqueueTexts(h, [{ to: P.officer1, text: '一' }]);
    h.fake.failNext({ pathIncludes: '/im/v1/messages', status: 429, times: 1, headers: { 'x-ogw-ratelimit-reset': '5' } });
    await h.app.outbox.tick();
    expect(sends(h)).toHaveLength(1);
    await enqueueTexts(h, [{ to: P.officer2, text: '二' }, { to: P.reviewer1, text: '三' }]);
    h.clock.advance(4000);
    await h.app.outbox.tick();
    expect(sends(h)).toHaveLength(1); // other chats wait too: Lark would refuse them as well
    const waiting = await h.db.db.select().from(outbox);
    expect(waiting.every((r) => r.status === 'pending')).toBe(true);
    h.clock.advance(1000);
    await h.settle();
    expect([h.textsTo(P.officer1), h.textsTo(P.officer2), h.textsTo(P.reviewer1)]).toEqual([['一'], ['二'], ['三']]);
    expect(sends(h).filter((c) => c.status === 429)).toHaveLength(1);
  });

  it('marks a row failed on a permanent error and goes on with the next one in the chat', async () => {
    h = await Harness.start({ org: null });
    await h.db.db.transaction(async (tx) => {
      const out = createOutbox(tx, h!.clock);
      // Lark refuses this card (unknown property in a 2.0 card).
      await out.sendCard({ openId: P.officer1 }, { ...card({ title: '坏卡片', elements: [markdown('x')] }), bogus: 1 } as never);
      await out.sendText({ openId: P.officer1 }, '后面的消息');
    });
    await h.settle();
    const rows = await h.db.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.map((r) => r.status)).toEqual(['failed', 'sent']);
    expect(rows[0]!.lastError).toContain('230099');
    expect(h.textsTo(P.officer1)).toEqual(['后面的消息']);
  });

  it('gives up within the hour of a uuid when Lark may have taken a call (connections reset), and says why', async () => {
    h = await Harness.start({ org: null });
    await enqueueTexts(h, [{ to: P.officer1, text: '发不出去' }]);
    const start = h.clock.ms();
    h.fake.setDown(true);
    await h.settle(24 * 3600_000);
    const [row] = await h.db.db.select().from(outbox);
    expect(row!.status).toBe('failed');
    // A reset may come after Lark took the call: retrying past its uuid's hour could send it twice.
    expect(row!.uncertainSince!.getTime()).toBe(start);
    const tries = h.logLines(40).filter((l) => l.msg === 'outbox delivery failed, will retry' || l.msg === 'outbox row failed permanently');
    expect(tries.length).toBe(row!.attempts);
    expect(h.clock.ms() - start).toBeLessThanOrEqual(55 * 60_000);
    expect(h.logLines(50).find((l) => l.msg === 'outbox row failed permanently')?.why).toBe('a retry could send it twice');
  });

  it('keeps trying through hours of a network that never connects, and delivers each message once after', async () => {
    h = await Harness.start({ org: null });
    const items = [P.officer1, P.officer2, P.officer1, P.reviewer1, P.officer1].map((to, i) => ({ to, text: `断网期间的第${i + 1}条` }));
    await enqueueTexts(h, items);
    await h.fake.setUnreachable(true);
    // Three hours of connection refused (no route to Lark): the rows wait, none fails.
    await h.settle(3 * 3600_000);
    const during = await h.db.db.select().from(outbox).orderBy(outbox.id);
    expect(during.map((r) => r.status)).toEqual(items.map(() => 'pending'));
    expect(during.every((r) => r.uncertainSince === null)).toBe(true);
    // Each chat's first message is the one tried (the others keep their place behind it).
    expect(during.map((r) => r.attempts > 5)).toEqual([true, true, false, true, false]);
    expect(sends(h)).toEqual([]);

    await h.fake.setUnreachable(false);
    await h.settle();
    for (const person of [P.officer1, P.officer2, P.reviewer1]) expect(h.textsTo(person)).toEqual(items.filter((i) => i.to === person).map((i) => i.text));
    expect(sends(h).filter((c) => c.status === 200)).toHaveLength(items.length);
    expect((await h.db.db.select().from(outbox).orderBy(outbox.id)).map((r) => r.status)).toEqual(items.map(() => 'sent'));
  });

  it('gives up on a message a day old that never reached Lark', async () => {
    h = await Harness.start({ org: null });
    await enqueueTexts(h, [{ to: P.officer1, text: '一天都没网' }]);
    await h.fake.setUnreachable(true);
    await h.settle(30 * 3600_000);
    const [row] = await h.db.db.select().from(outbox);
    expect(row!.status).toBe('failed');
    expect(row!.uncertainSince).toBeNull();
    expect(h.clock.ms() - row!.createdAt.getTime()).toBeLessThanOrEqual(24 * 3600_000);
    expect(h.clock.ms() - row!.createdAt.getTime()).toBeGreaterThan(23 * 3600_000);
    expect(h.logLines(50).find((l) => l.msg === 'outbox row failed permanently')?.why).toBe('stale');
    await h.fake.setUnreachable(false);
  });

  it('keeps messages while Lark refuses the app’s credentials (App Secret reset), says what to fix, and sends them once it is fixed', async () => {
    h = await Harness.start({ org: null });
    const original = h.lark.appSecret;
    h.fake.resetAppSecret('reset-in-the-console').expireTokens();
    await enqueueTexts(h, [{ to: P.officer1, text: '凭证失效期间的消息' }]);
    await h.settle(3 * 3600_000);
    const [row] = await h.db.db.select().from(outbox);
    // No request went out without a token: nothing could have arrived, so nothing is given up.
    expect(row).toMatchObject({ status: 'pending', uncertainSince: null });
    expect(row!.lastError).toContain('code: 10014');
    const told = h.logLines(50).filter((l) => String(l.msg).startsWith('飞书拒绝了应用凭证'));
    expect(told.length).toBe(row!.attempts);
    expect(told[0]).toMatchObject({ code: 10014 });
    expect(sends(h)).toEqual([]);

    // The operator puts the new secret in the configuration (here: the console takes the old one back).
    h.fake.resetAppSecret(original);
    await h.settle();
    expect(h.textsTo(P.officer1)).toEqual(['凭证失效期间的消息']);
  });

  it('recovers from an expired tenant token by fetching a new one', async () => {
    h = await Harness.start({ org: null });
    await enqueueTexts(h, [{ to: P.officer1, text: '一' }]);
    await h.settle();
    h.fake.expireTokens();
    await enqueueTexts(h, [{ to: P.officer1, text: '二' }]);
    await h.settle();
    expect(h.textsTo(P.officer1)).toEqual(['一', '二']);
    const [, second] = (await h.db.db.select().from(outbox).where(eq(outbox.status, 'sent'))).map((r) => r.attempts);
    expect(second).toBe(1);
  });

  it('posts a fresh copy of a tracked card Lark no longer lets us update (older than 14 days)', async () => {
    h = await Harness.start({ org: null });
    let cm: number | undefined;
    await h.db.db.transaction(async (tx) => {
      cm = await createOutbox(tx, h!.clock).sendCard({ chatId: 'oc_example_group' }, card({ title: '看板 v1', elements: [markdown('v1')] }), {
        purpose: 'test',
        entityType: 'test',
        entityId: 1,
      });
    });
    await h.settle();
    h.clock.advance(15 * 24 * 3600_000);
    await h.db.db.transaction(async (tx) => createOutbox(tx, h!.clock).patchCard(cm!, card({ title: '看板 v2', elements: [markdown('v2')] })));
    await h.settle();
    const cards = h.cardsTo('oc_example_group');
    expect(cards.map((c) => (c.content as { header: { title: { content: string } } }).header.title.content)).toEqual(['看板 v1', '看板 v2']);
    expect((await h.db.db.select().from(outbox)).every((r) => r.status === 'sent')).toBe(true);
    // Later changes update the new copy.
    await h.db.db.transaction(async (tx) => createOutbox(tx, h!.clock).patchCard(cm!, card({ title: '看板 v3', elements: [markdown('v3')] })));
    await h.settle();
    expect((h.cardsTo('oc_example_group')[1]!.content as { header: { title: { content: string } } }).header.title.content).toBe('看板 v3');
  });

  it('coalesces a burst of patches to one card into the latest version', async () => {
    h = await Harness.start({ org: null });
    let cm: number | undefined;
    await h.db.db.transaction(async (tx) => {
      cm = await createOutbox(tx, h!.clock).sendCard({ openId: P.officer1 }, card({ title: 'v0', elements: [markdown('v0')] }), {
        purpose: 'test',
        entityType: 'test',
        entityId: 1,
      });
    });
    await h.settle();
    for (let v = 1; v <= 8; v++) {
      await h.db.db.transaction(async (tx) => createOutbox(tx, h!.clock).patchCard(cm!, card({ title: `v${v}`, elements: [markdown(`v${v}`)] })));
    }
    await h.settle();
    const [msg] = h.cardsTo(P.officer1);
    expect((msg!.content as { header: { title: { content: string } } }).header.title.content).toBe('v8');
    expect(msg!.history.length).toBe(1);
  });
});

async function waitFor(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
