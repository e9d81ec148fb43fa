import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { auditLog, scoreRuleVersions } from '../../db/schema/index.js';
import { cardText, Harness, P } from '../helpers/harness.js';
import { adoptAll, approvedDraft, ask, askText, expectAllCardsValid } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('积分: why this score, who may see it', { timeout: 90_000 }, () => {
  it('officers and reviewers see their own unit; editors and leaders see all', async () => {
    h = await Harness.start({ start: '2026-11-10T02:00:00Z' });
    await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');
    await approvedDraft(h, P.officer3, '东街街道志愿服务月');
    await adoptAll(h, ['城关镇网格化治理见成效', '东街街道党建引领物业管理', '东街街道志愿服务月']);

    const own = await ask(h, P.officer1, '积分');
    expect(cardText(own.content)).toContain('城关镇 · 2026年11月积分');
    expect(cardText(own.content)).toContain('合计 **1** 分，共 1 条记分。');
    expect(cardText(own.content)).toMatch(/2026年11月10日　\*\*\+1\*\*　《城关镇网格化治理见成效》编入《XX组工信息》2026年第1期（县级采用）：第1版规则 县级采用 1 分/);

    expect(await askText(h, P.officer1, '积分 东街街道')).toBe('您只能查看本单位（城关镇）的积分。');
    const reviewer = await ask(h, P.reviewer2, '积分 东街 2026-11');
    expect(cardText(reviewer.content)).toContain('东街街道 · 2026年11月积分');
    expect(cardText(reviewer.content)).toContain('合计 **2** 分，共 2 条记分。');

    const overview = await ask(h, P.editor, '积分');
    expect(cardText(overview.content)).toContain('2026年11月各单位积分');
    expect(cardText(overview.content)).toContain('1. 东街街道　**2** 分（2 条）\n2. 城关镇　**1** 分（1 条）');
    const leader = await ask(h, P.leader, '积分 城关镇 2026-11');
    expect(cardText(leader.content)).toContain('合计 **1** 分');
    const october = await ask(h, P.leader, '积分 城关镇 2026-10');
    expect(cardText(october.content)).toContain('本期间没有记分。');

    expect(await askText(h, P.stranger, '积分')).toBe('积分查询仅对信息员、组织委员、研究室和部领导开放。');
    expectAllCardsValid(h);
  });
});

