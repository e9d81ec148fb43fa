import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { asc, eq } from 'drizzle-orm';
import type { Feature } from '../../bot/handlers.js';
import { allFeatures } from '../../commands/index.js';
import { draftCandidates, inboxEvents, outbox } from '../../db/schema/index.js';
import { Harness, P } from '../helpers/harness.js';
import { lockChat } from '../../bot/inbox.js';
import { metrics } from '../../bot/metrics.js';
import { postgresRun } from '../helpers/test-db.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DRAFT = '某镇推行“党建+网格”治理模式\n今年以来，某镇党委把党支部建在网格上，选派党员干部担任网格长，累计化解矛盾纠纷一百二十余件，群众满意度明显提升。';

const inbox = (h: Harness) => h.db.db.select().from(inboxEvents).orderBy(asc(inboxEvents.receivedAt), asc(inboxEvents.key));

describe('messages answered in the request that delivers them', () => {
  it('a draft\'s text is stored as a candidate and answered before the webhook returns; a command still waits for the inbox worker', async () => {
    h = await Harness.start();
    const sent = await h.sendText(P.officer1, DRAFT);
    expect(sent.status).toBe(200);
    // Nothing has run the inbox worker: the webhook request did the work in one transaction.
    const [row] = await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `msg:${sent.messageId}`));
    expect(row!.status).toBe('done');
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(1);
    expect(await h.db.db.select().from(outbox)).toHaveLength(1);

    const help = await h.sendText(P.officer1, '帮助');
    const [queued] = await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `msg:${help.messageId}`));
    expect(queued!.status).toBe('pending');

    // Lark re-delivers the draft: answered once.
    expect((await h.post(sent.event)).status).toBe(200);
    await h.settle();
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(1);
  });

  it('behind a message of the same chat still waiting, a draft\'s text waits too and is handled after it', async () => {
    h = await Harness.start();
    const help = await h.sendText(P.officer1, '帮助');
    // A second later: two messages stored in the same millisecond are ordered by key instead.
    h.clock.advance(1000);
    const draft = await h.sendText(P.officer1, DRAFT);
    const other = await h.sendText(P.officer2, DRAFT);
    const rows = await inbox(h);
    expect(rows.find((r) => r.key === `msg:${help.messageId}`)!.status).toBe('pending');
    expect(rows.find((r) => r.key === `msg:${draft.messageId}`)!.status).toBe('pending');
    // Another chat is not held up.
    expect(rows.find((r) => r.key === `msg:${other.messageId}`)!.status).toBe('done');
    await h.settle();
    expect((await inbox(h)).every((r) => r.status === 'done')).toBe(true);
    // officer1's answers went out in the order the messages came: the help, then the confirm card.
    const mine = (await h.db.db.select().from(outbox).orderBy(asc(outbox.id))).filter((r) => (r.payload as { receiveId?: string }).receiveId === P.officer1);
    expect(mine).toHaveLength(2);
    expect(mine[0]!.cardMessageId).toBeNull();
    expect(mine[1]!.cardMessageId).not.toBeNull();
  });

  it('a handler that fails in the request leaves the message to the inbox worker, which tries it again', async () => {
    let calls = 0;
    const flaky: Feature = {
      name: 'flaky',
      messageHandlers: [
        {
          name: 'flaky',
          inline: true,
          accepts: (e) => e.messageType === 'text' && JSON.stringify(e.content).includes('试一试'),
          async handle(ctx) {
            calls++;
            if (calls === 1) throw new Error('first try fails');
            await ctx.reply('第二次成功');
          },
        },
      ],
    };
    h = await Harness.start({ features: [flaky, ...allFeatures()] });
    const sent = await h.sendText(P.officer1, '试一试');
    expect(sent.status).toBe(200);
    const [row] = await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `msg:${sent.messageId}`));
    expect(row!.status).toBe('pending');
    expect(await h.db.db.select().from(outbox)).toHaveLength(0); // the failed try wrote nothing
    await h.settle();
    expect(calls).toBe(2);
    expect(h.textsTo(P.officer1)).toEqual(['第二次成功']);
  });
});

/** org.example.yaml with `n` more units of one officer each (ou_burst_1 …), for bursts from many chats. */
function orgWithOfficers(n: number): { org: string; officers: string[] } {
  const org = parseYaml(readFileSync('org.example.yaml', 'utf8')) as { units: { name: string; reviewers: unknown[]; officers: unknown[] }[] };
  const officers = Array.from({ length: n }, (_, i) => `ou_burst_${i + 1}`);
  officers.forEach((id, i) => org.units.push({ name: `测试镇${i + 1}`, reviewers: [{ id: `ou_burst_r${i + 1}`, name: `委员${i + 1}` }], officers: [{ id, name: `信息员${i + 1}` }] }));
  return { org: stringifyYaml(org), officers };
}

