import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { auditLog, topics, topicTargets } from '../../db/schema/index.js';
import { topicOutcomes } from '../../domain/topics/timeliness.js';
import { cardText, findButton, GROUP, Harness, hasButton, P } from '../helpers/harness.js';
import { board, boardText, DEADLINE, expectAllCardsValid, HOUR, lastText, postTopic, submitDraft, tickAt, unitId, LONG_SCENARIO_MS } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TARGETED = [P.officer1, P.officer2, P.officer3, P.reviewer1, P.reviewer2, P.reviewer3];
const FIRST_REMINDED = TARGETED.filter((p) => p !== P.officer2);
const withTag = (harness: Harness, who: string, tag: string) => harness.textsTo(who).filter((t) => t.includes(tag));

async function say(harness: Harness, who: string, text: string) {
  await harness.sendText(who, text);
  await harness.settle();
  return lastText(harness, who);
}

describe('延期', () => {
  it('moves the deadline, tells everyone targeted, updates the board and re-arms the reminders', async () => {
    h = await Harness.start();
    await postTopic(h);
    await tickAt(h, new Date(DEADLINE.getTime() - 24 * HOUR));
    // The 24 h reminder goes to the designated officers only (钱信息 is not one).
    for (const p of FIRST_REMINDED) expect(withTag(h, p, '【催报】')).toHaveLength(1);
    expect(withTag(h, P.officer2, '【催报】')).toHaveLength(0);

    h.clock.set(new Date(DEADLINE.getTime() - 20 * HOUR));
    expect(await say(h, P.editor, '延期 T1 2026-11-08 18:00')).toBe('已将 T1 的截止时间延至 2026年11月8日 18:00，已通知相关单位 6 人，工作群中的点题卡片已更新。');
    for (const p of TARGETED) {
      expect(withTag(h, p, '【延期】')).toEqual(['【延期】点题 T1“基层党建典型经验”的截止时间已延至 2026年11月8日 18:00（原为 2026年11月5日 18:00）。']);
    }
    expect(withTag(h, P.editor, '【延期】')).toHaveLength(0);
    expect(boardText(h)).toContain('截止 2026年11月8日 18:00');
    expect(boardText(h)).not.toContain('2026年11月5日 18:00');
    expect(h.cardsTo(GROUP)).toHaveLength(1);

    // The old deadline passes unnoticed; the new one gets its own reminders.
    await tickAt(h, new Date(DEADLINE.getTime() - 2 * HOUR));
    await tickAt(h, DEADLINE);
    expect(withTag(h, P.editor, '【逾期汇总】')).toHaveLength(0);
    for (const p of FIRST_REMINDED) expect(withTag(h, p, '【催报】')).toHaveLength(1);
    await tickAt(h, '2026-11-07T10:00:00Z');
    for (const p of FIRST_REMINDED) expect(withTag(h, p, '【催报】')).toHaveLength(2);
    expect(withTag(h, P.officer2, '【催报】')).toHaveLength(0);
    expect(withTag(h, P.officer1, '【催报】')[1]).toContain('将于 2026年11月8日 18:00 截止（还剩约 24 小时）');

    const [audit] = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'topic_extend'));
    expect(audit).toMatchObject({ actor: P.editor, entityId: '1', data: { from: DEADLINE.toISOString(), to: '2026-11-08T10:00:00.000Z' } });
    expectAllCardsValid(h);
  }, LONG_SCENARIO_MS);

  it('explains what it cannot do', async () => {
    h = await Harness.start();
    await postTopic(h);
    expect(await say(h, P.editor, '延期 T1 2026-11-01 18:00')).toBe('新的截止时间已过，请写将来的时间。');
    expect(await say(h, P.editor, '延期 T1 2026-11-04 18:00')).toBe('新的截止时间应晚于原截止时间 2026年11月5日 18:00。');
    expect(await say(h, P.editor, '延期 T9 2026-11-08 18:00')).toContain('找不到点题 T9');
    expect(await say(h, P.editor, '延期 T1')).toContain('请写明截止时间');
    expect(await say(h, P.editor, '延期 2026-11-08')).toContain('请写明点题编号，例如：延期 T12 2026-12-08 18:00');
    expect(await say(h, P.officer1, '延期 T1 2026-11-08 18:00')).toBe('只有研究室可以延期点题。');
    await tickAt(h, DEADLINE);
    expect(await say(h, P.editor, '延期 T1 2026-11-08 18:00')).toContain('已过截止时间并已记录逾期情况，不能再延期');
    const [topic] = await h.db.db.select().from(topics);
    expect(topic!.deadline.toISOString()).toBe(DEADLINE.toISOString());
  });
});

