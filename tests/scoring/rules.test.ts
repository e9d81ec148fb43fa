import { describe, expect, it } from 'vitest';
import { UserError } from '../../bot/errors.js';
import { defaultRuleSet, parseRulesYaml } from '../../domain/scoring/parse-rules.js';
import { normalizeDate, ruleInForce, type RuleVersion } from '../../domain/scoring/rule-versions.js';
import { rulesToYaml } from '../../domain/scoring/rules-yaml.js';

const base = () => defaultRuleSet().rules;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err.userMessage;
    throw err;
  }
  throw new Error('expected a UserError');
}

describe('scoring rules as data', () => {
  it('the shipped default follows the published county rule', () => {
    const r = base();
    expect(r.points).toEqual({ county: 1, city: 5, province: 10, central: 30 });
    expect(r.merged).toEqual({ credit: 'full', points: { county: 0.5 } });
    expect(r.endorsement.points).toMatchObject({ city: 10, province: 20, central: 30 });
    expect(r.topic.on_time).toBe(2);
    expect(r.cap_per_unit_per_quarter).toBeNull();
  });

  it('a partial change keeps everything it does not mention, key by key', () => {
    const r = parseRulesYaml('points: {city: 6}\nmultipliers: {调研文稿: 2}', base());
    expect(r.points).toEqual({ county: 1, city: 6, province: 10, central: 30 });
    expect(r.multipliers).toEqual({ 调研文稿: 2 });
    expect(r.merged).toEqual(base().merged);
  });

  it('indented block YAML works as well as the one-line form', () => {
    const r = parseRulesYaml('endorsement:\n  points:\n    central: 40\n  combine: highest\n', base());
    expect(r.endorsement).toEqual({ points: { county: 0, city: 10, province: 20, central: 40 }, combine: 'highest' });
  });

  it('the template an editor gets back parses to the same rules', () => {
    const r = parseRulesYaml('cap_per_unit_per_quarter: 25\ncategory_points: {网评文章: {county: 0.5}}', base());
    expect(parseRulesYaml(rulesToYaml(r), base())).toEqual(r);
  });

  it('reports problems in Chinese, all at once', () => {
    expect(errorOf(() => parseRulesYaml('outlets: both\ntopic: {on_time: two}', base()))).toBe(
      '规则未保存，请修改后重新发送：\n1. “outlets”（多处采用）：只能是 highest（只计最高）或 cumulative（累加）。\n2. “topic.on_time”（点题时效）：应为数字。',
    );
    expect(errorOf(() => parseRulesYaml('- a\n- b', base()))).toContain('规则应写成“项: 值”的形式');
    expect(errorOf(() => parseRulesYaml('version: 3', base()))).toContain('“version”不用写');
  });

  it('任务指标: a list replaces the previous one whole, checked with the quota schema, in Chinese', () => {
    const one = '[{name: 网评, scope: unit, per: quarter, target: 5, measure: approved, category: 网评文章}]';
    const r = parseRulesYaml(`quotas: ${one}`, base());
    expect(r.quotas).toEqual([{ name: '网评', scope: 'unit', per: 'quarter', target: 5, measure: 'approved', category: '网评文章' }]);
    expect(base().quotas).toBeUndefined();
    // A later change of another key keeps the list; a new list replaces it, not merges by position.
    expect(parseRulesYaml('points: {city: 6}', r).quotas).toEqual(r.quotas);
    expect(parseRulesYaml('quotas: [{name: 送审, scope: county, per: month, target: 9, measure: submitted}]', r).quotas).toEqual([
      { name: '送审', scope: 'county', per: 'month', target: 9, measure: 'submitted' },
    ]);
    expect(parseRulesYaml(rulesToYaml(r), base())).toEqual(r);
    expect(
      errorOf(() =>
        parseRulesYaml('quotas: [{name: 网评, scope: town, per: month, target: 0, measure: submitted}, {name: 网评, scope: unit, per: year, target: two, measure: approved, minLevel: city}]', base()),
      ),
    ).toBe(
      '规则未保存，请修改后重新发送：\n' +
        '1. “quotas.0.scope”（任务指标）：scope 只能是 county（全县合计）或 unit（每个单位）。\n' +
        '2. “quotas.0.target”（任务指标）：目标应大于 0。\n' +
        '3. “quotas.1.target”（任务指标）：目标应为数字。',
    );
    expect(errorOf(() => parseRulesYaml('quotas: [{name: 网评, scope: unit, per: year, target: 1, measure: approved, minLevel: city}]', base()))).toBe(
      '规则未保存，请修改后重新发送：\n1. “quotas.0”（任务指标）：minLevel 只能用于 measure 为 adopted 的指标。',
    );
    expect(errorOf(() => parseRulesYaml(`quotas: [${one.slice(1, -1)}, ${one.slice(1, -1)}]`, base()))).toContain('任务指标的名称不能重复');
    expect(errorOf(() => parseRulesYaml('quotas: {name: 网评}', base()))).toContain('“quotas”（任务指标）：应写成任务指标的列表');
  });

  it('reads dates strictly and picks the version in force on a local date', () => {
    expect(normalizeDate('2026-12-1')).toBe('2026-12-01');
    expect(normalizeDate('2026-02-30')).toBeUndefined();
    expect(normalizeDate('明天')).toBeUndefined();
    const v = (version: number, effectiveFrom: string) => ({ version, effectiveFrom }) as RuleVersion;
    const versions = [v(1, '2000-01-01'), v(2, '2026-11-16'), v(4, '2026-11-16'), v(3, '2026-12-01')].sort((a, b) =>
      a.effectiveFrom === b.effectiveFrom ? a.version - b.version : a.effectiveFrom < b.effectiveFrom ? -1 : 1,
    );
    expect(ruleInForce(versions, '2026-11-15').version).toBe(1);
    expect(ruleInForce(versions, '2026-11-16').version).toBe(4);
    expect(ruleInForce(versions, '2026-12-31').version).toBe(3);
  });
});