/** Sum and count of the inline group size histogram, read where Prometheus reads it. */
async function groupSizes(h: Harness): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  const read = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? 0);
  return { sum: read('gaojian_inline_group_messages_sum'), count: read('gaojian_inline_group_messages_count') };
}

/**
 * Holds the group the bot is running on a message that waits for open(): fewer messages than start
 * a second group beside it, sent meanwhile, all wait, and are then handled as one group.
 */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  // Read in this process, where the harness runs the bot: a scrape of /metrics would also read the
  // backlogs from the database, which the held transaction keeps busy on the embedded one.
  const waitingNow = async () => (await metrics.inlineWaiting.get()).values[0]?.value ?? 0;
  let before = 0;
  let entered!: () => void;
  const running = new Promise<void>((resolve) => (entered = resolve));
  const feature: Feature = {
    name: 'gate',
    messageHandlers: [
      {
        name: 'gate',
        inline: true,
        accepts: (e) => e.messageType === 'text' && JSON.stringify(e.content).includes('等一等'),
        async handle(ctx) {
          entered();
          await opened;
          await ctx.reply('请稍候');
        },
      },
    ],
  };
  return {
    feature,
    /** Sends the holding message and waits until its group is running; `answered` is its request's answer. */
    async hold(h: Harness) {
      const answered = h.sendText('ou_gate_0', '等一等');
      await running;
      // The gauge is the process's: counted from here, whatever earlier tests in it left.
      before = await waitingNow();
      return { answered };
    },
    /**
     * Opens the gate once all `n` messages of the burst wait behind the held group (the bot's
     * gauge says so): how long their requests take to arrive depends on the machine's load.
     */
    async release(n: number, burst: Promise<unknown>) {
      const deadline = Date.now() + 20_000;
      while ((await waitingNow()) < before + n) {
        if (Date.now() > deadline) throw new Error(`the burst's ${n} messages did not all arrive`);
        await new Promise((r) => setTimeout(r, 20));
      }
      open();
      await burst;
    },
  };
}

