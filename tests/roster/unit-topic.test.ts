import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { topics, topicTargets } from '../../db/schema/index.js';
import { cardText, findButton, GROUP, Harness, P } from '../helpers/harness.js';

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
