import { afterEach, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, drafts, outbox, topicAnswers } from '../../db/schema/index.js';
import { cardText, findButton, GROUP, Harness, hasButton, P } from '../helpers/harness.js';
import { openDesk, rowButton } from '../desk/flow.js';
import { approve, board, boardText, expectAllCardsValid, lastText, postTopic, submitDraft, LONG_SCENARIO_MS } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function claim(harness: Harness, who: string, code = 'T1') {
  const b = board(harness, code);
  const res = await harness.click(who, b.messageId, findButton(b.content, '认领'));
  await harness.settle();
  return res;
}

describe('the live topic board', () => {
  it('follows claim, submit and approval, patching the group card in place', async () => {
    h = await Harness.start();
    await postTopic(h);
    expect(boardText(h)).toContain('城关镇：未认领');

    const claimed = await claim(h, P.officer1);
    expect(claimed.toast).toEqual({ type: 'success', content: '已为城关镇认领 T1' });
    expect(boardText(h)).toContain('城关镇：已认领（赵信息）');
    expect(boardText(h)).toContain('东街街道：未认领');
    expect(lastText(h, P.officer1)).toContain('您已为城关镇认领点题 T1“基层党建典型经验”，截止 2026年11月5日 18:00');
    // A colleague of the same unit, the claimer again, a reviewer: nothing changes.
    expect((await claim(h, P.officer2)).toast).toEqual({ type: 'info', content: '城关镇已由赵信息认领，可与其协作撰写' });
    expect((await claim(h, P.officer1)).toast).toEqual({ type: 'info', content: '您已认领 T1' });
    expect((await claim(h, P.reviewer1)).toast).toEqual({ type: 'error', content: '只有各单位的信息员可以认领点题。' });

    const { draft } = await submitDraft(h, P.officer1, 1);
    expect(draft.topicId).toBe(1);
    let text = boardText(h);
    expect(text).toContain('城关镇：已提交 1 篇');
    expect(text).toContain('已提交 1/2 个单位 · 已报研究室 0 · 已采用 0');
    // The group card never shows a draft's title or text.
    expect(text).not.toContain('城关镇推动基层党建提质增效');
    expect(text).not.toContain('今年以来');

    await approve(h, P.reviewer1, draft.serial);
    text = boardText(h);
    expect(text).toContain('城关镇：已报研究室 1 篇');
    expect(text).toContain('已提交 1/2 个单位 · 已报研究室 1 · 已采用 0');
    expect(text).toContain('东街街道：未认领');

    // The research office adopts it at the desk (the desk calls the same hook).
    const desk = await openDesk(h);
    const adopted = await h.click(P.editor, desk.messageId, rowButton(desk.content, '城关镇推动基层党建提质增效', '采用'));
    expect(adopted.toast?.type).toBe('success');
    await h.settle();
    text = boardText(h);
    expect(text).toContain('城关镇：已采用 1 篇');
    expect(text).toContain('已提交 1/2 个单位 · 已报研究室 0 · 已采用 1');

    // One card in the group, updated by patches (claim, submit, approve, adopt), never re-posted.
    expect(h.cardsTo(GROUP)).toHaveLength(1);
    expect(board(h).history.filter((c) => c.via === 'patch')).toHaveLength(4);
    const [answer] = await h.db.db.select().from(topicAnswers);
    expect(answer).toMatchObject({ topicId: 1, draftId: draft.id, linkedBy: P.officer1, unlinkedAt: null });
    expectAllCardsValid(h);
  }, LONG_SCENARIO_MS);

  it('coalesces a burst of changes into one pending patch', async () => {
    h = await Harness.start();
    await postTopic(h);
    const b = board(h);
    // Two claims handled before the outbox runs: the second overwrites the first pending patch.
    await h.click(P.officer1, b.messageId, findButton(b.content, '认领'));
    await h.click(P.officer3, b.messageId, findButton(b.content, '认领'));
    const pending = await h.db.db.select().from(outbox).where(and(eq(outbox.op, 'patch'), eq(outbox.status, 'pending')));
    expect(pending).toHaveLength(1);
    await h.settle();
    expect(board(h).history.filter((c) => c.via === 'patch')).toHaveLength(1);
    expect(boardText(h)).toContain('城关镇：已认领（赵信息）');
    expect(boardText(h)).toContain('东街街道：已认领（吴信息）');
  });

  it('refuses to claim for a unit the topic does not target, and a closed topic', async () => {
    h = await Harness.start();
    await postTopic(h, '城关镇专题 | 截止 2026-11-05 18:00 | 单位 城关镇');
    expect((await claim(h, P.officer3)).toast).toEqual({ type: 'error', content: '本点题不面向东街街道，无需认领。' });
    await h.sendText(P.editor, '关闭 T1');
    await h.settle();
    const b = board(h);
    const res = await h.click(P.officer1, b.messageId, { a: 'topic.claim', t: 1 });
    expect(res.toast).toEqual({ type: 'error', content: '该点题已关闭，不再接收稿件。' });
  });

  it('offers the unit’s open topics on the confirmation card, nearest deadline first', async () => {
    h = await Harness.start();
    await postTopic(h, '较晚截止 | 截止 2026-11-20 18:00 | 单位 城关镇');
    await postTopic(h, '东街专题 | 截止 2026-11-03 18:00 | 单位 东街街道');
    await postTopic(h, '较早截止 | 截止 2026-11-04 18:00');
    await postTopic(h, '已关闭 | 截止 2026-11-04 12:00 | 单位 城关镇');
    await h.sendText(P.editor, '关闭 T4');
    await h.settle();
    const { confirmCard } = await submitDraft(h, P.officer1, null);
    const json = JSON.stringify(confirmCard.content);
    const t3 = json.indexOf('T3 较早截止');
    const t1 = json.indexOf('T1 较晚截止');
    expect(t3).toBeGreaterThan(-1);
    expect(t1).toBeGreaterThan(t3);
    expect(json).not.toContain('东街专题');
    expect(json).not.toContain('T4 已关闭');
  });
});