describe('a burst of messages answered as they arrive', () => {
  it('drafts from many chats at once are answered together: each officer gets one confirmation card, each message is stored once, done', async () => {
    const { org, officers } = orgWithOfficers(12);
    const g = gate();
    h = await Harness.start({ org, features: [g.feature, ...allFeatures()] });
    const before = await groupSizes(h);
    const { answered: held } = await g.hold(h);
    const burst = Promise.all(officers.map((o, i) => h!.sendText(o, `${DRAFT}（第${i + 1}篇）`)));
    await g.release(officers.length, burst);
    await held;
    const sent = await burst;
    expect(sent.map((s) => s.status)).toEqual(officers.map(() => 200));
    const after = await groupSizes(h);
    // The held message, then the twelve in one transaction: twelve waiting are too few to start a
    // second group beside the held one, which would have taken the first to arrive alone.
    expect(after.sum - before.sum).toBe(1 + 12);
    expect(after.count - before.count).toBe(2);

    // Nothing has run the inbox worker: every message is done and answered.
    const rows = await inbox(h);
    expect(rows.filter((r) => r.status === 'done')).toHaveLength(1 + 12);
    const candidates = await h.db.db.select().from(draftCandidates);
    expect(candidates.map((c) => c.openId).sort()).toEqual([...officers].sort());
    // Each officer's candidate is theirs, with its own text, and the card names it.
    for (const [i, o] of officers.entries()) {
      const mine = candidates.find((c) => c.openId === o)!;
      expect(mine.title).toBe(DRAFT.split('\n')[0]);
      expect(mine.body).toContain(`（第${i + 1}篇）`);
      expect(mine.unitId).not.toBe(candidates.find((c) => c.openId === officers[(i + 1) % 12])!.unitId);
    }
    await h.settle();
    for (const o of officers) {
      const cards = h.sentTo(o).filter((m) => m.msgType === 'interactive');
      expect(cards).toHaveLength(1);
      const candidate = candidates.find((c) => c.openId === o)!;
      expect(JSON.stringify(cards[0]!.content)).toContain(`"candidateId":${candidate.id}`);
    }

    // Lark re-delivers all of them at once: nothing new.
    await Promise.all(sent.map((s) => h!.post(s.event)));
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(12);
    expect((await inbox(h)).filter((r) => r.key.startsWith('msg:'))).toHaveLength(1 + 12);
  });

  it('two messages of one chat in a burst are handled one after the other, in the order they came', async () => {
    const { org, officers } = orgWithOfficers(6);
    h = await Harness.start({ org });
    const first = h.sendText(P.officer1, `${DRAFT}（一）`);
    const others = officers.map((o) => h!.sendText(o, DRAFT));
    const second = h.sendText(P.officer1, `${DRAFT}（二）`);
    await Promise.all([first, second, ...others]);
    const mine = (await h.db.db.select().from(draftCandidates).orderBy(asc(draftCandidates.id))).filter((c) => c.openId === P.officer1);
    expect(mine.map((c) => c.body.slice(-3))).toEqual(['（一）', '（二）']);
    await h.settle();
    const cards = h.sentTo(P.officer1).filter((m) => m.msgType === 'interactive');
    expect(cards.map((c) => (JSON.stringify(c.content).match(/"candidateId":(\d+)/) ?? [])[1])).toEqual(mine.map((c) => String(c.id)));
  });

  it('a message whose handler fails does not hold back those answered with it: they are answered, it waits for the inbox worker', async () => {
    const failing: Feature = {
      name: 'failing',
      messageHandlers: [
        {
          name: 'failing',
          inline: true,
          accepts: (e) => e.messageType === 'text' && JSON.stringify(e.content).includes('测一测'),
          async handle(ctx) {
            if (ctx.text.includes('坏')) throw new Error('this one fails');
            await ctx.reply(`好：${ctx.text}`);
          },
          async handleMany(ctxs) {
            for (const ctx of ctxs) await this.handle(ctx, undefined);
          },
        },
      ],
    };
    const g = gate();
    h = await Harness.start({ features: [g.feature, failing, ...allFeatures()] });
    const { answered: held } = await g.hold(h);
    const senders = Array.from({ length: 8 }, (_, i) => `ou_someone_${i}`);
    const burst = Promise.all(senders.map((s, i) => h!.sendText(s, i === 5 ? '测一测 坏' : `测一测 ${i}`)));
    await g.release(senders.length, burst);
    await held;
    const sent = await burst;
    expect(sent.map((s) => s.status)).toEqual(senders.map(() => 200));
    const rows = await inbox(h);
    for (const [i, s] of sent.entries()) expect(rows.find((r) => r.key === `msg:${s.messageId}`)!.status).toBe(i === 5 ? 'pending' : 'done');
    // The answers of the others were committed in the request; the failing one wrote nothing.
    const answered = (await h.db.db.select().from(outbox)).map((r) => (r.payload as { receiveId?: string }).receiveId).filter((id) => !id?.startsWith('ou_gate_'));
    expect(answered.sort()).toEqual(senders.filter((_, i) => i !== 5).sort());
    // It failed among others (the burst waited behind the held group), and they were handled again alone.
    const warned = h.logLines(40).map((l) => String(l.msg));
    expect(warned).toContain('a group of messages failed; handling each alone');
    await h.settle();
    expect(h.textsTo(senders[0]!)).toEqual(['好：测一测 0']);
  });
});

describe('a chat another transaction is busy with', () => {
  // On the embedded database a transaction held by the test would hold every other query too.
  it.skipIf(!postgresRun)('its message queues for the inbox worker and is handled after, in order; the others are answered at once', async () => {
    h = await Harness.start();
    const busy = h.fake.p2pChatIdFor(P.officer1);
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // The inbox worker handling that chat's previous message holds its lock this way.
    const holder = h.db.db.transaction(async (tx) => {
      await lockChat(tx, busy);
      locked();
      await new Promise<void>((r) => (release = r));
    });
    await isLocked;
    const [mine, other] = await Promise.all([h.sendText(P.officer1, `${DRAFT}（一）`), h.sendText(P.officer2, DRAFT)]);
    // Neither request waited for the held chat.
    const rows = await inbox(h);
    expect(rows.find((r) => r.key === `msg:${mine.messageId}`)!.status).toBe('pending');
    expect(rows.find((r) => r.key === `msg:${other.messageId}`)!.status).toBe('done');
    release();
    await holder;
    // A second later: two messages stored in the same millisecond are ordered by key instead.
    h.clock.advance(1000);
    const later = await h.sendText(P.officer1, `${DRAFT}（二）`);
    expect((await inbox(h)).find((r) => r.key === `msg:${later.messageId}`)!.status).toBe('pending'); // behind the first
    await h.settle();
    const candidates = (await h.db.db.select().from(draftCandidates).orderBy(asc(draftCandidates.id))).filter((c) => c.openId === P.officer1);
    expect(candidates.map((c) => c.body.slice(-3))).toEqual(['（一）', '（二）']);
    expect(h.sentTo(P.officer1).filter((m) => m.msgType === 'interactive')).toHaveLength(2);
  });
});
