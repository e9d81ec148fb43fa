import { afterEach, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, bulletinIssues, bulletinItems, bulletinItemSources, draftDispositions } from '../../db/schema/index.js';
import { cardText, findButton, hasButton, Harness, P } from '../helpers/harness.js';
import { approvedDraft, draftState, expectAllCardsValid, openDesk, rowButton, tap } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('desk: adopt, not adopt, merge (webhook and card callbacks)', { timeout: 90_000 }, () => {
  it('lists approved drafts newest first and adopts one into a new numbered issue', async () => {
    h = await Harness.start();
    const older = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    const newer = await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');
    const desk = await openDesk(h);
    const text = cardText(desk.content);
    expect(text).toContain('待采用稿件 **2** 篇');
    expect(text.indexOf('东街街道党建引领物业管理')).toBeLessThan(text.indexOf('城关镇网格化治理见成效'));
    expect(text).toContain('当前没有正在编辑的一期信息');

    const { res, card } = await tap(h, P.editor, desk, rowButton(desk.content, '城关镇网格化治理见成效', '采用'));
    expect(res.toast).toEqual({ type: 'success', content: '已采用，编入2026年第1期第 1 条（已开启2026年第1期）' });
    expect(await draftState(h, older.id)).toBe('adopted');
    expect(await draftState(h, newer.id)).toBe('approved');
    expect(cardText(card.content)).not.toContain('城关镇网格化治理见成效');
    expect(cardText(card.content)).toContain('本期信息：**2026年第1期**（未印发，已编 1 条）');

    const [issue] = await h.db.db.select().from(bulletinIssues);
    expect(issue).toMatchObject({ year: 2026, number: 1, status: 'open' });
    const [item] = await h.db.db.select().from(bulletinItems);
    expect(item).toMatchObject({ issueId: issue!.id, position: 1, kind: 'single', title: '城关镇网格化治理见成效' });
    expect(item!.body).toContain('一是抓班子建设');
    const audit = await h.db.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'draft'), eq(auditLog.entityId, String(older.id)))).orderBy(asc(auditLog.id));
    expect(audit.at(-1)).toMatchObject({ action: 'desk.adopt', actor: P.editor, fromState: 'approved', toState: 'adopted' });
    const notice = h.lastCardTo(P.officer1);
    expect(cardText(notice.content)).toContain(`您的稿件《城关镇网格化治理见成效》（${older.serial}）已被研究室采用，编入2026年第1期第 1 条。`);
    // The notice opens the 登记 form for that piece (as `登记 2026-0001` would); only for its author's unit.
    const open = await h.click(P.officer1, notice.messageId, findButton(notice.content, '登记上级采用'));
    await h.settle();
    expect(open.toast).toEqual({ type: 'info', content: '登记表已发送，请在下方填写。' });
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('登记：《城关镇网格化治理见成效》');
    const forwarded = await h.click(P.officer3, notice.messageId, findButton(notice.content, '登记上级采用'));
    expect(forwarded.toast?.type).toBe('error');
    // The receipt of the approved draft offers the same button.
    const receipt = h.cardsTo(P.officer1).find((c) => cardText(c.content).includes(`稿件回执 · ${older.serial}`))!;
    expect(hasButton(receipt.content, '登记上级采用')).toBe(true);

    // The second adoption goes into the same issue, next position.
    const second = await tap(h, P.editor, card, rowButton(card.content, '东街街道党建引领物业管理', '采用'));
    expect(second.res.toast?.content).toBe('已采用，编入2026年第1期第 2 条');
    expect(await h.db.db.select().from(bulletinIssues)).toHaveLength(1);
    expectAllCardsValid(h);
  });

  it('not adopting needs a reason; 备用 keeps the draft for later, 不采用 closes it; the officer is told why', async () => {
    h = await Harness.start();
    const a = await approvedDraft(h, P.officer1, '城关镇开展党员冬训');
    const b = await approvedDraft(h, P.officer3, '东街街道志愿服务月');
    const desk = await openDesk(h);

    const form = await tap(h, P.editor, desk, rowButton(desk.content, '城关镇开展党员冬训', '不采用'));
    expect(cardText(form.card.content)).toContain('不采用：《城关镇开展党员冬训》');
    const submit = findButton(form.card.content, '确认不采用');

    const empty = await tap(h, P.editor, form.card, submit, { formValue: { disposition: 'reserve', reason: '  ' }, name: 'decline_submit' });
    expect(empty.res.toast).toEqual({ type: 'error', content: '请填写不采用的原因。' });
    expect(await draftState(h, a.id)).toBe('approved');

    const ok = await tap(h, P.editor, form.card, submit, { formValue: { disposition: 'reserve', reason: '与本期主题重复，留作备用' }, name: 'decline_submit' });
    expect(ok.res.toast?.content).toBe('已列为“备用”，已告知信息员');
    expect(await draftState(h, a.id)).toBe('archived');
    const [disp] = await h.db.db.select().from(draftDispositions).where(eq(draftDispositions.draftId, a.id));
    expect(disp).toMatchObject({ disposition: 'reserve', reason: '与本期主题重复，留作备用', decidedBy: P.editor });
    const audit = await h.db.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'draft'), eq(auditLog.entityId, String(a.id)))).orderBy(asc(auditLog.id));
    expect(audit.at(-1)).toMatchObject({ action: 'desk.reserve', fromState: 'approved', toState: 'archived', reason: '与本期主题重复，留作备用' });
    expect(h.textsTo(P.officer1).at(-1)).toBe(`您的稿件《城关镇开展党员冬训》（${a.serial}）本次未被采用（备用）。原因：与本期主题重复，留作备用\n稿件已存入备用稿，后续仍可能采用。`);
    expect(cardText(ok.card.content)).toContain('备用稿 1 篇');

    const rejectForm = await tap(h, P.editor, ok.card, rowButton(ok.card.content, '东街街道志愿服务月', '不采用'));
    await tap(h, P.editor, rejectForm.card, findButton(rejectForm.card.content, '确认不采用'), {
      formValue: { disposition: 'rejected', reason: '内容过于简单' },
      name: 'decline_submit',
    });
    expect(await draftState(h, b.id)).toBe('archived');
    expect(h.textsTo(P.officer3).at(-1)).toContain('本次未被采用（不采用）。原因：内容过于简单');

    // The reserve list offers the 备用 draft again; adopting it from there works, the 不采用 one is not listed.
    const reserve = await openDesk(h, '备用');
    expect(cardText(reserve.content)).toContain('备用稿 **1** 篇');
    expect(cardText(reserve.content)).not.toContain('东街街道志愿服务月');
    const adopted = await tap(h, P.editor, reserve, rowButton(reserve.content, '城关镇开展党员冬训', '采用'));
    expect(adopted.res.toast?.type).toBe('success');
    expect(await draftState(h, a.id)).toBe('adopted');
    expectAllCardsValid(h);
  });

  it('merges drafts of two units into one 综合 item credited to both', async () => {
    h = await Harness.start();
    const a = await approvedDraft(h, P.officer1, '城关镇推进村级组织换届');
    const b = await approvedDraft(h, P.officer3, '东街街道推进社区换届');
    const c = await approvedDraft(h, P.officer2, '城关镇换届纪律宣传');
    let desk = await openDesk(h);

    desk = (await tap(h, P.editor, desk, rowButton(desk.content, '城关镇推进村级组织换届', '合并'))).card;
    expect(cardText(desk.content)).toContain('已选 1 篇');
    expect(cardText(desk.content)).toContain('再选至少 1 篇即可合并');
    expect(hasButton(desk.content, '合并采用')).toBe(false);
    desk = (await tap(h, P.editor, desk, rowButton(desk.content, '东街街道推进社区换届', '合并'))).card;
    desk = (await tap(h, P.editor, desk, rowButton(desk.content, '城关镇换届纪律宣传', '合并'))).card;
    // Changed their mind about the third one.
    desk = (await tap(h, P.editor, desk, rowButton(desk.content, '城关镇换届纪律宣传', '取消合并'))).card;
    expect(cardText(desk.content)).toContain('已选 2 篇');

    const merge = findButton(desk.content, '合并采用');
    const noTitle = await tap(h, P.editor, desk, merge, { formValue: { title: '' }, name: 'merge_submit' });
    expect(noTitle.res.toast).toEqual({ type: 'error', content: '请填写综合稿的标题。' });

    const done = await tap(h, P.editor, desk, merge, { formValue: { title: '我县扎实推进村（社区）换届' }, name: 'merge_submit' });
    expect(done.res.toast?.content).toBe('已合并 2 篇为综合稿，编入2026年第1期第 1 条');
    expect(await draftState(h, a.id)).toBe('adopted');
    expect(await draftState(h, b.id)).toBe('adopted');
    expect(await draftState(h, c.id)).toBe('approved');
    const [item] = await h.db.db.select().from(bulletinItems);
    expect(item).toMatchObject({ kind: 'merged', title: '我县扎实推进村（社区）换届', position: 1 });
    const sources = await h.db.db.select().from(bulletinItemSources).orderBy(asc(bulletinItemSources.draftId));
    expect(sources.map((s) => [s.draftId, s.unitId])).toEqual([
      [a.id, a.unitId],
      [b.id, b.unitId],
    ]);
    expect(cardText(done.card.content)).not.toContain('合并为综合稿');
    expect(cardText(h.lastCardTo(P.officer3).content)).toContain('与其他稿件合并为综合稿《我县扎实推进村（社区）换届》，编入2026年第1期第 1 条');
    expectAllCardsValid(h);
  });

  it("a non-editor's click changes nothing, and the desk is closed to them", async () => {
    h = await Harness.start();
    const a = await approvedDraft(h, P.officer1, '城关镇开展主题党日');
    const desk = await openDesk(h);
    const adopt = rowButton(desk.content, '城关镇开展主题党日', '采用');
    // The desk's values replayed by others on messages in their own private chats.
    for (const intruder of [P.officer1, P.reviewer1, P.leader, P.stranger]) {
      const res = await h.click(intruder, await h.ownMessage(intruder), adopt);
      expect(res.toast).toEqual({ type: 'error', content: '只有研究室可以采用稿件。' });
    }
    const decline = await h.click(P.reviewer1, await h.ownMessage(P.reviewer1), { ...rowButton(desk.content, '城关镇开展主题党日', '不采用'), a: 'desk.decline' }, { formValue: { disposition: 'rejected', reason: 'x' } });
    expect(decline.toast?.type).toBe('error');
    await h.settle();
    expect(await draftState(h, a.id)).toBe('approved');
    expect(await h.db.db.select().from(bulletinIssues)).toHaveLength(0);
    expect(await h.db.db.select().from(draftDispositions)).toHaveLength(0);

    await h.sendText(P.officer1, '待编稿件');
    await h.settle();
    expect(h.textsTo(P.officer1).at(-1)).toBe('只有研究室可以处理待编稿件。');
  });

  it('the second of two editors adopting the same draft is told it was already adopted', async () => {
    h = await Harness.start();
    await approvedDraft(h, P.officer1, '城关镇优化营商环境');
    const desk = await openDesk(h);
    const adopt = rowButton(desk.content, '城关镇优化营商环境', '采用');
    const first = await h.click(P.editor, desk.messageId, adopt);
    const second = await h.click(P.editor, desk.messageId, adopt);
    expect(first.toast?.type).toBe('success');
    expect(second.toast?.type).toBe('error');
    expect(second.toast?.content).toContain('已被采用');
    expect(await h.db.db.select().from(bulletinItems)).toHaveLength(1);
  });
});