describe('关联: linking a sent draft to a topic', () => {
  it('links, moves and guards links, audited, with the boards following', async () => {
    h = await Harness.start();
    await postTopic(h); // T1: 城关镇, 东街街道
    await postTopic(h, '城关镇专题 | 截止 2026-11-05 18:00 | 单位 城关镇'); // T2
    await postTopic(h, '东街专题 | 截止 2026-11-06 18:00 | 单位 东街街道'); // T3
    const { draft } = await submitDraft(h, P.officer3, null, '东街街道网格党建见实效');
    expect(draft.topicId).toBeNull();

    await h.sendText(P.officer3, `关联 ${draft.serial} T1`);
    await h.settle();
    expect(lastText(h, P.officer3)).toBe(`已将稿件 ${draft.serial} 关联到点题 T1“基层党建典型经验”。`);
    expect(boardText(h, 'T1')).toContain('东街街道：已提交 1 篇');

    await h.sendText(P.officer1, `关联 ${draft.serial} T1`);
    await h.settle();
    expect(lastText(h, P.officer1)).toBe('只能关联自己提交的稿件。');
    await h.sendText(P.officer3, `关联 ${draft.serial} T2`);
    await h.settle();
    expect(lastText(h, P.officer3)).toBe('点题 T2 不面向本稿件所属单位。');
    await h.sendText(P.officer3, `关联 ${draft.serial} T9`);
    await h.settle();
    expect(lastText(h, P.officer3)).toContain('找不到点题 T9');
    await h.sendText(P.officer3, '关联 2026-0099 T1');
    await h.settle();
    expect(lastText(h, P.officer3)).toContain('找不到稿件 2026-0099');

    // Moving it to T3 takes it off T1's board.
    await h.sendText(P.officer3, `关联 ${draft.serial} ｔ３`);
    await h.settle();
    expect(boardText(h, 'T1')).toContain('东街街道：未认领');
    expect(boardText(h, 'T3')).toContain('东街街道：已提交 1 篇');
    const [row] = await h.db.db.select().from(drafts).where(eq(drafts.id, draft.id));
    expect(row!.topicId).toBe(3);
    const links = await h.db.db.select().from(topicAnswers).orderBy(asc(topicAnswers.id));
    expect(links.map((l) => [l.topicId, l.unlinkedAt !== null])).toEqual([
      [1, true],
      [3, false],
    ]);
    const audit = await h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'draft'), eq(auditLog.entityId, String(draft.id))))
      .orderBy(asc(auditLog.id));
    expect(audit.filter((a) => a.action === 'topic_link').map((a) => [a.actor, a.data])).toEqual([
      [P.officer3, { from: null, to: 1 }],
      [P.officer3, { from: 1, to: 3 }],
    ]);

    // Once approved, the link is settled.
    await approve(h, P.reviewer2, draft.serial);
    await h.sendText(P.officer3, `关联 ${draft.serial} T1`);
    await h.settle();
    expect(lastText(h, P.officer3)).toContain('已审核通过或已结束，不能再更改关联的点题');
  }, LONG_SCENARIO_MS);
});

