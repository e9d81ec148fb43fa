import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, drafts } from '../../db/schema/index.js';
import { PRIVATE_CHAT_ONLY } from '../../bot/dispatcher.js';
import { cardText, findButton, GROUP, Harness, P } from '../helpers/harness.js';
import { board, boardText, LONG_SCENARIO_MS, postTopic, submitDraft } from '../topics/helpers.js';

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
});
