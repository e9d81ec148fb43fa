import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditLog } from '../../db/schema/index.js';
import { cardText, findButton, Harness, hasButton, P } from '../helpers/harness.js';
import { draftById, submitDraft } from '../drafts/flow.js';

/** End-to-end tests share two cores with other work; give them room on a loaded machine. */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The newest review card a person holds (current content, patches included). */
const reviewOf = (h: Harness, to: string) => h.fake.message(h.cardsTo(to).filter((m) => cardText(m.content).includes('稿件审核')).at(-1)!.messageId)!;

describe('转交 and 加签 on review cards', () => {
  it('转交 to another reviewer of the unit: they get the card and may decide; self and outsiders are refused', async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer3); // 东街街道: reviewers 孙委员 (2) and 周委员 (3)
    const card = reviewOf(h, P.reviewer2);
    const picker = await h.click(P.reviewer2, card.messageId, findButton(card.content, '转交/加签'));
    expect(hasButton(picker.card, '确认转交')).toBe(true);
    const options = JSON.stringify(picker.card);
    expect(options).toContain(P.reviewer3);
    expect(options).toContain(P.editor);
    expect(options).not.toContain(`"value":"${P.reviewer2}"`);
    expect(options).not.toContain(`"value":"${P.reviewer1}"`);

    const self = await h.click(P.reviewer2, card.messageId, findButton(picker.card, '确认转交'), { formValue: { to: P.reviewer2 } });
    expect(self.toast).toEqual({ type: 'error', content: '不能转交给自己。' });
    const outside = await h.click(P.reviewer2, card.messageId, findButton(picker.card, '确认转交'), { formValue: { to: P.reviewer1 } });
    expect(outside.toast).toEqual({ type: 'error', content: '只能选择本单位的其他组织委员或研究室人员。' });
    // Someone not reviewing this unit cannot open the picker at all.
    const stranger = await h.click(P.reviewer1, await h.ownMessage(P.reviewer1), findButton(card.content, '转交/加签'));
    expect(stranger.toast).toEqual({ type: 'error', content: '只有本单位的组织委员可以审核这篇稿件。' });

    const before = h.cardsTo(P.editor).length;
    const moved = await h.click(P.reviewer2, card.messageId, findButton(picker.card, '确认转交'), { formValue: { to: P.editor }, name: 'confirm_transfer' });
    await h.settle();
    expect(moved.toast).toEqual({ type: 'success', content: '已转交给 王研究。' });
    expect(cardText(moved.card)).toContain('孙委员 转交给 王研究');
    // The other reviewer's card was patched in place with the same line.
    expect(cardText(reviewOf(h, P.reviewer3).content)).toContain('孙委员 转交给 王研究');
    expect(h.cardsTo(P.editor).length).toBe(before + 1);
    const editorCard = reviewOf(h, P.editor);
    const approved = await h.click(P.editor, editorCard.messageId, findButton(editorCard.content, '通过'));
    await h.settle();
    expect(approved.toast?.type).toBe('success');
    expect((await draftById(h, draft.id)).state).toBe('approved');
    const actions = (await h.db.db.select().from(auditLog)).filter((a) => a.entityType === 'draft').map((a) => a.action);
    expect(actions).toEqual(['submit', 'transfer', 'approve']);
  });

  it('加签: the draft passes only when both passed it; the cards say who is awaited', async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer1); // 城关镇: only 张委员
    const card = reviewOf(h, P.reviewer1);
    const picker = await h.click(P.reviewer1, card.messageId, findButton(card.content, '转交/加签'));
    const asked = await h.click(P.reviewer1, card.messageId, findButton(picker.card, '确认加签'), { formValue: { to: P.editor }, name: 'confirm_cosign' });
    await h.settle();
    expect(asked.toast?.content).toBe('已请 王研究 加签，对方审核通过后稿件才报研究室。');
    expect(cardText(asked.card)).toContain('张委员 加签给 王研究，待其审核');

    const first = await h.click(P.reviewer1, card.messageId, findButton(asked.card, '通过'));
    await h.settle();
    expect(first.toast).toEqual({ type: 'success', content: '已记录您的审核通过意见，待 王研究 审核通过后稿件才报研究室。' });
    expect((await draftById(h, draft.id)).state).toBe('pending_review');
    expect(cardText(first.card)).toContain('张委员 已通过，待加签人审核');

    const editorCard = reviewOf(h, P.editor);
    expect(cardText(editorCard.content)).toContain('张委员 已通过，待加签人审核');
    const second = await h.click(P.editor, editorCard.messageId, findButton(editorCard.content, '通过'));
    await h.settle();
    expect(second.toast?.content).toBe(`已审核通过 ${draft.serial}，已通知信息员并转研究室。`);
    expect((await draftById(h, draft.id)).state).toBe('approved');
    // The reviewer's card is patched to the outcome.
    expect(cardText(reviewOf(h, P.reviewer1).content)).toContain('已通过');
    expect(hasButton(reviewOf(h, P.reviewer1).content, '通过')).toBe(false);
  });
});

