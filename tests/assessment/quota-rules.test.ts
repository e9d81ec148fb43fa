import { readWorkbook, rowValues } from '../helpers/workbook.js';
import { afterEach, describe, expect, it } from 'vitest';
import { formValue } from './rules-form-values.js';
import { asc } from 'drizzle-orm';
import { scoreRuleVersions } from '../../db/schema/index.js';
import { cardText, findButton, GROUP, Harness, P } from '../helpers/harness.js';
import { approvedDraft, ask, askText, expectAllCardsValid, tap } from '../desk/flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The quota lines of a ranking card (its 任务进度 block). */
async function quotaLines(h: Harness, period: string): Promise<string> {
  const text = cardText((await ask(h, P.editor, `排行 ${period}`)).content);
  const start = text.indexOf('**任务进度**');
  expect(start).toBeGreaterThan(-1);
  return text.slice(start, text.indexOf('\n\n', start) === -1 ? undefined : text.indexOf('\n\n', start));
}

const ENV_QUOTAS = [{ name: '月度送审', scope: 'unit', per: 'month', target: 2, measure: 'submitted' }];

describe('任务指标 in the scoring rules', { timeout: 180_000 }, () => {
  it('RANKING_QUOTAS holds until a version sets quotas; that version applies to periods ending after its date, in the card and the bulletin', async () => {
    h = await Harness.start({ start: '2026-11-12T02:00:00Z', env: { RANKING_QUOTAS: JSON.stringify(ENV_QUOTAS), BULLETIN_APPROVAL: 'off' } });
    expect(await quotaLines(h, '2026-11')).toContain('月度送审（每单位每月 2 篇（送审））');
    expect(cardText((await ask(h, P.editor, '规则')).content)).toContain('**任务指标**：月度送审：每单位每月 2 篇（送审）（初始设置）');
    expect(await askText(h, P.editor, '规则 模板')).toContain('quotas: [ { name: 月度送审, scope: unit, per: month, target: 2, measure: submitted } ]');

    // A form save that leaves the target alone does not copy the variable into the rules.
    const form = await ask(h, P.editor, '规则表单');
    const save = findButton(form.content, '保存为新版本');
    expect(save).toMatchObject({ quotas: ['月度送审'] });
    const points = await tap(h, P.editor, form, save, { formValue: { ...formValue({ p_county: '2', date: '2026-11-20 +0800' }), q0: '2', q1: '', q2: '' } });
    expect(points.res.toast).toEqual({ type: 'success', content: '已保存第2版规则' });
    expect(cardText(points.card.content)).not.toContain('**任务指标**：月度送审：每单位每月 2 篇（送审）（初始设置） →');

    const saved = await ask(
      h,
      P.editor,
      '规则 生效 2026-12-01\nquotas: [{name: 月度送审, scope: unit, per: month, target: 5, measure: submitted}, {name: 调研文稿, scope: county, per: month, target: 3, measure: adopted, category: 调研文稿}]',
    );
    expect(cardText(saved.content)).toContain(
      '**任务指标**：月度送审：每单位每月 2 篇（送审）（初始设置） → 月度送审：每单位每月 5 篇（送审）；调研文稿：全县每月 3 篇（调研文稿采用）',
    );
    const stored = await h.db.db.select().from(scoreRuleVersions).orderBy(asc(scoreRuleVersions.version));
    expect(stored.map((v) => [v.version, (v.rules as { quotas?: unknown[] }).quotas?.length])).toEqual([
      [2, undefined],
      [3, 2],
    ]);

    // Scheduled, not yet in force: November (and today) keep the variable's quotas.
    expect(await quotaLines(h, '2026-11')).not.toContain('调研文稿');

    // The November bulletin, posted on 1 December: November ended before version 3.
    h.clock.set('2026-12-01T01:00:00Z');
    await h.app.scheduler.tick(new Date('2026-12-01T01:00:00Z'));
    await h.settle();
    const november = cardText(h.lastCardTo(GROUP).content);
    expect(november).toContain('2026年11月');
    expect(november).toContain('月度送审（每单位每月 2 篇（送审））');
    expect(november).not.toContain('调研文稿（');

    h.clock.set('2026-12-02T02:00:00Z');
    expect(await quotaLines(h, '2026-11')).toContain('每单位每月 2 篇');
    const december = await quotaLines(h, '2026-12');
    expect(december).toContain('月度送审（每单位每月 5 篇（送审））');
    expect(december).toContain('调研文稿（全县每月 3 篇（调研文稿采用））：2026年12月 0/3 篇（0%）');
    expect(await askText(h, P.editor, '规则 模板')).toContain('target: 5');

    h.clock.set('2027-01-01T01:00:00Z');
    await h.app.scheduler.tick(new Date('2027-01-01T01:00:00Z'));
    await h.settle();
    const decemberBulletin = cardText(h.lastCardTo(GROUP).content);
    expect(decemberBulletin).toContain('2026年12月');
    expect(decemberBulletin).toContain('月度送审（每单位每月 5 篇（送审））');
    expect(decemberBulletin).toContain('调研文稿（全县每月 3 篇（调研文稿采用））');
    expectAllCardsValid(h);
  });

  it('the rules form changes a quota target, a publication and a whole issue\'s points; bad targets are refused and save nothing', async () => {
    h = await Harness.start({ start: '2026-11-12T02:00:00Z' });
    const form = await ask(h, P.editor, '规则表单');
    const text = cardText(form.content);
    expect(text).toContain('任务指标“调研文稿”的目标篇数（全县每月 4 篇（调研文稿采用））');
    expect(text).toContain('编入《XX组工信息》的分值（留空按县级采用分值）');
    expect(text).toContain('新增、删除任务指标');
    const save = findButton(form.content, '保存为新版本');
    expect(save).toMatchObject({ pubs: ['XX组工信息'], quotas: ['调研文稿', '精品稿件', '月度送审'] });

    const zero = await tap(h, P.editor, form, save, { formValue: formValue({ q0: '0' }) });
    expect(zero.res.toast).toEqual({ type: 'error', content: '规则未保存，请修改后重新发送：\n1. “quotas.0.target”（任务指标）：目标应大于 0。' });
    const negative = await tap(h, P.editor, form, save, { formValue: formValue({ q1: '-1' }) });
    expect(negative.res.toast?.content).toBe('规则未保存，请修改后重新发送：\n1. “quotas.1.target”（任务指标）：目标应大于 0。');
    const word = await tap(h, P.editor, form, save, { formValue: formValue({ q2: '两' }) });
    expect(word.res.toast).toEqual({ type: 'error', content: '未保存：“月度送审目标篇数”应为数字。' });
    const blank = await tap(h, P.editor, form, save, { formValue: formValue({ q2: '' }) });
    expect(blank.res.toast?.content).toBe('未保存：“月度送审目标篇数”应为数字。');
    expect(await h.db.db.select().from(scoreRuleVersions)).toEqual([]);

    const saved = await tap(h, P.editor, form, save, { formValue: formValue({ q0: '6', pub0: '3', ia_city: '4' }) });
    expect(saved.res.toast).toEqual({ type: 'success', content: '已保存第2版规则' });
    const card = cardText(saved.card.content);
    expect(card).toContain('**刊物分值**：无（按县级采用分值） → 《XX组工信息》3 分');
    expect(card).toContain('**整期采用分值**：未设（按采用分值） → 市级 4');
    expect(card).toContain('调研文稿：全县每月 4 篇（调研文稿采用）；精品稿件：每单位每年 3 篇（市级及以上采用）；月度送审：每单位每月 2 篇（送审）（初始设置） → 调研文稿：全县每月 6 篇（调研文稿采用）；精品稿件');
    const [version] = await h.db.db.select().from(scoreRuleVersions);
    expect(version!.rules).toMatchObject({ publications: { XX组工信息: 3 }, issue_adoption: { city: 4 } });
    expect((version!.rules as { quotas: { name: string; target: number }[] }).quotas.map((q) => [q.name, q.target])).toEqual([
      ['调研文稿', 6],
      ['精品稿件', 3],
      ['月度送审', 2],
    ]);

    // Clearing the publication's field in a later version removes its points, not merely keeps them.
    const again = await ask(h, P.editor, '规则表单');
    expect(findButton(again.content, '保存为新版本')).toMatchObject({ pubs: ['XX组工信息'] });
    const cleared = await tap(h, P.editor, again, findButton(again.content, '保存为新版本'), {
      formValue: formValue({ q0: '6', pub0: '', ia_city: '4', date: '2027-01-01 +0800' }),
    });
    expect(cardText(cleared.card.content)).toContain('**刊物分值**：《XX组工信息》3 分 → 无（按县级采用分值）');

    expect(await quotaLines(h, '2026-11')).toContain('调研文稿（全县每月 4 篇（调研文稿采用））');
    h.clock.set('2026-12-02T02:00:00Z');
    expect(await quotaLines(h, '2026-11')).toContain('调研文稿（全县每月 4 篇（调研文稿采用））');
    expect(await quotaLines(h, '2026-12')).toContain('调研文稿（全县每月 6 篇（调研文稿采用））');
    const template = await askText(h, P.editor, '规则 模板');
    expect(template).toContain('publications: { XX组工信息: 3 }');
    expect(template).toContain('quotas: [ { name: 调研文稿, scope: county, per: month, target: 6');
    expectAllCardsValid(h);
  });

  it('年度评比 judges each month against the quotas in force for that month', async () => {
    h = await Harness.start({ start: '2026-09-10T02:00:00Z', env: { RANKING_QUOTAS: JSON.stringify([{ ...ENV_QUOTAS[0], target: 1 }]) } });
    await ask(h, P.editor, '规则 生效 2026-10-01\nquotas: [{name: 月度送审, scope: unit, per: month, target: 2, measure: submitted}]');
    // 城关镇 submits one piece in September and one in October.
    await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    h.clock.set('2026-10-12T02:00:00Z');
    await approvedDraft(h, P.officer1, '城关镇开展党员冬训');

    h.clock.set('2026-11-15T02:00:00Z');
    await h.sendText(P.editor, '年度评比 2026');
    await h.settle();
    const wb = await readWorkbook(h.fake.uploadedFiles.at(-1)!.bytes);
    const detail = wb.getWorksheet('按月完成')!;
    const rows = Array.from({ length: detail.rowCount - 2 }, (_, i) => rowValues(detail, i + 3)).filter((r) => r[0] === '城关镇');
    expect(rows.map((r) => r.slice(2))).toEqual([
      ...Array.from({ length: 8 }, (_, i) => [`2026年${i + 1}月`, 0, 1, '未达标']),
      ['2026年9月', 1, 1, '达标'],
      ['2026年10月', 1, 2, '未达标'],
      ['2026年11月', 0, 2, '进行中'],
    ]);
    // The year's columns are the year's version (in force today): 2 a month, 24 a year; 1 of 10 months met.
    const summary = wb.getWorksheet('任务完成')!;
    expect(rowValues(summary, 2)).toEqual(['单位', '月度送审完成', '月度送审目标', '月度送审是否达标', '月度送审达标期数', '月度送审考核期数']);
    expect(rowValues(summary, 3)).toEqual(['城关镇', 2, 24, '未达标', 1, 10]);
  });
});