describe('规则: scoring rules as versioned data', { timeout: 90_000 }, () => {
  it('shows the rules, hands out the template, and saves a change sent as YAML, with what changed', async () => {
    h = await Harness.start({ start: '2026-11-12T02:00:00Z' });
    const rules = await ask(h, P.officer1, '规则');
    expect(cardText(rules.content)).toContain('积分规则 · 第1版');
    expect(cardText(rules.content)).toContain('**采用分值**：县级 1 · 市级 5 · 省级 10 · 中央 30');
    expect(cardText(rules.content)).toContain('**领导批示加分**：县级 0 · 市级 10 · 省级 20 · 中央 30（累加）');

    const template = await askText(h, P.editor, '规则 模板');
    expect(template).toContain('points: { county: 1, city: 5, province: 10, central: 30 }');
    expect(template).toContain('cap_per_unit_per_quarter: null');

    // The whole template sent back with a header: longer than a command, so it takes the handler path.
    const yaml = template.slice(template.indexOf('# ')).replace('cap_per_unit_per_quarter: null', 'cap_per_unit_per_quarter: 40').replace('county: 1, city: 5', 'county: 2, city: 5');
    expect(yaml.length).toBeGreaterThan(300);
    const saved = await ask(h, P.editor, `规则 生效 2026-12-01\n${yaml}`);
    const text = cardText(saved.content);
    expect(text).toContain('已保存第2版积分规则');
    expect(text).toContain('**采用分值**：县级 1 · 市级 5 · 省级 10 · 中央 30 → 县级 2 · 市级 5 · 省级 10 · 中央 30');
    expect(text).toContain('**每单位每季度上限**：不设上限 → 40 分');
    expect(text.slice(0, text.indexOf('**新规则全文**'))).not.toContain('**综合稿**：');

    const [row] = await h.db.db.select().from(scoreRuleVersions);
    expect(row).toMatchObject({ version: 2, effectiveFrom: '2026-12-01', createdBy: P.editor });
    expect(row!.rules).toMatchObject({ points: { county: 2 }, cap_per_unit_per_quarter: 40, merged: { credit: 'full', points: { county: 0.5 } } });
    const [audit] = await h.db.db.select().from(auditLog).where(eq(auditLog.entityType, 'score_rules'));
    expect(audit).toMatchObject({ action: 'rules.create', actor: P.editor, entityId: '2' });

    // A short change takes the command path; keys left out are kept from the version in force then.
    const short = await ask(h, P.editor, '规则 生效 2027-01-01\ntopic: {late: -1}');
    expect(cardText(short.content)).toContain('已保存第3版积分规则');
    expect(cardText(short.content)).toContain('替代第2版');
    const versions = await h.db.db.select().from(scoreRuleVersions).orderBy(asc(scoreRuleVersions.version));
    expect(versions[1]!.rules).toMatchObject({ points: { county: 2 }, topic: { on_time: 2, late: -1, missing: 0 }, cap_per_unit_per_quarter: 40 });

    const now = await ask(h, P.editor, '规则');
    expect(cardText(now.content)).toContain('积分规则 · 第1版');
    expect(cardText(now.content)).toContain('- 第2版：2026-12-01 起生效\n- 第3版：2027-01-01 起生效');
    expectAllCardsValid(h);
  });

  it.each([
    ['规则 生效 2026-11-12\npoints: {county: 2}', '生效日期须晚于今天（2026-11-12）：已发生的记分按当时的规则计算，规则变更不改写历史。'],
    ['规则 生效 2026-13-01\npoints: {county: 2}', '生效日期“2026-13-01”无法识别，请写成 YYYY-MM-DD，例如 2026-12-01。'],
    ['规则 生效 2026-12-01', '请在第一行之后写要修改的项，例如：\n规则 生效 2027-01-01\ncap_per_unit_per_quarter: 40\n发送“规则 模板”可获取全部可改的项。'],
    ['规则 生效 2026-12-01\npoints： {county: 2}', '“points： {county”中有中文标点：请使用英文半角的冒号、逗号和括号'],
    ['规则 生效 2026-12-01\npoints: {county: 2', '规则格式有误（规则第 1 行），未保存。'],
    ['规则 生效 2026-12-01\npoint: {county: 2}\nouts: highest', '规则未保存，请修改后重新发送：\n1. 不认识的项“point”。'],
    [
      '规则 生效 2026-12-01\npoints: {county: -1, town: 3}\nmerged: {credit: half}\ncap_per_unit_per_quarter: 0',
      '规则未保存，请修改后重新发送：\n1. “points.county”（采用分值）：不能为负数。\n2. “points”（采用分值）中有不认识的项：town。\n3. “merged.credit”（综合稿）：只能是 split（各单位平分）或 full（每个单位全额）。\n4. “cap_per_unit_per_quarter”（季度上限）：应大于 0。',
    ],
    ['规则 生效 2026-12-01\nmultipliers: {理论文章: 2}', '“multipliers”（分类倍数）'],
  ])('refuses %j with a clear Chinese message and saves nothing', async (message, expected) => {
    h = await Harness.start({ start: '2026-11-12T02:00:00Z' });
    const reply = await askText(h, P.editor, message);
    expect(reply).toContain(expected);
    expect(await h.db.db.select().from(scoreRuleVersions)).toHaveLength(0);
  });

  it('only editors may change the rules', async () => {
    h = await Harness.start({ start: '2026-11-12T02:00:00Z' });
    expect(await askText(h, P.leader, '规则 生效 2026-12-01\npoints: {county: 9}')).toBe('只有研究室可以修改积分规则。');
    expect(await askText(h, P.officer1, '规则 模板')).toBe('只有研究室可以修改积分规则。');
    expect(await h.db.db.select().from(scoreRuleVersions)).toHaveLength(0);
  });

  it('a rule change in the middle of the month prices each adoption by its own date', async () => {
    h = await Harness.start({ start: '2026-11-10T02:00:00Z' });
    await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await adoptAll(h, ['城关镇网格化治理见成效']); // 11-10 under v1: 1
    await ask(h, P.editor, '规则 生效 2026-11-16\npoints: {county: 3}');
    h.clock.set('2026-11-20T02:00:00Z');
    await approvedDraft(h, P.officer1, '城关镇开展党员冬训');
    await adoptAll(h, ['城关镇开展党员冬训']); // 11-20 under v2: 3
    const score = await ask(h, P.officer1, '积分 2026-11');
    const text = cardText(score.content);
    expect(text).toContain('合计 **4** 分，共 2 条记分。');
    expect(text).toContain('2026年11月10日　**+1**　《城关镇网格化治理见成效》编入《XX组工信息》2026年第1期（县级采用）：第1版规则 县级采用 1 分');
    expect(text).toContain('2026年11月20日　**+3**　《城关镇开展党员冬训》编入《XX组工信息》2026年第1期（县级采用）：第2版规则 县级采用 3 分');
  });
});
