import { afterEach, describe, expect, it } from 'vitest';
import { auditLog, draftRevisions, outbox } from '../../db/schema/index.js';
import { cardText, findButton, Harness, hasButton, P } from '../helpers/harness.js';
import { auditOf, confirm, draftById, expectAllCardsValid, lastCardWith, sampleDraft, sendDraft, submitDraft } from './flow.js';

/** End-to-end tests share two cores with PGlite; give them room on a loaded machine. */
const SLOW = 120_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('reviewing a draft', () => {
  it('return with a reason, revise, the diff shows on the new card, approve', async () => {
    h = await Harness.start();
    const d = sampleDraft();
    const draft = await submitDraft(h, P.officer1, d.text);
    const review1 = h.lastCardTo(P.reviewer1);

    // 退回 opens the reason form on this card only; nothing changes yet.
    const formRes = await h.click(P.reviewer1, review1.messageId, findButton(review1.content, '退回'));
    expect(formRes.toast).toBeUndefined();
    expect(hasButton(formRes.card, '确认退回')).toBe(true);
    const form = JSON.stringify(formRes.card);
    expect(form).toContain('"required":true');
    expect(form).toContain('"form_action_type":"submit"');
    expect((await draftById(h, draft.id)).state).toBe('pending_review');

    // An empty reason (a client that skipped the required check) is refused.
    const empty = await h.click(P.reviewer1, review1.messageId, findButton(formRes.card, '确认退回'), { formValue: { reason: '  ' } });
    expect(empty.toast).toEqual({ type: 'error', content: '请填写退回理由。' });

    const reason = '第二段数据请核实，标题请再精炼。';
    const returned = await h.click(P.reviewer1, review1.messageId, findButton(formRes.card, '确认退回'), { formValue: { reason }, name: 'confirm_return' });
    await h.settle();
    expect(returned.toast?.type).toBe('success');
    expect(cardText(returned.card)).toContain('已退回');
    expect(cardText(returned.card)).toContain(reason);
    expect(hasButton(returned.card, '通过')).toBe(false);
    expect((await draftById(h, draft.id)).state).toBe('returned');

    // The officer is told, with the reason, and can revise.
    const notice = lastCardWith(h, P.officer1, '稿件被退回');
    expect(cardText(notice.content)).toContain(reason);
    expect(cardText(notice.content)).toContain('张委员');
    expect(cardText(h.fake.message(lastCardWith(h, P.officer1, '稿件回执').messageId)!.content)).toContain('待 赵信息 修改后重新提交');

    const revising = await h.click(P.officer1, notice.messageId, findButton(notice.content, '提交修改稿'));
    expect(revising.toast?.content).toBe('请把修改后的全文发给我。');
    expect(cardText(revising.card)).toContain('请直接把修改后的全文发给我');

    const revised = sampleDraft('城关镇“三抓三促”推动基层党建提质增效', ['下一步，城关镇将持续深化“三抓三促”行动，推动党建工作与中心工作深度融合。']);
    revised.paragraphs[2] = '二是抓队伍建设，促能力提升。分批次组织党员干部参加冬训和专题培训，累计培训党员一千五百余人次。';
    revised.text = [revised.title, ...revised.paragraphs].join('\n');
    h.clock.advance(30 * 60_000);
    const confirmRev = await sendDraft(h, P.officer1, revised.text);
    expect(cardText(confirmRev.content)).toContain('2026-0001 第2稿');
    const res = await confirm(h, P.officer1, confirmRev, {});
    expect(res.toast?.content).toBe('已提交，编号 2026-0001');

    const after = await draftById(h, draft.id);
    expect(after).toMatchObject({ state: 'pending_review', currentRevision: 2, serial: '2026-0001', decidedBy: null });
    expect(await h.db.db.select().from(draftRevisions)).toHaveLength(2);

    const review2 = h.lastCardTo(P.reviewer1);
    expect(review2.messageId).not.toBe(review1.messageId);
    const t2 = cardText(review2.content);
    expect(t2).toContain('第2稿');
    expect(t2).toContain('与第1稿相比');
    expect(t2).toContain('新增 1 段，删除 0 段，修改 1 段');
    expect(t2).toContain('新增');
    expect(t2).toContain('下一步，城关镇将持续深化');
    // The changed span shows old → new.
    expect(t2).toMatch(/二.*→.*五/);
    // The old notice lost its button; the old review card says a newer revision exists.
    expect(hasButton(h.fake.message(notice.messageId)!.content, '提交修改稿')).toBe(false);
    expect(cardText(h.fake.message(review1.messageId)!.content)).toContain('已提交第2稿');

    const approved = await h.click(P.reviewer1, review2.messageId, findButton(review2.content, '通过'));
    await h.settle();
    expect(approved.toast?.type).toBe('success');
    expect((await draftById(h, draft.id)).state).toBe('approved');
    expect(cardText(lastCardWith(h, P.officer1, '已通过审核').content)).toContain('第2稿');

    // A click on the first revision's stale card changes nothing.
    const stale = await h.click(P.reviewer1, review1.messageId, { a: 'draft.approve', draftId: draft.id, rev: 1 });
    expect(stale.toast?.type).toBe('warning');

    const audit = await auditOf(h, draft.id);
    expect(audit.map((a) => [a.action, a.fromState, a.toState, a.reason])).toEqual([
      ['submit', null, 'pending_review', null],
      ['return', 'pending_review', 'returned', reason],
      ['revise', 'returned', 'pending_review', null],
      ['approve', 'pending_review', 'approved', null],
    ]);
    expect(audit.map((a) => a.data?.revision)).toEqual([1, 1, 2, 2]);
    expectAllCardsValid(h);
  }, SLOW);

  it("a non-reviewer's click changes nothing", async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer1);
    const review = h.lastCardTo(P.reviewer1);
    // The review card's values, replayed by others on messages in their own private chats.
    const intruders = [P.reviewer2, P.officer1, P.editor, P.stranger];
    const own = new Map<string, string>();
    for (const who of intruders) own.set(who, await h.ownMessage(who));
    const sentBefore = h.fake.messages.length;
    const outboxBefore = (await h.db.db.select().from(outbox)).length;
    for (const who of intruders) {
      const res = await h.click(who, own.get(who)!, findButton(review.content, '通过'));
      expect(res.toast).toEqual({ type: 'error', content: '只有本单位的组织委员可以审核这篇稿件。' });
      expect(res.card).toBeUndefined();
      const ret = await h.click(who, own.get(who)!, { a: 'draft.return', draftId: draft.id, rev: 1 }, { formValue: { reason: '不行' } });
      expect(ret.toast?.type).toBe('error');
    }
    await h.settle();
    expect((await draftById(h, draft.id)).state).toBe('pending_review');
    expect(await auditOf(h, draft.id)).toHaveLength(1);
    expect(h.fake.messages.length).toBe(sentBefore);
    expect((await h.db.db.select().from(outbox)).length).toBe(outboxBefore);
  }, SLOW);

  it('a double click records one decision; the second is told who decided', async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer1);
    const review = h.lastCardTo(P.reviewer1);
    const value = findButton(review.content, '通过');
    const [a, b] = await Promise.all([h.click(P.reviewer1, review.messageId, value), h.click(P.reviewer1, review.messageId, value)]);
    await h.settle();
    const toasts = [a.toast!, b.toast!].sort((x, y) => x.type.localeCompare(y.type));
    expect(toasts[0]!.type).toBe('success');
    expect(toasts[1]).toEqual({ type: 'warning', content: '您已于 2026年11月2日 10:00 通过了这篇稿件（2026-0001），本次操作未生效。' });
    expect((await auditOf(h, draft.id)).filter((r) => r.action === 'approve')).toHaveLength(1);
    expect(h.cardsTo(P.editor)).toHaveLength(1);
    expect(h.cardsTo(P.officer1).filter((m) => cardText(m.content).includes('已通过审核'))).toHaveLength(1);
  }, SLOW);

  it('two reviewers at once: one decision, the other is told who decided, every copy updated', async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer3);
    const card2 = h.lastCardTo(P.reviewer2);
    const card3 = h.lastCardTo(P.reviewer3);
    const [r2, r3] = await Promise.all([
      h.click(P.reviewer2, card2.messageId, findButton(card2.content, '通过')),
      h.click(P.reviewer3, card3.messageId, { a: 'draft.return', draftId: draft.id, rev: 1 }, { formValue: { reason: '请补充具体数据。' } }),
    ]);
    await h.settle();
    const results = [
      { who: '孙委员', res: r2 },
      { who: '周委员', res: r3 },
    ];
    const winner = results.find((r) => r.res.toast?.type === 'success');
    const loser = results.find((r) => r.res.toast?.type === 'warning');
    expect(winner && loser).toBeTruthy();
    expect(loser!.res.toast!.content).toContain(winner!.who);
    expect(loser!.res.toast!.content).toContain('本次操作未生效');
    const decisions = (await auditOf(h, draft.id)).filter((r) => r.action === 'approve' || r.action === 'return');
    expect(decisions).toHaveLength(1);
    // Both cards end up showing the one decision, without buttons: the loser's by its answer, the
    // winner's by its answer, and each other's copy by a patch.
    for (const c of [loser!.res.card, winner!.res.card]) expect(hasButton(c, '通过')).toBe(false);
    const loserCard = loser === results[0] ? card2 : card3;
    const winnerCard = loser === results[0] ? card3 : card2;
    expect(hasButton(h.fake.message(loserCard.messageId)!.content, '通过')).toBe(false);
    expect(cardText(h.fake.message(loserCard.messageId)!.content)).toContain(winner!.who);
    // The winner's own copy is answered by the callback, not patched.
    expect(h.fake.message(winnerCard.messageId)!.history).toHaveLength(0);
  }, SLOW);

  it('withdraw while pending: the reviewers\' cards change to 已撤回', async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer3);
    const receipt = lastCardWith(h, P.officer3, '稿件回执');
    const res = await h.click(P.officer3, receipt.messageId, findButton(receipt.content, '撤回'));
    await h.settle();
    expect(res.toast).toEqual({ type: 'success', content: '已撤回 2026-0001。' });
    expect(hasButton(res.card, '撤回')).toBe(false);
    expect(cardText(res.card)).toContain('已撤回');
    for (const r of [P.reviewer2, P.reviewer3]) {
      const c = h.lastCardTo(r).content;
      expect(cardText(c)).toContain('已撤回');
      expect(hasButton(c, '通过')).toBe(false);
    }
    expect((await draftById(h, draft.id)).state).toBe('withdrawn');
    // A reviewer tapping the old button afterwards is told.
    const late = await h.click(P.reviewer2, h.lastCardTo(P.reviewer2).messageId, { a: 'draft.approve', draftId: draft.id, rev: 1 });
    expect(late.toast?.content).toContain('吴信息已于');
    expect(late.toast?.content).toContain('撤回了这篇稿件');
    const audit = await auditOf(h, draft.id);
    expect(audit.at(-1)).toMatchObject({ action: 'withdraw', fromState: 'pending_review', toState: 'withdrawn', actor: P.officer3 });
  }, SLOW);

  it('only the author can withdraw, and not after a decision', async () => {
    h = await Harness.start();
    const draft = await submitDraft(h, P.officer1);
    const receipt = lastCardWith(h, P.officer1, '稿件回执');
    const other = await h.click(P.officer2, receipt.messageId, findButton(receipt.content, '撤回'));
    expect(other.toast?.type).toBe('error');
    const review = h.lastCardTo(P.reviewer1);
    await h.click(P.reviewer1, review.messageId, findButton(review.content, '通过'));
    const late = await h.click(P.officer1, receipt.messageId, findButton(receipt.content, '撤回'));
    expect(late.toast?.type).toBe('warning');
    expect(late.toast?.content).toContain('张委员');
    expect((await draftById(h, draft.id)).state).toBe('approved');
    expect((await h.db.db.select().from(auditLog)).filter((a) => a.action === 'withdraw')).toHaveLength(0);
  }, SLOW);
});
