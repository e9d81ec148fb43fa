import { afterEach, describe, expect, it } from 'vitest';
import { cardText, Harness, P } from '../helpers/harness.js';
import { approve, HOUR, submitDraft, tickAt, LONG_SCENARIO_MS } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const FIVE_MIN = 5 * 60_000;
/** The first scheduler heartbeat (every 5 minutes) at or after `d`. */
const heartbeatAfter = (d: Date) => new Date(Math.ceil(d.getTime() / FIVE_MIN) * FIVE_MIN);
const nudges = (harness: Harness, who: string) => harness.textsTo(who).filter((t) => t.includes('【催办】'));

describe('review reminders (催办)', () => {
  it('reminds the unit’s reviewers once per 24 h of waiting and tells the editors once past 72 h', async () => {
    h = await Harness.start();
    const { draft } = await submitDraft(h, P.officer1, null);
    const after = (hours: number, extraMs = 0) => heartbeatAfter(new Date(draft.submittedAt.getTime() + hours * HOUR + extraMs));

    await tickAt(h, new Date(after(24).getTime() - FIVE_MIN));
    expect(nudges(h, P.reviewer1)).toHaveLength(0);
    await tickAt(h, after(24));
    expect(nudges(h, P.reviewer1)).toEqual([
      `【催办】城关镇稿件 ${draft.serial}《城关镇推动基层党建提质增效》已待审核 24 小时（2026-11-02 10:00 提交），请尽快在审核卡片上通过或退回。`,
    ]);
    for (const p of [P.reviewer2, P.reviewer3, P.officer1, P.editor]) expect(nudges(h, p)).toHaveLength(0);
    // A reply to the reviewer's review card: Lark quotes the card, its buttons one tap away.
    const nudge = h.sentTo(P.reviewer1).find((m) => m.msgType === 'text' && String((m.content as { text?: string }).text).startsWith('【催办】'))!;
    const reviewCard = h.cardsTo(P.reviewer1).find((m) => cardText(m.content).includes(draft.serial))!;
    expect(nudge.parentId).toBe(reviewCard.messageId);
    await tickAt(h, after(24, FIVE_MIN));
    await tickAt(h, after(47));
    expect(nudges(h, P.reviewer1)).toHaveLength(1);
    await tickAt(h, after(48));
    expect(nudges(h, P.reviewer1)).toHaveLength(2);
    expect(nudges(h, P.editor)).toHaveLength(0);

    await tickAt(h, after(72));
    expect(nudges(h, P.reviewer1)).toHaveLength(3);
    expect(nudges(h, P.editor)).toEqual([`【催办】城关镇稿件 ${draft.serial} 已待审核 72 小时仍未处理（超过 72 小时），审核人：张委员。`]);
    await tickAt(h, after(96));
    expect(nudges(h, P.reviewer1)).toHaveLength(4);
    expect(nudges(h, P.editor)).toHaveLength(1);
    // No buzz unless configured.
    expect(h.fake.urgents).toHaveLength(0);

    await approve(h, P.reviewer1, draft.serial);
    await tickAt(h, after(120));
    expect(nudges(h, P.reviewer1)).toHaveLength(4);
  }, LONG_SCENARIO_MS);

  it('follows the configured hours and buzzes the review card when asked to', async () => {
    h = await Harness.start({ env: { REVIEW_REMIND_HOURS: '4', REVIEW_ESCALATE_HOURS: '6', REVIEW_REMIND_BUZZ: 'true' } });
    const { draft } = await submitDraft(h, P.officer3, null, '东街街道网格党建见实效');
    const after = (hours: number) => heartbeatAfter(new Date(draft.submittedAt.getTime() + hours * HOUR));
    await tickAt(h, after(4));
    expect(nudges(h, P.reviewer2)).toHaveLength(1);
    expect(nudges(h, P.reviewer3)).toHaveLength(1);
    const reviewCard = h.cardsTo(P.reviewer2).find((m) => cardText(m.content).includes(draft.serial))!;
    expect(h.fake.urgents.map((u) => [u.messageId, u.userIds])).toEqual(
      expect.arrayContaining([
        [reviewCard.messageId, [P.reviewer2]],
        [h.cardsTo(P.reviewer3).find((m) => cardText(m.content).includes(draft.serial))!.messageId, [P.reviewer3]],
      ]),
    );
    expect(h.fake.urgents).toHaveLength(2);
    await tickAt(h, after(6));
    expect(nudges(h, P.editor)).toHaveLength(1);
    expect(nudges(h, P.editor)[0]).toContain('审核人：孙委员、周委员');
    expect(nudges(h, P.reviewer2)).toHaveLength(1);
    await tickAt(h, after(8));
    expect(nudges(h, P.reviewer2)).toHaveLength(2);
    expect(h.fake.urgents).toHaveLength(4);
  });
});
