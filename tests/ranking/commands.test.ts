import { readWorkbook, rowValues } from '../helpers/workbook.js';
import { afterEach, describe, expect, it } from 'vitest';
import { and, eq, gte } from 'drizzle-orm';
import { drafts, units } from '../../db/schema/index.js';
import { ask, tap } from '../desk/flow.js';
import { cardText, findButton, GROUP, Harness, P } from '../helpers/harness.js';
import { buildScenario } from './scenario.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The bot on 2 November 2026 with the hand-built history; roster units exist since January. */
async function start() {
  h = await Harness.start({ start: '2026-11-02T02:00:00Z' });
  await h.db.db.update(units).set({ createdAt: new Date('2026-01-01T00:00:00+08:00') });
  await buildScenario(h.db.db);
  return h;
}

type Row = { u: string; r: number; d: string; p: number };
function tableRows(card: unknown): Row[] {
  return ((card as { body: { elements: { tag: string; rows?: Row[] }[] } }).body.elements.find((e) => e.tag === 'table')?.rows ?? []) as Row[];
}

/** A unit's line in the folded 各单位明细 panel: [全年, 送审, 报送, 县级采用, 市级采用]. */
function details(card: unknown, unit: string): number[] {
  const m = new RegExp(`\\*\\*${unit}\\*\\*(?:（[^）]+）)? 送审(\\d+) 报送(\\d+) 采用(\\d+)/(\\d+)/\\d+/\\d+ 全年([\\d.]+)分`).exec(cardText(card));
  if (!m) throw new Error(`no details for ${unit} in:\n${cardText(card)}`);
  return [Number(m[5]), Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
}

describe('排行 through the webhook', { timeout: 120_000 }, () => {
  it('answers an officer in the private chat with the ranking card of the asked month', async () => {
    const h = await start();
    await h.sendText(P.officer1, '排行 2026-10');
    await h.settle();
    const card = h.lastCardTo(P.officer1).content;
    const text = cardText(card);
    expect(text).toContain('2026年10月信息工作排行');
    expect(text).toContain('**零报送（4 个单位）**：城关镇、东街街道、东港镇、新区街道');
    // Units without points are not ranked as tied 4th: they are named once, under 零报送 here.
    expect(tableRows(card).map((r) => [r.u, r.r, r.d, r.p])).toEqual([
      ['南湖镇', 1, '↑2', 15],
      ['北山镇', 2, '—', 1],
      ['西岭乡', 2, '↑1', 1],
    ]);
    expect(text).not.toContain('**未得分');
    // The other columns, for every unit, in the folded panel (in rank order, then as before).
    expect(['南湖镇', '北山镇', '西岭乡', '东港镇', '新区街道', '城关镇', '东街街道'].map((u) => [u, ...details(card, u)])).toEqual([
      ['南湖镇', 15, 2, 1, 1, 1],
      ['北山镇', 2.5, 2, 2, 1, 0],
      ['西岭乡', 1.5, 1, 1, 1, 0],
      ['东港镇', 10, 0, 0, 0, 0],
      ['新区街道', 0, 1, 0, 0, 0],
      ['城关镇', 0, 0, 0, 0, 0],
      ['东街街道', 0, 0, 0, 0, 0],
    ]);
    expect(text.indexOf('**东港镇** 送审')).toBeLessThan(text.indexOf('**东街街道**（吴信息） 送审'));
    // The designated officer (专职信息员) on each unit's line; units without one show nothing.
    expect(text).toContain('**城关镇**（赵信息） 送审');
    expect(text).not.toContain('**南湖镇**（');
    const chart = (card as { body: { elements: { tag: string; chart_spec?: { data: { values: unknown[] }[] } }[] } }).body.elements.find((e) => e.tag === 'chart');
    expect(chart?.chart_spec?.data[0]?.values).toEqual([
      { unit: '南湖镇', points: 15 },
      { unit: '北山镇', points: 1 },
      { unit: '西岭乡', points: 1 },
    ]);
  });

  it('defaults to the current month', async () => {
    const h = await start();
    await h.sendText(P.reviewer2, '排行');
    await h.settle();
    const card = h.lastCardTo(P.reviewer2).content;
    expect(cardText(card)).toContain('2026年11月信息工作排行');
    // b3 was sent at 00:05 on 1 November; a2's adoption on 1 November scores in November.
    expect(tableRows(card).map((r) => [r.u, r.p])).toEqual([['北山镇', 1]]);
    expect(details(card, '北山镇')[1]).toBe(0);
    expect(details(card, '南湖镇')[1]).toBe(1);
  });

  it('explains a bad period', async () => {
    const h = await start();
    await h.sendText(P.officer1, '排行 2026-13');
    await h.settle();
    expect(h.textsTo(P.officer1).at(-1)).toMatch(/^“2026-13”的月份应为 1-12。期间的写法：2026-10/);
    expect(h.cardsTo(P.officer1)).toHaveLength(0);
  });

  it('answers a leader in the group as a reply when mentioned', async () => {
    const h = await start();
    const { messageId } = await h.sendText(P.leader, '排行 2026Q3', { group: true });
    await h.settle();
    const reply = h.fake.messages.find((m) => !m.inbound && m.parentId === messageId);
    expect(reply?.chatId).toBe(GROUP);
    expect(cardText(reply!.content)).toContain('2026年第三季度信息工作排行');
  });

  it('refuses people outside the roster', async () => {
    const h = await start();
    await h.sendText(P.stranger, '排行');
    await h.settle();
    expect(h.textsTo(P.stranger).at(-1)).toContain('您还不在本系统的名册中');
    expect(h.cardsTo(P.stranger)).toHaveLength(0);
  });

  it('pages a ranking too long for one card with 上一页/下一页', async () => {
    const h = await start();
    await h.db.db.insert(units).values(
      Array.from({ length: 240 }, (_, i) => ({ name: `某某县第${i + 1}号街道社区党委机关`, sortOrder: 100 + i, createdAt: new Date('2026-01-01T00:00:00Z') })),
    );
    await h.sendText(P.officer3, '排行 2026-10');
    await h.settle();
    const first = h.lastCardTo(P.officer3);
    const panelUnits = (card: unknown) => [...cardText(card).matchAll(/\*\*([^*]+)\*\* 送审/g)].map((m) => m[1]!);
    const firstRows = panelUnits(first.content);
    expect(firstRows.length).toBeLessThan(247);
    expect(firstRows[0]).toBe('南湖镇');
    expect(tableRows(first.content)[0]!.u).toBe('南湖镇');
    const res = await h.click(P.officer3, first.messageId, findButton(first.content, '下一页'));
    expect(res.status).toBe(200);
    const second = panelUnits(res.card);
    expect(second[0]).not.toBe('南湖镇');
    expect(cardText(res.card)).toContain('第 2/');
    const all = [...firstRows, ...second];
    expect(new Set(all).size).toBe(all.length);
    // The callback value comes from the client: a forged period is refused, not computed.
    const forged = await h.click(P.officer3, first.messageId, { a: 'ranking.page', p: '2026-13', n: 1, b: 0 });
    expect(forged.toast).toEqual({ type: 'error', content: '这张排行卡片已失效，请重新发送“排行”。' });
  });
});

describe('排行 follows what is recorded after it was shown', { timeout: 120_000 }, () => {
  it('a city adoption recorded on 2 November for an October item re-prices October, and the next 排行 shows it', async () => {
    const h = await start();
    await h.sendText(P.officer1, '排行 2026-10');
    await h.settle();
    expect(tableRows(h.lastCardTo(P.officer1).content).find((r) => r.u === '西岭乡')).toMatchObject({ r: 2, p: 1 });

    // 西岭乡's research piece (adopted 16 October) was taken up by the city on 28 October.
    const [c1] = await h.db.db
      .select({ serial: drafts.serial })
      .from(drafts)
      .innerJoin(units, eq(units.id, drafts.unitId))
      .where(and(eq(units.name, '西岭乡'), eq(drafts.category, '调研文稿'), gte(drafts.submittedAt, new Date('2026-10-01T00:00:00+08:00'))));
    const form = await ask(h, P.editor, `登记 ${c1!.serial}`);
    const rec = await tap(h, P.editor, form, findButton(form.content, '登记'), {
      formValue: { kind: 'upper_adoption', level: 'city', outlet: '市委组工信息', date: '2026-10-28 +0800' },
      name: 'rec_submit',
    });
    expect(rec.res.toast?.content).toBe('已登记并计分');

    await h.sendText(P.officer1, '排行 2026-10');
    await h.settle();
    // City 5 under "highest outlet only": +4 on top of the county point, in October.
    expect(tableRows(h.lastCardTo(P.officer1).content).slice(0, 3).map((r) => [r.u, r.r, r.p])).toEqual([
      ['南湖镇', 1, 15],
      ['西岭乡', 2, 5],
      ['北山镇', 3, 1],
    ]);
  });
});

describe('导出 through the webhook', { timeout: 120_000 }, () => {
  it('sends an editor the .xlsx in the private chat, with the summary and every draft', async () => {
    const h = await start();
    await h.sendText(P.editor, '导出 2026-10');
    await h.settle();
    expect(h.textsTo(P.editor).at(-1)).toBe('2026年10月排行明细：7 个单位、7 篇稿件，见下方 Excel 文件。');
    const fileMsg = h.sentTo(P.editor).find((m) => m.msgType === 'file');
    expect(fileMsg).toBeDefined();
    expect(h.fake.uploadedFiles).toHaveLength(1);
    const upload = h.fake.uploadedFiles[0]!;
    expect(upload.fileName).toBe('信息工作排行_2026-10.xlsx');
    expect(upload.fileType).toBe('xls');
    expect((fileMsg!.content as { file_key: string }).file_key).toBe(upload.fileKey);

    const wb = await readWorkbook(upload.bytes);
    const summary = wb.getWorksheet('单位汇总')!;
    expect(rowValues(summary, 2)).toEqual(['名次', '单位', '专职信息员', '送审', '报送', '县级采用', '市级采用', '省级采用', '中央采用', '本月得分', '全年累计', '名次变化', '精品稿件（2026年累计）', '月度送审（2026年10月）', '备注']);
    expect(rowValues(summary, 3)).toEqual([1, '南湖镇', '', 2, 1, 1, 1, 0, 0, 15, 15, '↑2', 1, 2, '']);
    expect(rowValues(summary, 4)).toEqual([2, '北山镇', '', 2, 2, 1, 0, 0, 0, 1, 2.5, '—', 0, 2, '']);
    expect(rowValues(summary, 6)).toEqual([4, '东港镇', '', 0, 0, 0, 0, 0, 0, 0, 10, '↓3', 1, 0, '零报送']);
    // 新区街道 sent a draft, but none reached the research office: 零报送 too.
    expect(rowValues(summary, 7)).toEqual([4, '新区街道', '', 1, 0, 0, 0, 0, 0, 0, 0, '新', 0, 1, '零报送']);
    expect(rowValues(summary, 10)).toEqual([null, '全县合计', null, 6, 4, 3, 1, 0, 0, 17, 29, null, null, null, '零报送 4 个']);
    expect(summary.getColumn(2).width).toBe(20);
    expect(rowValues(summary, 8).slice(0, 3)).toEqual([4, '城关镇', '赵信息']);
    expect(typeof summary.getCell(3, 10).value).toBe('number');

    const drafts = wb.getWorksheet('稿件明细')!;
    expect(rowValues(drafts, 2)).toEqual(['编号', '单位', '作者', '类别', '标题', '点题', '状态', '提交时间', '采用级别', '得分']);
    // Seven drafts sent in October (local time), oldest first; the withdrawn one is listed too.
    expect(drafts.rowCount).toBe(9);
    const byTitle = new Map(Array.from({ length: 7 }, (_, i) => rowValues(drafts, i + 3)).map((r) => [r[4], r]));
    const a1 = byTitle.get('北山镇推行“村情日志”')!;
    expect(a1.slice(1, 4)).toEqual(['北山镇', '北山信息', '组工信息']);
    expect(a1[6]).toBe('已采用');
    expect(a1[7]).toEqual(new Date('2026-10-01T00:30:00Z')); // 00:30 local, written as wall-clock time
    expect(a1.slice(8)).toEqual(['县级', 1]);
    const b1 = rowValues(drafts, 4);
    expect([b1[1], b1[8], b1[9]]).toEqual(['南湖镇', '县级、市级', 15]);
    // a2 (row 7), adopted on 1 November: its levels and points are as of the export.
    expect(rowValues(drafts, 7).slice(6)).toEqual(['已采用', new Date('2026-10-20T09:00:00Z'), '县级', 1]);
    expect(rowValues(drafts, 8)[6]).toBe('已撤回');
  });

  it('sends the file privately when asked in the group, and tells the group only that', async () => {
    const h = await start();
    await h.sendText(P.leader, '导出', { group: true });
    await h.settle();
    expect(h.sentTo(GROUP).filter((m) => m.msgType === 'file')).toHaveLength(0);
    expect(h.sentTo(P.leader).filter((m) => m.msgType === 'file' && m.chatType === 'p2p')).toHaveLength(1);
    expect(h.fake.messages.some((m) => !m.inbound && m.chatId === GROUP && JSON.stringify(m.content).includes('排行明细已私聊发给您'))).toBe(true);
  });

  it('is for the research office and leaders only', async () => {
    const h = await start();
    await h.sendText(P.officer1, '导出 2026-10');
    await h.settle();
    expect(h.textsTo(P.officer1).at(-1)).toBe('导出排行明细仅限研究室和部领导使用。排行情况可发送“排行”查看。');
    expect(h.fake.uploadedFiles).toHaveLength(0);
  });
});