describe('关联稿件 on the topic card', () => {
  it('sends the officer a private picker of their own linkable drafts and links the chosen one', async () => {
    h = await Harness.start();
    await postTopic(h); // T1: 城关镇, 东街街道
    await postTopic(h, '城关镇专题 | 截止 2026-11-05 18:00 | 单位 城关镇'); // T2
    const free = (await submitDraft(h, P.officer1, null, '城关镇冬训工作有序开展')).draft;
    const onT2 = (await submitDraft(h, P.officer1, 2, '城关镇专题调研报告')).draft;
    const approved = (await submitDraft(h, P.officer1, null, '城关镇已审稿件')).draft;
    await approve(h, P.reviewer1, approved.serial);
    const colleagues = (await submitDraft(h, P.officer2, null, '同事的稿件')).draft;

    const b = board(h, 'T1');
    const pick = findButton(b.content, '关联稿件');
    // Not an officer: refused. An officer with nothing to link: told so, nothing sent.
    expect((await h.click(P.reviewer1, b.messageId, pick)).toast).toEqual({ type: 'error', content: '只有信息员可以把自己的稿件关联到点题。' });
    const before = h.cardsTo(P.officer3).length;
    expect((await h.click(P.officer3, b.messageId, pick)).toast?.content).toContain('您没有可关联到 T1 的稿件');
    await h.settle();
    expect(h.cardsTo(P.officer3)).toHaveLength(before);

    const tapped = await h.click(P.officer1, b.messageId, pick);
    expect(tapped.toast?.type).toBe('success');
    await h.settle();
    const picker = h.lastCardTo(P.officer1);
    const text = cardText(picker.content);
    expect(text).toContain('关联稿件 · T1');
    expect(text).toContain(`${free.serial} 城关镇冬训工作有序开展`);
    expect(text).toContain(`${onT2.serial} 城关镇专题调研报告（现关联 T2）`);
    // Only their own drafts that can still change topic.
    expect(text).not.toContain(approved.serial);
    expect(text).not.toContain(colleagues.serial);
    // The group card never shows titles.
    expect(boardText(h, 'T1')).not.toContain('城关镇冬训工作有序开展');

    // A colleague submitting someone else's serial through their own picker is refused.
    await h.click(P.officer2, b.messageId, pick);
    await h.settle();
    const theirPicker = h.lastCardTo(P.officer2);
    const forged = await h.click(P.officer2, theirPicker.messageId, findButton(theirPicker.content, '关联'), { formValue: { draft: free.serial }, name: 'link_submit' });
    expect(forged.toast).toEqual({ type: 'error', content: '只能关联自己提交的稿件。' });

    const linked = await h.click(P.officer1, picker.messageId, findButton(picker.content, '关联'), { formValue: { draft: free.serial }, name: 'link_submit' });
    expect(linked.toast).toEqual({ type: 'success', content: '已关联 T1' });
    expect(cardText(linked.card)).toContain(`已将稿件 ${free.serial} 关联到点题 T1“基层党建典型经验”。`);
    expect(hasButton(linked.card, '关联')).toBe(false);
    await h.settle();
    const [row] = await h.db.db.select().from(drafts).where(eq(drafts.id, free.id));
    expect(row!.topicId).toBe(1);
    expect(boardText(h, 'T1')).toContain('城关镇：已提交 1 篇');
    // The typed command still works the same way.
    await h.sendText(P.officer1, `关联 ${onT2.serial} T1`);
    await h.settle();
    expect(lastText(h, P.officer1)).toBe(`已将稿件 ${onT2.serial} 关联到点题 T1“基层党建典型经验”。`);
    expectAllCardsValid(h);
  }, LONG_SCENARIO_MS);
});

describe('点题列表 (old name 选题): listing open topics', () => {
  it('shows an officer their unit’s state on each topic, and an editor the counts of all', async () => {
    h = await Harness.start();
    await postTopic(h); // T1 both units
    await postTopic(h, '东街专题 | 截止 2026-11-06 18:00 | 单位 东街街道'); // T2
    const b = board(h, 'T1');
    await h.click(P.officer1, b.messageId, findButton(b.content, '认领'));
    await submitDraft(h, P.officer3, 1, '东街街道网格党建见实效');

    await h.sendText(P.officer1, '点题列表');
    await h.settle();
    const mine = cardText(h.lastCardTo(P.officer1).content);
    expect(mine).toContain('T1');
    expect(mine).toContain('城关镇：已认领');
    expect(mine).not.toContain('东街专题');

    await h.sendText(P.officer3, '选题');
    await h.settle();
    const theirs = cardText(h.lastCardTo(P.officer3).content);
    expect(theirs).toContain('东街街道：已提交 1 篇');
    expect(theirs).toContain('T2');

    await h.sendText(P.editor, '点题列表');
    await h.settle();
    const all = cardText(h.lastCardTo(P.editor).content);
    expect(all).toContain('**T1** 基层党建典型经验');
    expect(all).toContain('已提交 1/2 · 已报研究室 0 · 已采用 0 · 已认领待提交 1');
    expect(all).toContain('**T2** 东街专题');
    expect(all).toContain('已提交 0/1');
    expectAllCardsValid(h);
  });
});
