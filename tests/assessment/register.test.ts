import { readWorkbook, rowValues } from '../helpers/workbook.js';
import { afterEach, describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import { bulletinIssues, recognitions, upwardSubmissions } from '../../db/schema/index.js';
import { cardText, findButton, Harness, P } from '../helpers/harness.js';
import { adoptAll, approvedDraft, ask, askText, expectAllCardsValid, signIssue, tap } from '../desk/flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('报送登记: the upward register and its 采用率', { timeout: 120_000 }, () => {
  it('a hand-built year: entries, adoptions that score once, refusals, the statistics, and the 年度评比 workbook read back', async () => {
    h = await Harness.start({ start: '2026-10-09T02:00:00Z' });
    const a = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    const b = await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');
    const c = await approvedDraft(h, P.officer2, '城关镇开展党员冬训');
    const d = await approvedDraft(h, P.officer1, '城关镇志愿服务月');
    await adoptAll(h, ['城关镇网格化治理见成效', '东街街道党建引领物业管理', '城关镇开展党员冬训']);
    h.clock.set('2026-11-15T02:00:00Z');

    const first = await askText(h, P.editor, `报送登记 ${a.serial} 市委组织部 系统报送 2026-10-12`);
    const [e1] = await h.db.db.select().from(upwardSubmissions);
    expect(first).toBe(
      `已登记第${e1!.id}号报送：稿件 ${a.serial}，2026年10月12日以系统报送方式报送市委组织部（市级）。\n被采用后发送：报送采用 ${e1!.id} 刊物名称 [期号] [日期]；未采用发送：报送未采用 ${e1!.id}`,
    );
    await askText(h, P.editor, `报送登记 ${a.serial} 自治区党委组织部 邮件 2026-10-20`);
    await askText(h, P.editor, `报送登记 ${b.serial} 市委组织部 系统报送 2026-11-02`);
    await askText(h, P.editor, `报送登记 ${c.serial} 组工通讯 纸质 中央 2026-11-03`);
    // Refused: a piece the county never adopted; a recipient whose level cannot be told; a channel.
    expect(await askText(h, P.editor, `报送登记 ${d.serial} 市委组织部 邮件`)).toBe(
      `稿件 ${d.serial}《城关镇志愿服务月》未被县级采用（未编入本县刊物），不能登记报送。请先在待编稿件中采用，或核对稿件编号。`,
    );
    expect(await askText(h, P.editor, `报送登记 ${c.serial} 某某杂志 邮件`)).toBe(
      `请写明“某某杂志”的级别：市级、省级或中央，例如：报送登记 ${c.serial} 某某杂志 邮件 省级`,
    );
    expect(await askText(h, P.editor, `报送登记 ${c.serial} 市委组织部 传真`)).toBe('报送方式“传真”无法识别，请写 系统报送、邮件、纸质 之一。');
    expect(await askText(h, P.officer1, `报送登记 ${a.serial} 市委组织部 邮件`)).toBe('只有研究室可以登记报送。');

    const ids = (await h.db.db.select().from(upwardSubmissions).orderBy(asc(upwardSubmissions.id))).map((e) => e.id);
    expect(ids).toHaveLength(4);
    const [id1, id2, id3] = ids as [number, number, number, number];
    expect(await askText(h, P.editor, `报送采用 ${id1} 市委组工信息 2026年第5期 2026-10-25`)).toBe(
      `第${id1}号报送已登记为市级采用（市委组工信息 2026年第5期，2026年10月25日），按积分规则计分。`,
    );
    await askText(h, P.editor, `报送采用 ${id3} 市委组工信息 2026-11-10`);
    expect(await askText(h, P.editor, `报送未采用 ${id2}`)).toBe(`第${id2}号报送已登记为未采用。`);

    // The same piece sent again by mail and the same city adoption entered a second time: refused.
    await askText(h, P.editor, `报送登记 ${a.serial} 市委组织部 邮件 2026-11-01`);
    const again = (await h.db.db.select().from(upwardSubmissions).orderBy(asc(upwardSubmissions.id))).at(-1)!.id;
    expect(await askText(h, P.editor, `报送采用 ${again} 市委组工信息 2026-11-12`)).toBe(
      `这次采用已经登记过：2026年10月25日 市级采用（市委组工信息），见报送登记第${id1}号。同一采用不重复登记，以免重复计分。`,
    );
    expect(await askText(h, P.editor, `报送采用 ${id1} 市委组工信息`)).toBe(`第${id1}号报送登记已标记为采用，不重复登记。`);
    // One recognition per adoption, confirmed: it is what scores.
    const recs = await h.db.db.select().from(recognitions).orderBy(asc(recognitions.id));
    expect(recs.map((r) => [r.kind, r.level, r.outlet, r.occurredOn, r.status])).toEqual([
      ['upper_adoption', 'city', '市委组工信息', '2026-10-25', 'confirmed'],
      ['upper_adoption', 'city', '市委组工信息', '2026-11-10', 'confirmed'],
    ]);
    const score = cardText((await ask(h, P.officer1, '积分 城关镇 2026-10')).content);
    expect(score).toContain('2026年10月25日　**+4**　《城关镇网格化治理见成效》被市级采用（市委组工信息）');

    // Five entries in 2026: city 3 (2 adopted), province 1, central 1; October 2 (1), November 3 (1).
    const stats = cardText((await ask(h, P.leader, '报送统计 2026')).content);
    expect(stats).toContain('**合计：报送 5 篇，采用 2 篇，采用率 40%**');
    expect(stats).toContain('**按级别**\n市级：报送 3 篇，采用 2 篇，采用率 66.7%\n省级：报送 1 篇，采用 0 篇，采用率 0%\n中央：报送 1 篇，采用 0 篇，采用率 0%');
    expect(stats).toContain('**按报送对象**\n市委组织部：报送 3 篇，采用 2 篇，采用率 66.7%\n自治区党委组织部：报送 1 篇，采用 0 篇，采用率 0%\n组工通讯：报送 1 篇，采用 0 篇，采用率 0%');
    expect(stats).toContain('10月：报送 2 篇，采用 1 篇，采用率 50%\n11月：报送 3 篇，采用 1 篇，采用率 33.3%');
    expect(cardText((await ask(h, P.leader, '报送统计 2025')).content)).toContain('**合计：报送 0 篇，采用 0 篇，采用率 —**');
    expect(await askText(h, P.officer1, '报送统计')).toBe('只有研究室和部领导可以查看报送统计。');
    expectAllCardsValid(h);

    // The same year closed in the 年度评比 workbook, with a 扣分 of 2 in 时效 for 城关镇.
    await askText(h, P.editor, '扣分 城关镇 2 时效 被上级通报批评 2026-11-14');
    expect(await askText(h, P.officer1, '年度评比 2026')).toBe('只有研究室和部领导可以导出年度评比。');
    await h.sendText(P.leader, '年度评比 2026');
    await h.settle();
    expect(h.textsTo(P.leader).at(-1)).toBe('2026年度评比表（第1版规则）：2 个单位、3 名信息员、6 条记分，见下方 Excel 文件。');
    expect(h.fake.uploadedFiles).toHaveLength(1);
    const upload = h.fake.uploadedFiles[0]!;
    expect(upload.fileName).toBe('年度评比_2026.xlsx');
    const wb = await readWorkbook(upload.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['单位考核', '个人统计', '任务完成', '按月完成', '记分明细', '报送统计']);

    const units = wb.getWorksheet('单位考核')!;
    expect(String(rowValues(units, 1)[0])).toContain('2026年度信息工作考核（满分 1000 分，第1版规则“县组工信息积分办法”');
    expect(rowValues(units, 2).slice(0, 5)).toEqual(['名次', '单位', '组工信息得分', '组工信息计分（上限 100）', '组工信息折算（权重 500）']);
    expect(rowValues(units, 2).at(-1)).toBe('总分');
    // 东街街道: 1 + 4 = 5 of 100 → 25. 城关镇: 1 + 1 + 4 = 6 → 30, and −2 of 20 in 时效 → −10: 20.
    expect(rowValues(units, 3)).toEqual([1, '东街街道', 5, 5, 25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25]);
    expect(rowValues(units, 4)).toEqual([2, '城关镇', 6, 6, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, -2, -2, -10, 20]);
    expect(units.getColumn(2).width).toBe(20);

    const officers = wb.getWorksheet('个人统计')!;
    expect(rowValues(officers, 2)).toEqual(['名次', '姓名', '单位', '报送', '通过', '县级采用', '市级采用', '省级采用', '中央采用', '得分']);
    expect([3, 4, 5].map((r) => rowValues(officers, r))).toEqual([
      [1, '赵信息', '城关镇', 2, 2, 1, 1, 0, 0, 5],
      [1, '吴信息', '东街街道', 1, 1, 1, 1, 0, 0, 5],
      [3, '钱信息', '城关镇', 1, 1, 1, 0, 0, 0, 1],
    ]);

    // Default quotas: 3 flagship pieces (city or above) a year; 2 submissions a month, 24 a year,
    // judged month by month too: January to October are over (城关镇 met October with 3), November runs.
    const quotas = wb.getWorksheet('任务完成')!;
    expect(rowValues(quotas, 2)).toEqual([
      '单位', '精品稿件完成', '精品稿件目标', '精品稿件是否达标', '月度送审完成', '月度送审目标', '月度送审是否达标', '月度送审达标期数', '月度送审考核期数',
    ]);
    expect(rowValues(quotas, 3)).toEqual(['东街街道', 1, 3, '未达标', 1, 24, '未达标', 0, 10]);
    expect(rowValues(quotas, 4)).toEqual(['城关镇', 1, 3, '未达标', 3, 24, '未达标', 1, 10]);

    const events = wb.getWorksheet('记分明细')!;
    expect(events.rowCount).toBe(8);
    expect(rowValues(events, 2)).toEqual(['日期', '单位', '考核项', '类型', '分值', '规则版本', '说明']);
    const firstEvent = rowValues(events, 3);
    expect((firstEvent[0] as Date).toISOString().slice(0, 10)).toBe('2026-10-09');
    expect(firstEvent.slice(1)).toEqual(['城关镇', '组工信息', '采用', 1, 1, '《城关镇网格化治理见成效》编入《XX组工信息》2026年第1期（县级采用）：第1版规则 县级采用 1 分']);
    expect(rowValues(events, 8).slice(1, 6)).toEqual(['城关镇', '时效', '加分扣分', -2, 1]);
    expect(String(rowValues(events, 8)[6])).toMatch(/^扣分：被上级通报批评（第\d+号调整，研究室记录）$/);

    const reg = wb.getWorksheet('报送统计')!;
    expect(rowValues(reg, 3)).toEqual(['合计', '合计', 5, 2, 0.4]);
    const city = rowValues(reg, 4);
    expect(city.slice(0, 4)).toEqual(['级别', '市级', 3, 2]);
    expect(city[4]).toBeCloseTo(2 / 3, 10);
    expect(reg.getColumn(5).numFmt).toBe('0.0%');
  });
});

