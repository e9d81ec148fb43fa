import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { Feature } from '../../bot/handlers.js';
import { allFeatures } from '../../commands/index.js';
import { draftCandidates, inboxEvents, outbox } from '../../db/schema/index.js';
import { Harness, P } from '../helpers/harness.js';

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
