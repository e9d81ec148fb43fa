import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { auditLog, scoreAdjustments } from '../../db/schema/index.js';
import { cardText, Harness, P } from '../helpers/harness.js';
import { adoptAll, approvedDraft, ask, askText, expectAllCardsValid } from '../desk/flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('考核 and manual 加分/扣分 through the bot', { timeout: 120_000 }, () => {
  it('records, shows, revokes and back-dates adjustments; the table follows; bad input is refused', async () => {
    h = await Harness.start({ start: '2026-11-10T02:00:00Z' });
    const d = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await adoptAll(h, ['城关镇网格化治理见成效']);

    // Bad input first: nothing is recorded.
    expect(await askText(h, P.editor, '扣分 城关镇 2 组工信息')).toBe('请写明加分或扣分的原因，例如：扣分 城关镇 10 组工信息 信息失实。');
    expect(await askText(h, P.editor, '加分 城关镇 3 专项工作 专项工作加分')).toBe(
      '考核项“专项工作”不在 2026-11-10 执行的考核表中。可用的考核项：组工信息、调研文稿、网评文章、上级媒体稿件、时效。',
    );
    expect(await askText(h, P.editor, '扣分 城关镇 -2 组工信息 失实')).toContain('分值“-2”应为正数（扣分的方向由命令决定）。');
    expect(await askText(h, P.editor, '扣分 城关镇 2 组工信息 失实 2026-12-01')).toBe('日期 2026-12-01 晚于今天（2026-11-10）：加分、扣分记在事情发生的日期。');
    expect(await askText(h, P.officer1, '加分 城关镇 2 组工信息 自己加分')).toBe('只有研究室可以加分。');
    expect(await h.db.db.select().from(scoreAdjustments)).toEqual([]);

    const deduction = await askText(h, P.editor, `扣分 城关镇 0.5 组工信息 信息失实 2026-11-09 ${d.serial}`);
    const [row] = await h.db.db.select().from(scoreAdjustments);
    expect(row).toMatchObject({ cents: -50, section: '组工信息', reason: '信息失实', occurredOn: '2026-11-09', draftId: d.id, officerOpenId: P.officer1, status: 'active' });
    expect(deduction).toBe(
      `已记录第${row!.id}号扣分：城关镇 −0.5 分（组工信息），原因：信息失实，日期 2026年11月9日，稿件 ${d.serial}。\n如需撤销：撤销加扣分 ${row!.id} 原因`,
    );

    // 1 − 0.5 = 0.5 of the cap 100 → 2.5 of 500.
    const table = cardText((await ask(h, P.editor, '考核 2026')).content);
    expect(table).toContain('2026年度考核（满分 1000 分）');
    expect(table).toContain('**1. 城关镇　2.5 分**\n组工信息 0.5 → 2.5 · 调研文稿 0 → 0 · 网评文章 0 → 0 · 上级媒体稿件 0 → 0 · 时效 0 → 0');
    expect(table).toContain('**2. 东街街道　0 分**');
    const own = cardText((await ask(h, P.officer3, '考核')).content);
    expect(own).toContain('**2. 东街街道　0 分**');
    expect(own).not.toContain('城关镇');

    const score = cardText((await ask(h, P.officer1, '积分 城关镇 2026-11')).content);
    expect(score).toContain(`2026年11月9日　**-0.5**　扣分：信息失实（第${row!.id}号调整，研究室记录）（考核项：组工信息）`);
    expect(score).toContain('2026年11月10日　**+1**　《城关镇网格化治理见成效》编入《XX组工信息》2026年第1期（县级采用）：第1版规则 县级采用 1 分（考核项：组工信息）');

    expect(await askText(h, P.editor, `撤销加扣分 ${row!.id}`)).toBe(`请写明撤销原因，例如：撤销加扣分 ${row!.id} 经核实情况属实。`);
    expect(await askText(h, P.editor, `撤销加扣分 ${row!.id} 经核实不属实`)).toBe(
      `已撤销第${row!.id}号扣分（2026年11月9日，-0.5 分，信息失实），撤销原因：经核实不属实。记录保留备查。`,
    );
    expect(await askText(h, P.editor, `撤销加扣分 ${row!.id} 再来一次`)).toBe(`第${row!.id}号加分扣分已于 2026年11月10日 撤销，无需重复撤销。`);
    expect(cardText((await ask(h, P.leader, '考核 2026')).content)).toContain('**1. 城关镇　5 分**');

    // In January, a criticism from December: the closed year is re-priced, and the reply says so.
    h.clock.set('2027-01-05T02:00:00Z');
    expect(await askText(h, P.editor, '扣分 城关 1 时效 被上级通报批评 2026-12-30')).toContain('该日期属于已结束的2026年度：该年度的积分、排行和考核已按此重新计算。');
    // 5 from 组工信息, −1 of the cap 20 in 时效 → −5 of 100.
    expect(cardText((await ask(h, P.leader, '考核 2026')).content)).toContain('**1. 城关镇　0 分**\n组工信息 1 → 5 · 调研文稿 0 → 0 · 网评文章 0 → 0 · 上级媒体稿件 0 → 0 · 时效 -1 → -5');

    // The officer's own figures and the officers' ranking (the revoked 扣分 named 赵信息; the last names no one).
    expect(cardText((await ask(h, P.officer1, '积分 我 2026')).content)).toContain('个人得分 **1** 分（城关镇）\n报送 1 · 通过 1 · 采用 县级1 市级0 省级0 中央0');
    expect(cardText((await ask(h, P.editor, '排行 个人 2026')).content)).toContain('1. 赵信息（城关镇）　**1** 分　报送 1 · 通过 1 · 采用 县级1 市级0 省级0 中央0');
    expect(await askText(h, P.officer1, '排行 个人 2026')).toBe('信息员个人排行仅限研究室和部领导查看。个人得分可发送“积分 我”查看。');

    const audit = await h.db.db.select().from(auditLog).where(eq(auditLog.entityType, 'score_adjustment')).orderBy(asc(auditLog.id));
    expect(audit.map((a) => [a.action, a.reason])).toEqual([
      ['adjustment.create', '信息失实'],
      ['adjustment.revoke', '经核实不属实'],
      ['adjustment.create', '被上级通报批评'],
    ]);
    expectAllCardsValid(h);
  });
});