describe('报送登记 of a whole issue', { timeout: 120_000 }, () => {
  it('an issue sent up and adopted whole: every item gets the upper adoption, priced by the rules; the same adoption again is refused', async () => {
    h = await Harness.start({ start: '2026-10-09T02:00:00Z' });
    // From 10-10 each piece of an issue adopted whole by the city is worth 3.
    await ask(h, P.editor, '规则 生效 2026-10-10\nissue_adoption: {city: 3}');
    const a = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');
    await adoptAll(h, ['城关镇网格化治理见成效', '东街街道党建引领物业管理']);
    expect(await askText(h, P.editor, '报送登记 2026年第1期 市委组织部 邮件')).toBe('《XX组工信息》2026年第1期尚未印发，印发后才能整期报送。');
    const signed = await signIssue(h);
    await tap(h, P.editor, signed, findButton(signed.content, '印发'));
    const [issue] = await h.db.db.select().from(bulletinIssues);
    expect(issue!.status).toBe('published');

    h.clock.set('2026-10-15T02:00:00Z');
    expect(await askText(h, P.editor, '报送登记 第9期 市委组织部 邮件')).toBe('没有2026年第9期。现有：2026年第1期。');
    const sent = await askText(h, P.editor, '报送登记 第1期 市委组织部 邮件 2026-10-12');
    const [entry] = await h.db.db.select().from(upwardSubmissions);
    expect(entry).toMatchObject({ issueId: issue!.id, draftId: null, itemId: null, level: 'city', outcome: 'pending' });
    expect(sent).toBe(
      `已登记第${entry!.id}号报送：《XX组工信息》2026年第1期（整期），2026年10月12日以邮件方式报送市委组织部（市级）。\n被采用后发送：报送采用 ${entry!.id} 刊物名称 [期号] [日期]；未采用发送：报送未采用 ${entry!.id}`,
    );
    expect(await askText(h, P.editor, `报送采用 ${entry!.id} 市委组工信息 2026-10-14`)).toBe(
      `第${entry!.id}号报送（整期，其中 2 条稿件各计上级采用）已登记为市级采用（市委组工信息，2026年10月14日），按积分规则计分。`,
    );
    const recs = await h.db.db.select().from(recognitions).orderBy(asc(recognitions.id));
    expect(recs.map((r) => [r.kind, r.level, r.outlet, r.occurredOn, r.status, r.wholeIssueId])).toEqual([
      ['upper_adoption', 'city', '市委组工信息', '2026-10-14', 'confirmed', issue!.id],
      ['upper_adoption', 'city', '市委组工信息', '2026-10-14', 'confirmed', issue!.id],
    ]);
    const [linked] = await h.db.db.select().from(upwardSubmissions);
    expect(linked).toMatchObject({ outcome: 'adopted', recognitionId: recs[0]!.id });

    // County 1 on 10-09 under version 1; the whole issue's city adoption under version 2: 3, highest outlet only.
    const score = cardText((await ask(h, P.officer1, '积分 城关镇 2026-10')).content);
    expect(score).toContain('合计 **3** 分');
    expect(score).toContain(
      '2026年10月14日　**+2**　《城关镇网格化治理见成效》随《XX组工信息》2026年第1期整期被市级采用（市委组工信息）：第2版规则 整期市级采用每条 3 分；按最高一处计分，此前已计 1 分，补 2 分',
    );

    // The same city adoption entered again for one of its pieces: refused, pointing to the issue's entry.
    await askText(h, P.editor, `报送登记 ${a.serial} 市委组织部 系统报送 2026-10-13`);
    const single = (await h.db.db.select().from(upwardSubmissions).orderBy(asc(upwardSubmissions.id))).at(-1)!;
    expect(await askText(h, P.editor, `报送采用 ${single.id} 市委组工信息 2026-10-14`)).toBe(
      `这次采用已经登记过：2026年10月14日 市级采用（市委组工信息），见报送登记第${entry!.id}号。同一采用不重复登记，以免重复计分。`,
    );
    expect(await h.db.db.select().from(recognitions)).toHaveLength(2);

    const stats = cardText((await ask(h, P.leader, '报送统计 2026')).content);
    expect(stats).toContain('**按报送内容**\n单篇稿件：报送 1 篇，采用 0 篇，采用率 0%\n整期：报送 1 期，采用 1 期，采用率 100%');
    expectAllCardsValid(h);
  });
});