describe('关闭', () => {
  it('before the deadline: answered units count as on time, the others are not held to it', async () => {
    h = await Harness.start();
    await postTopic(h);
    const { draft } = await submitDraft(h, P.officer1, 1);
    h.clock.set('2026-11-03T02:00:00Z');
    const reply = await say(h, P.editor, '关闭 T1');
    expect(reply).toBe('已关闭 T1“基层党建典型经验”。按时提交 1 个单位；截止前关闭，尚未提交的 1 个单位（东街街道）不计逾期。');
    for (const p of TARGETED) expect(withTag(h, p, '【关闭】')).toEqual(['【关闭】点题 T1“基层党建典型经验”已结束征集，不再接收稿件。']);
    const text = boardText(h);
    expect(text).toContain('已关闭');
    expect(text).toContain('本点题已关闭，不再接收稿件');
    expect(text).toContain('城关镇：已提交 1 篇');
    expect(hasButton(board(h).content, '认领')).toBe(false);

    const cgz = await unitId(h, '城关镇');
    expect(await topicOutcomes(h.db.db, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') })).toEqual([
      { topicId: 1, unitId: cgz, outcome: 'on_time', at: DEADLINE, answeredAt: draft.submittedAt },
    ]);
    // No reminders, no deadline processing for a closed topic; no new links.
    await tickAt(h, new Date(DEADLINE.getTime() - 24 * HOUR));
    await tickAt(h, DEADLINE);
    for (const p of TARGETED) expect(withTag(h, p, '【催报】')).toHaveLength(0);
    expect(withTag(h, P.editor, '【逾期汇总】')).toHaveLength(0);
    const other = await submitDraft(h, P.officer3, null, '东街街道网格党建见实效');
    expect(JSON.stringify(other.confirmCard.content)).not.toContain('T1 基层党建典型经验');
    expect(await say(h, P.officer3, `关联 ${other.draft.serial} T1`)).toBe('点题 T1 已关闭，不再接收稿件。');
    expect(await say(h, P.editor, '关闭 T1')).toBe('点题 T1 已经关闭。');
    expect(await say(h, P.officer1, '关闭 T1')).toBe('只有研究室可以关闭点题。');
  }, LONG_SCENARIO_MS);

  it('after the deadline keeps the outcomes recorded then', async () => {
    h = await Harness.start();
    await postTopic(h);
    await tickAt(h, DEADLINE);
    h.clock.set(new Date(DEADLINE.getTime() + 24 * HOUR));
    expect(await say(h, P.editor, '关闭 T1')).toBe('已关闭 T1“基层党建典型经验”。截止时的交稿情况此前已记录。');
    const targets = await h.db.db.select().from(topicTargets).orderBy(asc(topicTargets.unitId));
    expect(targets.map((t) => [t.outcome, t.outcomeAt?.toISOString()])).toEqual([
      ['missing', DEADLINE.toISOString()],
      ['missing', DEADLINE.toISOString()],
    ]);
    expect(boardText(h)).toContain('东街街道：逾期');
    expect(boardText(h)).toContain('已关闭');
  });
});

describe('延期 and 关闭 from the editor’s 点题列表 card', () => {
  it('extends to the picked time and closes after confirming, telling the same people as the commands; others get no controls', async () => {
    h = await Harness.start();
    await postTopic(h);
    h.clock.set(new Date(DEADLINE.getTime() - 20 * HOUR));
    await h.sendText(P.leader, '点题列表');
    await h.sendText(P.editor, '点题列表');
    await h.settle();
    expect(hasButton(h.lastCardTo(P.leader).content, '延期')).toBe(false);
    const list = h.lastCardTo(P.editor);
    expect(hasButton(list.content, '关闭')).toBe(true);

    const empty = await h.click(P.editor, list.messageId, findButton(list.content, '延期'), { formValue: {} });
    expect(empty.toast).toEqual({ type: 'error', content: '请先选择新的截止时间。' });
    const forged = await h.click(P.officer1, list.messageId, findButton(list.content, '延期'), { formValue: { deadline_1: '2026-11-08 18:00 +0800' } });
    expect(forged.toast?.type).toBe('error');

    const extended = await h.click(P.editor, list.messageId, findButton(list.content, '延期'), { formValue: { deadline_1: '2026-11-08 18:00 +0800' } });
    await h.settle();
    expect(extended.toast).toEqual({ type: 'success', content: '已延期' });
    expect(lastText(h, P.editor)).toBe('已将 T1 的截止时间延至 2026年11月8日 18:00，已通知相关单位 6 人，工作群中的点题卡片已更新。');
    for (const p of TARGETED) expect(withTag(h, p, '【延期】')).toHaveLength(1);
    expect(cardText(extended.card)).toContain('截止 2026年11月8日 18:00');
    expect(boardText(h)).toContain('截止 2026年11月8日 18:00');

    const closed = await h.click(P.editor, list.messageId, findButton(extended.card, '关闭'));
    await h.settle();
    expect(closed.toast).toEqual({ type: 'success', content: '已关闭' });
    expect(lastText(h, P.editor)).toContain('已关闭 T1“基层党建典型经验”。');
    for (const p of TARGETED) expect(withTag(h, p, '【关闭】')).toHaveLength(1);
    expect(cardText(closed.card)).toContain('目前没有进行中的点题');
    const [topic] = await h.db.db.select().from(topics);
    expect(topic!.status).toBe('closed');
    expectAllCardsValid(h);
  }, LONG_SCENARIO_MS);
});
