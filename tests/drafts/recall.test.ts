import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { draftCandidates, drafts, inboxEvents } from '../../db/schema/index.js';
import { messageRecalledEvent } from '../../emulator/lark-events.js';
import { cardText, hasButton, Harness, P } from '../helpers/harness.js';
import { docxDraft } from '../files/fixtures.js';
import { confirm, sampleDraft } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The officer recalls (撤回) a message of theirs in the private chat: Lark tells the bot. */
async function recall(h: Harness, messageId: string, eventId?: string) {
  const event = messageRecalledEvent({ messageId, chatId: 'oc_p2p', appId: h.lark.appId, token: h.lark.verificationToken, recallTime: h.clock.ms(), ...(eventId ? { eventId } : {}) });
  const res = await h.post(event);
  await h.settle();
  return { ...res, eventId: event.header.event_id };
}

describe('撤回 a message sent to the bot', { timeout: 120_000 }, () => {
  it('closes the confirmation card of a draft not yet submitted; a second delivery of the event changes nothing', async () => {
    h = await Harness.start();
    const sent = await h.sendText(P.officer1, sampleDraft('发错了的一稿').text);
    await h.settle();
    const card = h.lastCardTo(P.officer1);
    expect(hasButton(card.content, '提交审核')).toBe(true);

    const first = await recall(h, sent.messageId);
    expect(first.status).toBe(200);
    const closed = h.lastCardTo(P.officer1);
    expect(closed.messageId).toBe(card.messageId);
    expect(cardText(closed.content)).toContain('您撤回了这条消息，它没有提交。');
    expect(hasButton(closed.content, '提交审核')).toBe(false);
    const [candidate] = await h.db.db.select().from(draftCandidates);
    expect(candidate!.status).toBe('cancelled');

    // Lark re-delivers the same event: nothing more is said or changed.
    const messages = h.fake.messages.length;
    expect((await recall(h, sent.messageId, first.eventId)).status).toBe(200);
    expect(h.fake.messages.length).toBe(messages);
    expect(await h.db.db.select().from(drafts)).toEqual([]);
  });

  it('leaves a submitted draft as it is and tells the officer how to withdraw it', async () => {
    h = await Harness.start();
    const sent = await h.sendText(P.officer1, sampleDraft('已经提交的一稿').text);
    await h.settle();
    expect((await confirm(h, P.officer1, h.lastCardTo(P.officer1))).toast?.type).toBe('success');
    const [draft] = await h.db.db.select().from(drafts);

    await recall(h, sent.messageId);
    expect(h.textsTo(P.officer1).at(-1)).toBe(`您撤回的消息已提交为稿件 ${draft!.serial}，撤回消息不会撤回稿件。如需撤回稿件（仅限待审核时），请在回执卡片或“我的稿件”中点“撤回”。`);
    const [after] = await h.db.db.select().from(drafts);
    expect(after!.state).toBe(draft!.state);
  });

  it('a file recalled before the bot read it is not read at all', async () => {
    h = await Harness.start();
    const { messageId } = await h.sendFile(P.officer1, '发错的文件.docx', await docxDraft());
    // The inbox has not handled it yet (files are read after the acknowledgement).
    expect((await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `msg:${messageId}`)))[0]!.status).toBe('pending');
    await recall(h, messageId);
    expect(h.cardsTo(P.officer1)).toEqual([]);
    expect(h.fake.callsTo('/resources/', 'GET')).toEqual([]);
    const [row] = await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `msg:${messageId}`));
    expect(row).toMatchObject({ status: 'done', lastError: 'recalled by its sender' });
    expect(await h.db.db.select().from(draftCandidates)).toEqual([]);
  });
});
