import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { inboxEvents, joinRequests, roleAssignments } from '../../db/schema/index.js';
import { loadWho } from '../../db/queries/roster.js';
import { cardText, findButton, Harness, P } from '../helpers/harness.js';

/** End-to-end tests share two cores with other work; give them room on a loaded machine. */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const UNIT_A = '1'; // 城关镇 (first unit imported)
const UNIT_B = '2'; // 东街街道

describe('join requests', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => h.close());

  async function apply(openId: string, formValue: Record<string, unknown>) {
    await h.sendText(openId, '你好，我是新来的信息员');
    await h.settle();
    const form = h.lastCardTo(openId);
    expect(cardText(form.content)).toContain('您还不在本系统的名册中');
    const res = await h.click(openId, form.messageId, findButton(form.content, '提交申请'), { formValue, name: 'join_submit' });
    await h.settle();
    return res;
  }

  it('an officer request goes to the unit reviewer, who approves; the requester is told and can use the bot', async () => {
    const res = await apply(P.stranger, { name: '新信息', unit: UNIT_A, role: 'officer' });
    expect(res.toast).toEqual({ type: 'success', content: '申请已提交。' });
    expect(cardText(res.card)).toContain('已提交给 本单位组织委员 审批');
    // Only 城关镇's reviewer is asked, not the other unit's nor the editor.
    const card = h.lastCardTo(P.reviewer1);
    expect(cardText(card.content)).toContain('新信息');
    expect(h.cardsTo(P.reviewer2).length + h.cardsTo(P.editor).length).toBe(0);
    // The stranger's message is not kept by the request.
    const [row] = await h.db.db.select().from(joinRequests);
    expect(row).toMatchObject({ openId: P.stranger, name: '新信息', role: 'officer', status: 'pending' });
    expect(JSON.stringify(row)).not.toContain('新来的');

    // Another unit's reviewer may not decide it.
    const refused = await h.click(P.reviewer2, card.messageId, findButton(card.content, '同意'), { formValue: {} });
    expect(refused.toast).toEqual({ type: 'error', content: '只有该单位的组织委员或研究室可以审批这份申请。' });

    const ok = await h.click(P.reviewer1, card.messageId, findButton(card.content, '同意'), { formValue: { reason: '' }, name: 'join_approve' });
    await h.settle();
    expect(ok.toast).toEqual({ type: 'success', content: '已同意 新信息 加入。' });
    expect(cardText(ok.card)).toContain('已同意');
    const who = await loadWho(h.db.db, P.stranger);
    expect(who.officerUnits.map((u) => u.name)).toEqual(['城关镇']);
    expect(who.name).toBe('新信息');
    expect(h.textsTo(P.stranger).at(-1)).toBe('您的加入申请已通过：您已是城关镇的信息员。发送“帮助”查看可用的命令。');

    // A second tap is told it was decided already.
    const late = await h.click(P.reviewer1, card.messageId, findButton(card.content, '同意'), { formValue: {} });
    expect(late.toast?.content).toBe('张委员已同意这份申请，本次操作未生效。');
  });

  it('a reviewer request goes to the editors; a decline needs a reason, which the requester is told', async () => {
    await apply(P.stranger, { name: '新委员', unit: UNIT_B, role: 'reviewer' });
    expect(h.cardsTo(P.reviewer2)).toHaveLength(0);
    const card = h.lastCardTo(P.editor);
    // A reviewer of the unit may not approve a reviewer.
    const refused = await h.click(P.reviewer2, card.messageId, findButton(card.content, '同意'), { formValue: {} });
    expect(refused.toast?.content).toBe('只有研究室可以审批组织委员的加入申请。');
    const noReason = await h.click(P.editor, card.messageId, findButton(card.content, '拒绝'), { formValue: { reason: ' ' } });
    expect(noReason.toast).toEqual({ type: 'error', content: '拒绝时请填写理由。' });
    const declined = await h.click(P.editor, card.messageId, findButton(card.content, '拒绝'), { formValue: { reason: '请由单位正式行文' } });
    await h.settle();
    expect(declined.toast?.type).toBe('success');
    expect(cardText(declined.card)).toContain('请由单位正式行文');
    expect(h.textsTo(P.stranger).at(-1)).toBe('您的加入申请（东街街道，组织委员）未获同意。理由：请由单位正式行文');
    expect((await loadWho(h.db.db, P.stranger)).known).toBe(false);
  });

  it('refuses a unit that does not exist and a second pending request', async () => {
    const bad = await apply(P.stranger, { name: '某人', unit: '999', role: 'officer' });
    expect(bad.toast?.content).toBe('所选单位不存在或已停用，请重新选择。');
    expect(await h.db.db.select().from(joinRequests)).toEqual([]);
    await apply('ou_stranger8', { name: '某人', unit: UNIT_A, role: 'officer' });
    await h.sendText('ou_stranger8', '还在吗');
    await h.settle();
    expect(h.textsTo('ou_stranger8').at(-1)).toBe('您的加入申请（城关镇，信息员）正在等待审批，结果会私信告知您。');
  });

  it('approving someone as reviewer of a unit where they are officer is refused', async () => {
    // ou_officer1 is an officer of 城关镇: a join for reviewer there must not go through.
    await h.db.db.insert(joinRequests).values({ openId: P.officer1, name: '赵信息', unitId: 1, role: 'reviewer', createdAt: h.clock.now() });
    const [r] = await h.db.db.select().from(joinRequests);
    const res = await h.click(P.editor, 'om_none', { a: 'roster.join_decide', id: r!.id, d: 'approve' }, { formValue: {} });
    expect(res.toast?.content).toContain('同一人不能在一个单位既是信息员又是组织委员');
    const roles = await h.db.db.select().from(roleAssignments).where(eq(roleAssignments.openId, P.officer1));
    expect(roles.map((x) => x.role)).toEqual(['officer']);
  });
});

describe('bot menu', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => h.close());

  it('a menu tap runs the command in the private chat, once even when Lark re-pushes it', async () => {
    const first = await h.clickMenu(P.reviewer1, 'pending');
    expect(first.status).toBe(200);
    await h.post(first.event); // re-push of the same event
    await h.settle();
    const cards = h.cardsTo(P.reviewer1);
    expect(cards).toHaveLength(1);
    expect(cardText(cards[0]!.content)).toContain('待审');
    const rows = await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `menu:${first.event.header.event_id}`));
    expect(rows).toHaveLength(1);

    await h.clickMenu(P.officer1, 'guide');
    await h.settle();
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('投稿说明');
    await h.clickMenu(P.officer1, 'unknown_key');
    await h.settle();
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('使用帮助');
  });
});