describe('a 加签 person removed from the roster while the draft waits', () => {
  it('the 加签 is cancelled, whoever asked is told, and their 通过 alone then passes the draft', async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer3);
    const card = reviewOf(h, P.reviewer2);
    const picker = await h.click(P.reviewer2, card.messageId, findButton(card.content, '转交/加签'));
    await h.click(P.reviewer2, card.messageId, findButton(picker.card, '确认加签'), { formValue: { to: P.reviewer3 } });
    await h.settle();
    await h.sendText(P.editor, '名册');
    await h.settle();
    const roster = h.cardsTo(P.editor).filter((m) => cardText(m.content).includes('名册 · 东街街道')).at(-1)!;
    const removed = await h.click(P.editor, roster.messageId, { a: 'roster.remove', unitId: 2, openId: P.reviewer3, role: 'reviewer' });
    await h.settle();
    expect(removed.toast?.content).toBe('已把 周委员 移出东街街道的组织委员。其待审的 1 篇稿件已转交他人审核。');
    expect(h.textsTo(P.reviewer2).at(-1)).toBe(`您请 周委员 加签的稿件 ${draft.serial} ：对方已移出名册，加签已取消。请在审核卡片上直接通过或退回。`);
    const patched = reviewOf(h, P.reviewer2);
    expect(cardText(patched.content)).toContain('孙委员 加签给 周委员，已取消');
    const ok = await h.click(P.reviewer2, patched.messageId, findButton(patched.content, '通过'));
    await h.settle();
    expect(ok.toast?.content).toBe(`已审核通过 ${draft.serial}，已通知信息员并转研究室。`);
    expect((await draftById(h, draft.id)).state).toBe('approved');
  });
});

describe('请假 and 销假', () => {
  it('while on leave new drafts go to the other reviewer, or to the editors when none is left; 销假 ends it', async () => {
    h = await Harness.start({ start: '2026-12-01T02:00:00Z' });
    await h.sendText(P.reviewer2, '请假 2026-11-30');
    await h.settle();
    expect(h.textsTo(P.reviewer2).at(-1)).toBe('2026年11月30日已经过去，请写今天或以后的日期。');
    await h.sendText(P.officer1, '请假 2026-12-10');
    await h.settle();
    expect(h.textsTo(P.officer1).at(-1)).toBe('只有组织委员可以请假或销假（请假期间新稿件转本单位其他组织委员审核）。');

    await h.sendText(P.reviewer2, '请假 2026-12-10');
    await h.settle();
    expect(h.textsTo(P.reviewer2).at(-1)).toContain('已登记请假至2026年12月10日');
    await submitDraft(h, P.officer3);
    expect(h.cardsTo(P.reviewer2)).toHaveLength(0);
    expect(cardText(reviewOf(h, P.reviewer3).content)).toContain('稿件审核');

    // 城关镇's only reviewer on leave: the editors get the draft and may decide it.
    await h.sendText(P.reviewer1, '请假 2026-12-10');
    await h.settle();
    const d = await submitDraft(h, P.officer1);
    expect(h.cardsTo(P.reviewer1)).toHaveLength(0);
    const editorCard = reviewOf(h, P.editor);
    expect(cardText(editorCard.content)).toContain('系统 转交给 王研究');
    const ok = await h.click(P.editor, editorCard.messageId, findButton(editorCard.content, '通过'));
    await h.settle();
    expect(ok.toast?.type).toBe('success');
    expect((await draftById(h, d.id)).state).toBe('approved');

    await h.sendText(P.reviewer2, '销假');
    await h.settle();
    expect(h.textsTo(P.reviewer2).at(-1)).toBe('已销假，本单位的新稿件会照常发给您审核。');
    await submitDraft(h, P.officer3);
    expect(cardText(reviewOf(h, P.reviewer2).content)).toContain('稿件审核');

    // The leave ends by itself after its last day.
    h.clock.advance(10 * 24 * 3600_000);
    await submitDraft(h, P.officer1);
    expect(cardText(reviewOf(h, P.reviewer1).content)).toContain('稿件审核');
  });
});
