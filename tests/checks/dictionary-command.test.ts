import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { auditLog, dictionaryEntries } from '../../db/schema/index.js';
import { runChecks } from '../../domain/checks/run-checks.js';
import { defaultEntries } from '../../domain/checks/dictionary-defaults.js';
import { Harness, P } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function say(who: string, text: string): Promise<string> {
  const before = h!.textsTo(who).length;
  await h!.sendText(who, text);
  await h!.settle();
  const texts = h!.textsTo(who);
  expect(texts.length).toBe(before + 1);
  return texts[texts.length - 1]!;
}

async function kindsFound(paragraph: string) {
  const findings = await runChecks(h!.db.db, { title: '城关镇推进党建工作', paragraphs: [paragraph], category: '组工信息', unitId: 1, now: h!.clock.now() });
  return findings.filter((f) => f.kind !== 'length').map((f) => `${f.kind}:${f.message}`);
}

// Each test boots the whole app against the fake Lark: slow on a loaded 2-core box.
describe('词库: editors own the dictionaries', { timeout: 90_000 }, () => {
  it('an editor adds a typo and a sensitive word, removes a default; the next check uses them; every change is a row and audited', async () => {
    h = await Harness.start();
    const clean = '今年以来，城关镇大力推进基层党建标准化建设，群众满意度持续提升。';
    expect(await kindsFound(clean)).toEqual([]);

    expect(await say(P.editor, '词库 添加 易错 标淮化 标准化')).toBe('已添加易错词：“标淮化” → “标准化”。此后提交的稿件按新词库检查。');
    expect(await say(P.editor, '词库 添加 敏感 满意度 数据须经统计部门核实')).toBe('已添加敏感词：“满意度”。此后提交的稿件按新词库检查。');
    expect(await kindsFound('今年以来，城关镇大力推进基层党建标淮化建设，群众满意度持续提升。')).toEqual([
      'sensitive:含敏感词“满意度”：数据须经统计部门核实。',
      'typo:“标淮化”应为“标准化”。',
    ]);

    // A default entry removed by an editor is no longer reported; the data file is untouched.
    expect(await kindsFound('村里新按装了路灯。')).toEqual(['typo:“按装”应为“安装”。']);
    expect(await say(P.editor, '词库 删除 易错 按装')).toBe('已删除易错词：“按装”。此后提交的稿件按新词库检查。');
    expect(await kindsFound('村里新按装了路灯。')).toEqual([]);
    expect(defaultEntries('typo').some((e) => e.term === '按装')).toBe(true);

    const rows = await h.db.db.select().from(dictionaryEntries).orderBy(asc(dictionaryEntries.id));
    expect(rows.map((r) => [r.kind, r.op, r.term, r.replacement, r.actor])).toEqual([
      ['typo', 'add', '标淮化', '标准化', P.editor],
      ['sensitive', 'add', '满意度', '数据须经统计部门核实', P.editor],
      ['typo', 'remove', '按装', null, P.editor],
    ]);
    const audit = await h.db.db.select().from(auditLog).where(eq(auditLog.entityType, 'dictionary')).orderBy(asc(auditLog.id));
    expect(audit.map((a) => [a.action, a.actor, (a.data as { term: string }).term])).toEqual([
      ['dictionary_add', P.editor, '标淮化'],
      ['dictionary_add', P.editor, '满意度'],
      ['dictionary_remove', P.editor, '按装'],
    ]);

    // Adding it back restores it: the latest change to a term wins.
    await say(P.editor, '词库 添加 易错 按装 安装');
    expect(await kindsFound('村里新按装了路灯。')).toEqual(['typo:“按装”应为“安装”。']);
  });

  it('lists a dictionary with its size and the latest changes; reviewers may list, not change', async () => {
    h = await Harness.start();
    await say(P.editor, '词库 添加 规范 乡村振兴战略规划 乡村振兴战略');
    const list = await say(P.reviewer1, '词库 列表 规范');
    expect(list).toContain(`规范表述词库：共 ${defaultEntries('wording').length + 1} 条`);
    expect(list).toContain('十八大以来 → 党的十八大以来');
    expect(list).toContain('王研究 添加 乡村振兴战略规划 → 乡村振兴战略');

    expect(await say(P.reviewer1, '词库 添加 易错 某某 某')).toBe('只有研究室可以修改词库。');
    expect(await say(P.officer1, '词库 列表 易错')).toBe('只有研究室和审核人可以查看词库。');
    expect(await h.db.db.select().from(dictionaryEntries)).toHaveLength(1);
  });

  it('explains its usage and refuses changes that change nothing', async () => {
    h = await Harness.start();
    expect(await say(P.editor, '词库')).toContain('词库 添加 易错 按装 安装');
    expect(await say(P.editor, '词库 添加 易错 按装')).toContain('请同时写出正确写法');
    expect(await say(P.editor, '词库 添加 易错 按装 安装')).toBe('“按装”已在易错词词库中，无需重复添加。');
    expect(await say(P.editor, '词库 删除 敏感 不存在的词')).toContain('敏感词词库中没有“不存在的词”');
    expect(await h.db.db.select().from(dictionaryEntries)).toHaveLength(0);
  });
});
