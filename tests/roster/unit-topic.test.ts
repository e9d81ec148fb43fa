import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { topics, topicTargets } from '../../db/schema/index.js';
import { cardText, findButton, GROUP, Harness, P } from '../helpers/harness.js';
import { readScoreEvents } from '../../domain/scoring/score-events.js';
import { submitDraft, tickAt } from '../topics/helpers.js';

/** End-to-end tests share two cores with other work; give them room on a loaded machine. */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe('unit-level 点题 by a reviewer', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ start: '2026-11-02T02:00:00Z' });
  });
  afterEach(async () => h.close());

  it('is scoped to the reviewer’s unit, goes privately to its officers, not to the group, and can be claimed', async () => {
    await h.sendText(P.reviewer1, '点题');
    await h.settle();
    const form = h.lastCardTo(P.reviewer1);
    expect(cardText(form.content)).toContain('发布本单位点题');
    const json = JSON.stringify(form.content);
    expect(json).not.toContain('"value":"all"');
    expect(json).not.toContain('东街街道');
    const submit = (formValue: Record<string, unknown>) => h.click(P.reviewer1, form.messageId, findButton(form.content, '发布点题'), { formValue, name: 'topic_submit' });
    const good = { title: '城关镇冬训经验', brief: '', category: '组工信息', deadline: '2026-11-05 18:00 +0800', units: ['1'], pieces: '' };

    // Another unit (forged into the form value) is refused and nothing is created.
    const other = await submit({ ...good, units: ['2'] });
    expect(other.toast).toEqual({ type: 'error', content: '所选单位已停用或不存在，请重新选择' });
    expect(await h.db.db.select().from(topics)).toEqual([]);

    const ok = await submit(good);
    await h.settle();
    expect(ok.toast?.content).toBe('已发布本单位点题 T1，已私信本单位信息员');
    const [topic] = await h.db.db.select().from(topics);
    expect(topic).toMatchObject({ unitId: 1, allUnits: false, createdBy: P.reviewer1 });
    expect((await h.db.db.select().from(topicTargets)).map((t) => t.unitId)).toEqual([1]);
    expect(h.cardsTo(GROUP)).toHaveLength(0);
    expect(h.cardsTo(P.officer3)).toHaveLength(0);
    const board = h.lastCardTo(P.officer2);
    expect(cardText(board.content)).toContain('城关镇冬训经验');
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('城关镇冬训经验');

    // An officer claims it from the private card; the card is patched in place.
    const claim = await h.click(P.officer2, board.messageId, findButton(board.content, '认领'));
    await h.settle();
    expect(claim.toast?.type).toBe('success');
    expect(cardText(h.fake.message(h.lastCardTo(P.officer1).messageId)!.content)).toContain('钱信息');
  });
});

describe('unit-level 点题 in timeliness and points', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ start: '2026-11-02T02:00:00Z' });
  });
  afterEach(async () => h.close());

  /** The reviewer sets a topic for their own unit through the 点题 form. */
  async function unitTopic(title: string, deadline: string) {
    await h.sendText(P.reviewer1, '点题');
    await h.settle();
    const form = h.lastCardTo(P.reviewer1);
    const res = await h.click(P.reviewer1, form.messageId, findButton(form.content, '发布点题'), {
      formValue: { title, brief: '', category: '组工信息', deadline, units: ['1'], pieces: '' },
      name: 'topic_submit',
    });
    expect(res.toast?.type).toBe('success');
    await h.settle();
  }

  it('records the unit’s timeliness at the deadline, tells its reviewer, and scores it only when the rules count unit topics', async () => {
    // From 4 November the rules count unit topics like the research office's.
    await h.sendText(P.editor, '规则 生效 2026-11-04\ntopic: {on_time: 2, late: 0, missing: -1, unit_topics: true}');
    await h.settle();
    const saved = cardText(h.lastCardTo(P.editor).content);
    expect(saved).toContain('已保存第2版积分规则');
    expect(saved).toContain('本单位点题只统计时效，不计分 → ');
    expect(saved).toContain('本单位点题同样计分');
    await unitTopic('城关镇冬训经验', '2026-11-03 18:00 +0800'); // T1, under version 1
    await unitTopic('城关镇网格治理', '2026-11-05 18:00 +0800'); // T2, under version 2
    await submitDraft(h, P.officer1, 1, '城关镇冬训工作扎实开展');

    await tickAt(h, '2026-11-03T10:00:00Z');
    await tickAt(h, '2026-11-05T10:00:00Z');
    // The deadline summaries go to the unit's reviewer who set the topics, not to the research office.
    const summaries = h.textsTo(P.reviewer1).filter((t) => t.includes('【逾期汇总】'));
    expect(summaries).toEqual([
      '【逾期汇总】点题 T1“城关镇冬训经验”已于 2026年11月3日 18:00 截止。\n按时提交 1 个单位：城关镇。\n所有单位均已提交。',
      '【逾期汇总】点题 T2“城关镇网格治理”已于 2026年11月5日 18:00 截止。\n按时提交 0 个单位。\n未提交 1 个单位：城关镇。此后提交的将记为逾期。',
    ]);
    expect(h.textsTo(P.editor).filter((t) => t.includes('【逾期汇总】'))).toEqual([]);

    // Both count in the unit's own 积分 (时效); T1 under version 1 scores nothing, T2 under version 2 does.
    await h.sendText(P.reviewer1, '积分 2026-11');
    await h.settle();
    const score = cardText(h.lastCardTo(P.reviewer1).content);
    expect(score).toContain('本单位点题《城关镇冬训经验》按时提交：第1版规则 本单位点题只统计时效，不计分');
    expect(score).toContain('本单位点题《城关镇网格治理》未提交：第2版规则 未提交 -1 分');
    const events = await readScoreEvents(h.db.db, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), timezone: 'Asia/Shanghai' });
    expect(events.filter((e) => e.section === '时效').map((e) => [e.topicId, e.kind, e.points])).toEqual([
      [1, 'topic_on_time', 0],
      [2, 'topic_missing', -1],
    ]);
  });
});
