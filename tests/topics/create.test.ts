import { afterEach, describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import { auditLog, topics, topicTargets } from '../../db/schema/index.js';
import { cardText, findButton, GROUP, Harness, hasButton, P } from '../helpers/harness.js';
import { board, boardText, DEADLINE, expectAllCardsValid, expectValid, lastText, postTopic, unitId, LONG_SCENARIO_MS } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The editor opens the form; returns it and a submit function with Lark's form_value shape. */
async function openForm(harness: Harness) {
  await harness.sendText(P.editor, '点题');
  await harness.settle();
  const formCard = harness.lastCardTo(P.editor);
  const submit = (formValue: Record<string, unknown>, operator: string = P.editor) =>
    harness.click(operator, formCard.messageId, findButton(formCard.content, '发布点题'), { formValue, name: 'topic_submit' });
  return { formCard, submit };
}

describe('posting a topic through the form', () => {
  it('shows each bad input on the re-rendered form with an error toast, then posts the board to the group', async () => {
    h = await Harness.start();
    const { formCard, submit } = await openForm(h);
    const form = cardText(formCard.content);
    for (const s of ['发布点题', '点题标题', '截止时间', '面向单位', '每单位篇数']) expect(form).toContain(s);
    const json = JSON.stringify(formCard.content);
    expect(json).toContain('"tag":"picker_datetime"');
    expect(json).toContain('"tag":"multi_select_static"');
    expect(json).toContain('"value":"all"');
    const cgz = await unitId(h, '城关镇');
    const djj = await unitId(h, '东街街道');
    const good = { title: '基层党建典型经验', brief: '围绕“三抓三促”写实招实效，1500 字左右', category: '调研文稿', deadline: '2026-11-05 18:00 +0800', units: [String(cgz), String(djj)], pieces: '2' };

    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, title: '  ' }, '请填写点题标题'],
      [{ ...good, deadline: '2026-11-01 18:00 +0800' }, '截止时间已过，请选择将来的时间'],
      [{ ...good, deadline: undefined }, '请选择截止时间'],
      [{ ...good, units: [] }, '请选择至少一个单位'],
      [{ ...good, pieces: '两篇' }, '每单位篇数应为 1-20 的整数'],
      [{ ...good, pieces: '50' }, '每单位篇数应为 1-20 的整数'],
      [{ ...good, title: '题'.repeat(61) }, '标题请控制在60字以内'],
    ];
    for (const [value, message] of cases) {
      const res = await submit(value);
      expect(res.toast).toEqual({ type: 'error', content: expect.stringContaining(message) });
      const shown = cardText(res.card);
      expect(shown).toContain(message);
      expect(shown).toContain('请修改下列标红的内容后重新提交');
      expectValid(res.card);
      // What the editor typed stays on the form.
      if (typeof value.title === 'string' && value.title.trim()) expect(JSON.stringify(res.card)).toContain(`"default_value":"${value.title}"`);
    }
    await h.settle();
    expect(await h.db.db.select().from(topics)).toHaveLength(0);
    expect(h.cardsTo(GROUP)).toHaveLength(0);

    const ok = await submit(good);
    expect(ok.toast).toEqual({ type: 'success', content: '已发布 T1，点题卡片已发到工作群' });
    expect(cardText(ok.card)).toContain('已发布点题 T1');
    expect(hasButton(ok.card, '发布点题')).toBe(false);
    await h.settle();

    const [topic] = await h.db.db.select().from(topics);
    expect(topic).toMatchObject({ id: 1, title: good.title, category: '调研文稿', piecesPerUnit: 2, allUnits: false, status: 'open', createdBy: P.editor });
    expect(topic!.deadline.toISOString()).toBe(DEADLINE.toISOString());
    expect((await h.db.db.select().from(topicTargets)).map((t) => t.unitId).sort()).toEqual([cgz, djj].sort());

    const text = boardText(h);
    for (const s of ['【点题 T1】基层党建典型经验', '2026年11月5日 18:00', '调研文稿', '2 个单位', '2 篇', '1500 字左右', '已提交 0/2 个单位', '城关镇：未认领', '东街街道：未认领']) {
      expect(text).toContain(s);
    }
    expect(hasButton(board(h).content, '认领')).toBe(true);
    expect(board(h).chatId).toBe(GROUP);

    // A second tap on the same form does not post the topic twice.
    const again = await submit(good);
    expect(again.toast).toEqual({ type: 'info', content: '该点题已发布为 T1' });
    await h.settle();
    expect(await h.db.db.select().from(topics)).toHaveLength(1);
    expect(h.cardsTo(GROUP)).toHaveLength(1);

    const audit = await h.db.db.select().from(auditLog).orderBy(asc(auditLog.id));
    expect(audit.filter((a) => a.entityType === 'topic').map((a) => [a.action, a.actor])).toEqual([['topic_create', P.editor]]);
    expectAllCardsValid(h);
  }, LONG_SCENARIO_MS);

  it('targets every unit when 全部单位 is chosen', async () => {
    h = await Harness.start();
    const { submit } = await openForm(h);
    const res = await submit({ title: '冬训工作动态', category: '组工信息', deadline: '2026-11-10 12:00 +0800', units: ['all'] });
    expect(res.toast?.type).toBe('success');
    await h.settle();
    const [topic] = await h.db.db.select().from(topics);
    expect(topic!.allUnits).toBe(true);
    expect(topic!.deadline.toISOString()).toBe('2026-11-10T04:00:00.000Z');
    expect(await h.db.db.select().from(topicTargets)).toHaveLength(2);
    expect(boardText(h)).toContain('全部单位（2 个）');
  });

  it('refuses the form to anyone but an editor, re-checking the role at submit', async () => {
    h = await Harness.start();
    const { submit } = await openForm(h);
    const res = await submit({ title: '冬训', deadline: '2026-11-10 12:00 +0800', units: ['all'] }, P.officer1);
    expect(res.toast).toEqual({ type: 'error', content: '只有研究室可以发布点题。' });
    await h.sendText(P.officer1, '点题');
    await h.settle();
    expect(lastText(h, P.officer1)).toBe('只有研究室可以发布点题。');
    expect(await h.db.db.select().from(topics)).toHaveLength(0);
  });
});