describe('年度评比: quotas met or missed, as configured', { timeout: 120_000 }, () => {
  it('RANKING_QUOTAS sets the quotas; yearly ones judged on the year, monthly and quarterly ones period by period', async () => {
    const quotas = [
      { name: '精品稿件', scope: 'unit', per: 'year', target: 1, measure: 'adopted', minLevel: 'city' },
      { name: '月度采用', scope: 'unit', per: 'month', target: 1, measure: 'adopted' },
      { name: '季度送审', scope: 'unit', per: 'quarter', target: 2, measure: 'submitted' },
      // A county-wide quota is the ranking card's business, not a unit's line.
      { name: '调研文稿', scope: 'county', per: 'month', target: 4, measure: 'adopted', category: '调研文稿' },
    ];
    h = await Harness.start({ start: '2026-09-10T02:00:00Z', env: { RANKING_QUOTAS: JSON.stringify(quotas) } });
    // September: 城关镇 submits two and has one adopted; 东街街道 submits one, adopted.
    const a = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await approvedDraft(h, P.officer1, '城关镇志愿服务月');
    await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');
    await adoptAll(h, ['城关镇网格化治理见成效', '东街街道党建引领物业管理']);
    // October: 城关镇 submits one more, adopted; the city adopts the September piece (a flagship piece).
    h.clock.set('2026-10-12T02:00:00Z');
    await approvedDraft(h, P.officer2, '城关镇开展党员冬训');
    await adoptAll(h, ['城关镇开展党员冬训']);
    h.clock.set('2026-10-21T02:00:00Z');
    await askText(h, P.editor, `报送登记 ${a.serial} 市委组织部 系统报送 2026-10-13`);
    const [entry] = await h.db.db.select().from(upwardSubmissions);
    expect(await askText(h, P.editor, `报送采用 ${entry!.id} 市委组工信息 2026-10-20`)).toContain('已登记为市级采用');

    h.clock.set('2026-11-15T02:00:00Z');
    await h.sendText(P.editor, '年度评比 2026');
    await h.settle();
    const wb = await readWorkbook(h.fake.uploadedFiles.at(-1)!.bytes);

    const summary = wb.getWorksheet('任务完成')!;
    expect(rowValues(summary, 2)).toEqual([
      '单位',
      '精品稿件完成', '精品稿件目标', '精品稿件是否达标',
      '月度采用完成', '月度采用目标', '月度采用是否达标', '月度采用达标期数', '月度采用考核期数',
      '季度送审完成', '季度送审目标', '季度送审是否达标', '季度送审达标期数', '季度送审考核期数',
    ]);
    // 城关镇 (6 points) ranks first. Months over: January to October (10); quarters over: 1 to 3.
    // 月度采用: September (A) and October (C, and A again upstairs: still 2 pieces) met.
    expect(rowValues(summary, 3)).toEqual(['城关镇', 1, 1, '达标', 2, 12, '未达标', 2, 10, 3, 8, '未达标', 1, 3]);
    expect(rowValues(summary, 4)).toEqual(['东街街道', 0, 1, '未达标', 1, 12, '未达标', 1, 10, 1, 8, '未达标', 0, 3]);
    expect(summary.getColumn(1).width).toBe(20);

    const detail = wb.getWorksheet('按月完成')!;
    expect(rowValues(detail, 2)).toEqual(['单位', '任务', '期间', '完成', '目标', '是否达标']);
    const rows = Array.from({ length: detail.rowCount - 2 }, (_, i) => rowValues(detail, i + 3));
    const of = (unit: string) => rows.filter((r) => r[0] === unit).map((r) => r.slice(1));
    const quiet = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ['月度采用', `2026年${from + i}月`, 0, 1, '未达标']);
    expect(of('城关镇')).toEqual([
      ...quiet(1, 8),
      ['月度采用', '2026年9月', 1, 1, '达标'],
      ['月度采用', '2026年10月', 2, 1, '达标'],
      ['月度采用', '2026年11月', 0, 1, '进行中'],
      ['季度送审', '2026年第一季度', 0, 2, '未达标'],
      ['季度送审', '2026年第二季度', 0, 2, '未达标'],
      ['季度送审', '2026年第三季度', 2, 2, '达标'],
      ['季度送审', '2026年第四季度', 1, 2, '进行中'],
    ]);
    expect(of('东街街道')).toEqual([
      ...quiet(1, 8),
      ['月度采用', '2026年9月', 1, 1, '达标'],
      ['月度采用', '2026年10月', 0, 1, '未达标'],
      ['月度采用', '2026年11月', 0, 1, '进行中'],
      ['季度送审', '2026年第一季度', 0, 2, '未达标'],
      ['季度送审', '2026年第二季度', 0, 2, '未达标'],
      ['季度送审', '2026年第三季度', 1, 2, '未达标'],
      ['季度送审', '2026年第四季度', 0, 2, '进行中'],
    ]);
  });
});

