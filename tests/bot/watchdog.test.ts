import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { InboxWorker } from '../../bot/inbox.js';
import { createOutbox } from '../../bot/outbox/enqueue.js';
import { OutboxWorker } from '../../bot/outbox/worker.js';
import type { LarkApi } from '../../bot/lark-api.js';
import { databaseDeadlineMs, DEFAULT_PG_TIMEOUTS } from '../../db/client.js';
import { inboxEvents, outbox } from '../../db/schema/index.js';
import { cardText, Harness, P } from '../helpers/harness.js';
import { card, markdown } from '../../cards/elements.js';
import { postgresRun } from '../helpers/test-db.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Stands for a query lost with its connection that postgres.js never settles (porsager/postgres#1208). */
const never = () => new Promise<never>(() => {});

describe('the workers give up on work that never settles', () => {
  it('waits longer than any healthy database call: connect + statement timeouts and a margin', () => {
    const ms = databaseDeadlineMs();
    expect(ms).toBeGreaterThan(DEFAULT_PG_TIMEOUTS.statementMs + DEFAULT_PG_TIMEOUTS.connectSeconds * 1000);
    expect(databaseDeadlineMs({ ...DEFAULT_PG_TIMEOUTS, statementMs: 0 })).toBe(ms);
  });

  it('inbox: a handler that never settles frees its slot, and its message is handed back and answered', async () => {
    h = await Harness.start({ org: null });
    await h.sendText(P.officer1, '帮助');
    const stuck = new InboxWorker({ db: h.db.db, clock: h.clock, log: h.app.deps.log, process: never, deadlineMs: 200 });
    expect(await stuck.tick()).toBe(1);
    // Without the deadline this waits for ever (the test times out).
    await stuck.idle();
    await stuck.stop(); // hands the interrupted message back now instead of after its lease
    const [row] = await h.db.db.select().from(inboxEvents);
    expect(row).toMatchObject({ status: 'pending', lockedUntil: null, attempts: 0 });

    await h.settle();
    expect(h.cardsTo(P.officer1).map((c) => cardText(c.content)).join('\n')).toContain('使用帮助');
  });

  it('inbox: a tick that never settles counts as failed and the worker goes on', async () => {
    h = await Harness.start({ org: null });
    let calls = 0;
    class Hanging extends InboxWorker {
      override tick() {
        return ++calls === 1 ? never() : Promise.resolve(0);
      }
    }
    const w = new Hanging({ db: h.db.db, clock: h.clock, log: h.app.deps.log, process: never, deadlineMs: 100, pollMs: 10 });
    w.start();
    const t0 = Date.now();
    while (calls < 2 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('outbox: a delivery that never settles is made pending again and sent by the next tick', async () => {
    h = await Harness.start({ org: null });
    await h.db.db.transaction(async (tx) => {
      await createOutbox(tx, h!.clock).sendText({ openId: P.officer1 }, '终会送达');
    });
    const hanging: LarkApi = { ...h.api, sendMessage: never };
    const stuck = new OutboxWorker({ db: h.db.db, lark: hanging, clock: h.clock, log: h.app.deps.log, appRatePerSecond: 20, deadlineMs: 200 });
    // Without the deadline this tick never ends.
    expect(await stuck.tick()).toBe(1);
    expect((await h.db.db.select().from(outbox))[0]!.status).toBe('sending');
    await stuck.stop(); // settles what the deadline left: the row is pending again, not held for its lease
    expect((await h.db.db.select().from(outbox))[0]!.status).toBe('pending');

    await h.settle();
    expect(h.textsTo(P.officer1)).toEqual(['终会送达']);
  });

  // PGlite runs one statement at a time, so a row lock held elsewhere would stall the test itself.
  it.skipIf(!postgresRun)('outbox: a delivered row whose record does not come back is recorded later, not sent twice, and the tick goes on', async () => {
    h = await Harness.start({ org: null });
    await h.db.db.transaction(async (tx) => {
      await createOutbox(tx, h!.clock).sendCard({ openId: P.officer1 }, card({ title: '只发一次', elements: [markdown('一张卡片')] }), { purpose: 'test', entityType: 'test', entityId: 1 });
    });
    const worker = new OutboxWorker({ db: h.db.db, lark: h.api, clock: h.clock, log: h.app.deps.log, appRatePerSecond: 20, recordDeadlineMs: 200 });
    // Another session holds the card's row, which the record writes the message id to: a write
    // that does not come back, as one lost with its connection.
    const other = postgres(h.db.url!, { max: 1, onnotice: () => {} });
    let release = () => {};
    const held = other.begin(async (tx) => {
      await tx`select id from card_messages for update`;
      await new Promise<void>((r) => (release = r));
    });
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    expect(await worker.tick()).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(h.cardsTo(P.officer1)).toHaveLength(1);
    expect(h.logs.some((l) => l.msg === 'outbox delivery not recorded yet; recorded when the database answers')).toBe(true);
    release();
    await held;
    await other.end();
    await worker.tick(); // records what was delivered
    const [row] = await h.db.db.select().from(outbox);
    expect(row).toMatchObject({ status: 'sent' });
    await h.settle();
    expect(h.cardsTo(P.officer1)).toHaveLength(1);
    expect(h.fake.callsTo('/im/v1/messages', 'POST').filter((c) => c.status === 200)).toHaveLength(1);
  });
});