describe('posting a topic in one line', () => {
  it('posts at once and confirms to the editor', async () => {
    h = await Harness.start();
    await postTopic(h, `基层治理经验 | 截止 2026-11-05 18:00 | 单位 城关镇，东街街道 | 类别 网评文章 | 篇数 1 | 说明 聚焦网格化`);
    const reply = lastText(h, P.editor);
    expect(reply).toContain('已发布点题 T1“基层治理经验”');
    expect(reply).toContain('截止：2026年11月5日 18:00');
    expect(reply).toContain('面向：城关镇、东街街道');
    const [topic] = await h.db.db.select().from(topics);
    expect(topic).toMatchObject({ category: '网评文章', piecesPerUnit: 1, brief: '聚焦网格化', allUnits: false });
    expect(topic!.deadline.toISOString()).toBe(DEADLINE.toISOString());
    expect(boardText(h)).toContain('城关镇：未认领');
  });

  it.each([
    ['基层治理 | 截止 2026-13-45 18:00', '不是有效的日期或时间'],
    ['基层治理 | 截止 下周五', '无法识别截止时间“下周五”'],
    ['基层治理 | 截止 2026-11-01 18:00', '截止时间已过'],
    ['基层治理 | 截止 2026-11-05 18:00 | 单位 城关镇,西街街道,北关镇', '没有这些单位：西街街道、北关镇。现有单位：城关镇、东街街道'],
    [' | 截止 2026-11-05 18:00', '请填写点题标题'],
    ['基层治理', '请选择截止时间'],
    ['基层治理 | 截止 2026-11-05 18:00 | 类别 新闻', '未知类别“新闻”'],
    ['基层治理 | 截止 2026-11-05 18:00 | 数量 3', '无法识别“数量 3”'],
  ])('explains what is wrong with “点题 %s”', async (line, message) => {
    h = await Harness.start();
    await postTopic(h, line);
    const reply = lastText(h, P.editor);
    expect(reply).toContain('点题未发布');
    expect(reply).toContain(message);
    expect(reply).toContain('格式：点题 标题 | 截止');
    expect(await h.db.db.select().from(topics)).toHaveLength(0);
    expect(h.cardsTo(GROUP)).toHaveLength(0);
  });

  it('lists every problem at once', async () => {
    h = await Harness.start();
    await postTopic(h, ' | 截止 2026-11-01 18:00 | 单位 西街街道');
    const reply = lastText(h, P.editor);
    expect(reply).toContain('1. 请填写点题标题');
    expect(reply).toContain('截止时间已过');
    expect(reply).toContain('没有这些单位：西街街道');
  });

  it('takes a date without a time as 18:00, and defaults to every unit', async () => {
    h = await Harness.start();
    await postTopic(h, '冬训工作动态 | 截止 11月6日');
    const [topic] = await h.db.db.select().from(topics);
    expect(topic!.deadline.toISOString()).toBe('2026-11-06T10:00:00.000Z');
    expect(topic!.allUnits).toBe(true);
  });
});
