import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, drafts } from '../../db/schema/index.js';
import { CARD_STILL_ARRIVING, PRIVATE_CHAT_ONLY } from '../../bot/dispatcher.js';
import { cardText, findButton, GROUP, Harness, P } from '../helpers/harness.js';
import { BODY, board, boardText, LONG_SCENARIO_MS, postTopic, submitDraft } from '../topics/helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const BODY_START = '今年以来，城关镇党委坚持抓基层';

describe('card actions that show a draft answer only in the private chat', () => {
  it('a reviewer replaying the review card\'s buttons on the group\'s topic board is refused and nothing changes', async () => {
    h = await Harness.start();
    await postTopic(h);
    const { draft } = await submitDraft(h, P.officer1, 1);
    const review = [...h.cardsTo(P.reviewer1)].reverse().find((m) => cardText(m.content).includes(draft.serial))!;
    expect(cardText(review.content)).toContain(BODY_START);
    const returnForm = findButton(review.content, '退回');
    expect(returnForm).toEqual({ a: 'draft.return_form', draftId: draft.id, rev: 1 });

    const boardBefore = board(h);
    const historyBefore = boardBefore.history.length;
    const audits = (await h.db.db.select().from(auditLog)).length;

    // The forged callback: the review card's value, tapped on the shared group card.
    const forged = await h.click(P.reviewer1, boardBefore.messageId, { a: 'draft.return_form', draftId: draft.id, rev: 1 });
    expect(forged.toast).toEqual({ type: 'error', content: PRIVATE_CHAT_ONLY });
    expect(forged.card).toBeUndefined();
    // A decision from the group is refused the same way, before it can change anything.
    const approve = await h.click(P.reviewer1, boardBefore.messageId, findButton(review.content, '通过'));
    expect(approve.toast).toEqual({ type: 'error', content: PRIVATE_CHAT_ONLY });
    await h.settle();

    expect(board(h).history.length).toBe(historyBefore);
    expect(boardText(h)).not.toContain(BODY_START);
    for (const m of h.sentTo(GROUP)) expect(JSON.stringify(m.content)).not.toContain(BODY_START);
    const [after] = await h.db.db.select().from(drafts).where(eq(drafts.id, draft.id));
    expect(after!.state).toBe(draft.state);
    expect((await h.db.db.select().from(auditLog)).length).toBe(audits);

    // Another person's private card is not the operator's private chat either.
    const officersReceipt = h.lastCardTo(P.officer1);
    expect((await h.click(P.reviewer1, officersReceipt.messageId, returnForm)).toast).toEqual({ type: 'error', content: PRIVATE_CHAT_ONLY });

    // On the reviewer's own card, in the private chat, the same button opens the reason form.
    const own = await h.click(P.reviewer1, review.messageId, returnForm);
    expect(own.toast).toBeUndefined();
    expect(cardText(own.card)).toContain(BODY_START);
    expect(cardText(own.card)).toContain('确认退回');
  }, LONG_SCENARIO_MS);

  it('a card tapped before the bot has seen its send confirmed waits for the confirmation instead of being refused', async () => {
    h = await Harness.start();
    // Lark stores the confirmation card (the officer sees it) and its answer to the bot is held.
    const stall = h.fake.stallNext({ method: 'POST', pathIncludes: '/open-apis/im/v1/messages', times: 1 });
    await h.sendText(P.officer1, ['城关镇推动基层党建提质增效', ...BODY].join('\n'));
    await h.app.inbox.tick();
    await h.app.inbox.idle();
    const sending = h.app.outbox.tick();
    await stall.reached(1);
    const confirm = h.lastCardTo(P.officer1);
    const submit = findButton(confirm.content, '提交审核');
    const tap = { formValue: { category: '组工信息' }, name: 'submit_draft' };

    // The answer does not come within the wait: the officer is asked to tap again, nothing is stored.
    const early = await h.click(P.officer1, confirm.messageId, submit, tap);
    expect(early.toast).toEqual({ type: 'error', content: CARD_STILL_ARRIVING });
    expect(await h.db.db.select().from(drafts)).toEqual([]);

    // The answer comes while the tap waits: the tap goes through.
    const again = h.click(P.officer1, confirm.messageId, submit, tap);
    setTimeout(() => stall.release(), 300);
    const submitted = await again;
    expect(submitted.toast).toMatchObject({ type: 'success', content: expect.stringMatching(/^已提交，编号 /) });
    await sending;
    expect(await h.db.db.select().from(drafts)).toHaveLength(1);
  }, LONG_SCENARIO_MS);
});
