import { afterEach, describe, expect, it } from 'vitest';
import { draftCandidates, inboxEvents } from '../../db/schema/index.js';
import type { Stall } from '../../emulator/open-api/index.js';
import { DOCX_DRAFT, docxDraft } from './fixtures.js';
import { cardText, Harness, P } from '../helpers/harness.js';

let h: Harness | undefined;
let stall: Stall | undefined;
afterEach(async () => {
  stall?.release();
  await h?.close();
  h = undefined;
  stall = undefined;
});

describe('a file download that stops delivering bytes', { timeout: 60_000 }, () => {
  it('is given up after the idle time: the sender is told to resend, the message is done, a resend works', async () => {
    // The idle timer is network time, not the bot's clock: a short one keeps the test quick.
    h = await Harness.start({ downloadIdleMs: 300 });
    const bytes = await docxDraft();
    stall = h.fake.stallNext({ pathIncludes: '/resources/', afterBytes: 1000 });
    await h.sendFile(P.officer1, '红色物业.docx', bytes);
    await h.settle();

    expect(h.textsTo(P.officer1)).toEqual(['文件下载中断：飞书长时间没有传来数据，这份文件没有收到，也没有提交。请稍后重新发送一次文件。']);
    // The connection was closed, not left hanging.
    expect(stall.holding).toBe(0);
    // Answered and done: not taken again, the sender is not told twice.
    const [row] = await h.db.db.select().from(inboxEvents);
    expect(row?.status).toBe('done');
    h.clock.advance(60 * 60_000);
    await h.settle();
    expect(h.textsTo(P.officer1)).toHaveLength(1);
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(0);
    expect(h.logLines(40).some((l) => l.msg === 'message file download stalled')).toBe(true);

    await h.sendFile(P.officer1, '红色物业.docx', bytes);
    await h.settle();
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain(DOCX_DRAFT.title);
  });
});
