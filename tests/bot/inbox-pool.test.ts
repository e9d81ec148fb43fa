import { afterEach, describe, expect, it, vi } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { inboxEvents } from '../../db/schema/index.js';
import type { Stall } from '../../emulator/open-api/index.js';
import { DOCX_DRAFT, docxDraft } from '../files/fixtures.js';
import { cardText, Harness, P } from '../helpers/harness.js';

let h: Harness | undefined;
let stall: Stall | undefined;
afterEach(async () => {
  stall?.release();
  await h?.close();
  h = undefined;
  stall = undefined;
});

/** The background workers run on their own: wait (polling, not sleeping for time) until `check` holds. */
// Files are parsed in a worker thread, whose start takes seconds on a loaded machine.
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 45_000, interval: 20 });

const helpCards = (to: string) => h!.cardsTo(to).filter((c) => cardText(c.content).includes('使用帮助'));

/**
 * The inbox worker as a pool, with the real background loops: a Word file whose download the fake
 * Lark holds mid-way stands for any slow message (a large file, a slow parse, a hung connection).
 */
describe('the inbox worker', { timeout: 150_000 }, () => {
  it("does not hold another chat's text behind a slow file", async () => {
    h = await Harness.start({ backgroundWorkers: true });
    stall = h.fake.stallNext({ pathIncludes: '/resources/' });
    await h.sendFile(P.officer1, '红色物业.docx', await docxDraft());
    await stall.reached();

    h.clock.advance(1000);
    await h.sendText(P.officer2, '帮助');
    await eventually(() => expect(helpCards(P.officer2)).toHaveLength(1));
    expect(h.cardsTo(P.officer1)).toHaveLength(0); // still downloading

    stall.release();
    await eventually(() => expect(h!.cardsTo(P.officer1)).toHaveLength(1));
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain(DOCX_DRAFT.title);
  });

  it("keeps a chat's order: its next message waits for the slow one, other chats do not", async () => {
    h = await Harness.start({ backgroundWorkers: true });
    stall = h.fake.stallNext({ pathIncludes: '/resources/' });
    await h.sendFile(P.officer1, '红色物业.docx', await docxDraft());
    await stall.reached();
    h.clock.advance(1000);
    await h.sendText(P.officer1, '帮助');
    h.clock.advance(1000);
    await h.sendText(P.officer2, '帮助');

    await eventually(() => expect(helpCards(P.officer2)).toHaveLength(1));
    expect(h.cardsTo(P.officer1)).toHaveLength(0);
    // officer1's 帮助 is not even taken while the file before it is in hand.
    const [waiting] = await h.db.db
      .select()
      .from(inboxEvents)
      .where(and(eq(inboxEvents.status, 'pending'), sql`${inboxEvents.payload}->>'messageType' = 'text'`));
    expect(waiting?.lockedUntil).toBeNull();

    stall.release();
    await eventually(() => expect(h!.cardsTo(P.officer1)).toHaveLength(2));
    const [first, second] = h.cardsTo(P.officer1);
    expect(cardText(first!.content)).toContain(DOCX_DRAFT.title);
    expect(cardText(second!.content)).toContain('使用帮助');
  });

  it('downloads and parses at most INBOX_FILE_CONCURRENCY files at once; texts still run beside them', async () => {
    h = await Harness.start({ backgroundWorkers: true, env: { INBOX_FILE_CONCURRENCY: '2' } });
    stall = h.fake.stallNext({ pathIncludes: '/resources/', times: 3 });
    const file = await docxDraft();
    for (const officer of [P.officer1, P.officer2, P.officer3]) {
      await h.sendFile(officer, '红色物业.docx', file);
      h.clock.advance(1000);
    }
    await stall.reached(2);
    // A text sent after the three files is taken by a round that also looked for files.
    await h.sendText(P.reviewer1, '帮助');
    await eventually(() => expect(helpCards(P.reviewer1)).toHaveLength(1));
    expect(stall.holding).toBe(2);
    const untaken = await h.db.db
      .select()
      .from(inboxEvents)
      .where(and(eq(inboxEvents.status, 'pending'), isNull(inboxEvents.lockedUntil)));
    expect(untaken).toHaveLength(1);

    stall.release();
    for (const officer of [P.officer1, P.officer2, P.officer3]) {
      await eventually(() => expect(h!.cardsTo(officer)).toHaveLength(1));
    }
  });
});
