import { afterEach, describe, expect, it } from 'vitest';
import { formValue } from './rules-form-values.js';
import { scoreRuleVersions } from '../../db/schema/index.js';
import { cardText, findButton, Harness, P } from '../helpers/harness.js';
import { adoptAll, approvedDraft, ask, expectAllCardsValid, tap } from '../desk/flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});


describe('规则表单: rules edited from a card', { timeout: 120_000 }, () => {
  it('refuses weights that do not add up and a negative cap; a saved version changes only events from its date', async () => {
    h = await Harness.start({ start: '2026-11-12T02:00:00Z' });
    const form = await ask(h, P.editor, '规则表单');
    expect(cardText(form.content)).toContain('修改积分规则（当前第1版）');
    const save = findButton(form.content, '保存为新版本');
    expect(save).toMatchObject({ sections: ['组工信息', '调研文稿', '网评文章', '上级媒体稿件', '时效'] });

    const weights = await tap(h, P.editor, form, save, { formValue: formValue({ s0_weight: '550' }) });
    expect(weights.res.toast).toEqual({
      type: 'error',
      content:
        '规则未保存，请修改后重新发送：\n1. “assessment.sections”（考核表）：各项权重合计 1050，应等于满分 1000（组工信息 550 + 调研文稿 150 + 网评文章 100 + 上级媒体稿件 150 + 时效 100 = 1050）。',
    });
    const cap = await tap(h, P.editor, form, save, { formValue: formValue({ s4_cap: '-5', p_city: '五' }) });
    expect(cap.res.toast).toEqual({ type: 'error', content: '未保存：“市级采用分值”应为数字。' });
    const negative = await tap(h, P.editor, form, save, { formValue: formValue({ s4_cap: '-5' }) });
    expect(negative.res.toast?.content).toBe('规则未保存，请修改后重新发送：\n1. “assessment.sections.时效.cap”（考核表）：上限应大于 0。');
    const officer = await tap(h, P.officer1, form, save, { formValue: formValue({ p_county: '2' }) });
    expect(officer.res.toast?.type).toBe('error');
    expect(await h.db.db.select().from(scoreRuleVersions)).toEqual([]);

    const saved = await tap(h, P.editor, form, save, { formValue: formValue({ p_county: '2', qcap: '40', s0_weight: '450', s4_weight: '150' }) });
    expect(saved.res.toast).toEqual({ type: 'success', content: '已保存第2版规则' });
    const text = cardText(saved.card.content);
    expect(text).toContain('自 2026-12-01 起生效，替代第1版');
    expect(text).toContain('**采用分值**：县级 1 · 市级 5 · 省级 10 · 中央 30 → 县级 2 · 市级 5 · 省级 10 · 中央 30');
    expect(text).toContain('**每单位每季度上限**：不设上限 → 40 分');
    expect(text).toContain('组工信息 上限 100 分、权重 450');

    // Adopted on 20 November: version 1, 1 point. On 2 December: version 2, 2 points.
    await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    h.clock.set('2026-11-20T02:00:00Z');
    await adoptAll(h, ['城关镇网格化治理见成效']);
    await approvedDraft(h, P.officer1, '城关镇开展党员冬训');
    h.clock.set('2026-12-02T02:00:00Z');
    await adoptAll(h, ['城关镇开展党员冬训']);
    const score = cardText((await ask(h, P.officer1, '积分 城关镇 2026')).content);
    expect(score).toContain('2026年11月20日　**+1**　《城关镇网格化治理见成效》编入《XX组工信息》2026年第1期（县级采用）：第1版规则 县级采用 1 分');
    expect(score).toContain('2026年12月2日　**+2**　《城关镇开展党员冬训》编入《XX组工信息》2026年第1期（县级采用）：第2版规则 县级采用 2 分');
    // The year's table is version 2's: 3 of 100 in 组工信息 → 13.5 of 450.
    expect(cardText((await ask(h, P.editor, '考核 2026')).content)).toContain('**1. 城关镇　13.5 分**\n组工信息 3 → 13.5');
    expectAllCardsValid(h);
  });
});
