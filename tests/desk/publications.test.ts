import { afterEach, describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import mammoth from 'mammoth';
import { bulletinIssues, publications } from '../../db/schema/index.js';
import { cardText, findButton, findSelect, Harness, ORG_YAML, P } from '../helpers/harness.js';
import { approvedDraft, ask, askText, draftState, expectAllCardsValid, openDesk, rowButton, tap, type CardMsg } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TWO = ORG_YAML.replace(/^bulletin: .*$/m, 'bulletin: [XX组工信息, 《组工专报》]');

/** Chooses a publication in the desk card's select, as Lark sends the choice: the select's value and the option. */
async function choose(h: Harness, desk: CardMsg, name: string) {
  const select = findSelect(desk.content, 'publication');
  const option = select.options.find((o) => o.text === name)!.value;
  return tap(h, P.editor, desk, select.value, { option });
}

describe('several publications, each numbered on its own (desk card, export, rules)', { timeout: 120_000 }, () => {
  it('the desk asks which publication; each is numbered per year; rules price them differently; export names the publication', async () => {
    h = await Harness.start({ org: TWO, start: '2026-11-20T01:00:00Z' });
    expect((await h.db.db.select().from(publications).orderBy(asc(publications.sortOrder))).map((p) => [p.name, p.active])).toEqual([
      ['XX组工信息', true],
      ['组工专报', true],
    ]);
    // A 组工专报 adoption is worth 3 from tomorrow; the other publication keeps the county point.
    await ask(h, P.editor, '规则 生效 2026-11-21\npublications: {组工专报: 3}');
    h.clock.set('2026-11-21T01:00:00Z');
    const a = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');

    let desk = await openDesk(h);
    const text = cardText(desk.content);
    expect(text).toContain('编入刊物');
    expect(text).toContain('《XX组工信息》当前没有正在编辑的一期信息');
    expect(text).toContain('《组工专报》当前没有正在编辑的一期信息');
    expect(findSelect(desk.content, 'publication').initial).toBeUndefined();

    // Not chosen yet: refused, nothing adopted.
    const early = await h.click(P.editor, desk.messageId, rowButton(desk.content, '城关镇网格化治理见成效', '采用'));
    expect(early.toast).toEqual({ type: 'error', content: '请先在卡片上方选择编入哪个刊物：《XX组工信息》、《组工专报》。' });
    expect(await draftState(h, a.id)).toBe('approved');

    const chosen = await choose(h, desk, '组工专报');
    expect(chosen.res.toast).toEqual({ type: 'info', content: '采用的稿件将编入《组工专报》' });
    desk = chosen.card;
    expect(findSelect(desk.content, 'publication').initial).toBe(findSelect(desk.content, 'publication').options[1]!.value);
    const first = await tap(h, P.editor, desk, rowButton(desk.content, '城关镇网格化治理见成效', '采用'));
    expect(first.res.toast).toEqual({ type: 'success', content: '已采用，编入《组工专报》2026年第1期第 1 条（已开启《组工专报》2026年第1期）' });
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('已被研究室采用，编入《组工专报》2026年第1期第 1 条。');
    desk = first.card;
    expect(cardText(desk.content)).toContain('《组工专报》**2026年第1期**（未印发，已编 1 条）');

    desk = (await choose(h, desk, 'XX组工信息')).card;
    const second = await tap(h, P.editor, desk, rowButton(desk.content, '东街街道党建引领物业管理', '采用'));
    // Numbered on its own: the main publication's first issue of the year is also 第1期.
    expect(second.res.toast).toEqual({ type: 'success', content: '已采用，编入《XX组工信息》2026年第1期第 1 条（已开启《XX组工信息》2026年第1期）' });
    const issues = await h.db.db.select().from(bulletinIssues).orderBy(asc(bulletinIssues.id));
    expect(issues.map((i) => [i.publicationId, i.year, i.number, i.status])).toEqual([
      [issues[0]!.publicationId, 2026, 1, 'open'],
      [issues[1]!.publicationId, 2026, 1, 'open'],
    ]);
    expect(issues[0]!.publicationId).not.toBe(issues[1]!.publicationId);

    // Rules keyed by publication: 组工专报 3, 《XX组工信息》 the county point.
    const own = cardText((await ask(h, P.officer1, '积分 2026-11')).content);
    expect(own).toContain('2026年11月21日　**+3**　《城关镇网格化治理见成效》编入《组工专报》2026年第1期（县级采用）：第2版规则 编入《组工专报》3 分');
    const other = cardText((await ask(h, P.officer3, '积分 2026-11')).content);
    expect(other).toContain('2026年11月21日　**+1**　《东街街道党建引领物业管理》编入《XX组工信息》2026年第1期（县级采用）：第2版规则 县级采用 1 分');

    // 本期信息 and 导出信息 take the publication's name first; without it they mean the main one.
    const special = await ask(h, P.editor, '本期信息 组工专报');
    expect(cardText(special.content)).toContain('《组工专报》2026年第1期');
    expect(cardText(special.content)).toContain('城关镇网格化治理见成效');
    // The issue's messages name its publication once there are several.
    const sent = await tap(h, P.editor, special, findButton(special.content, '送审'));
    expect(sent.res.toast).toEqual({ type: 'success', content: '《组工专报》2026年第1期已送 李部长 签发' });
    const preview = h.lastCardTo(P.leader);
    expect(cardText(preview.content)).toContain('《组工专报》2026年第1期');
    const signed = await tap(h, P.leader, preview, findButton(preview.content, '签发'));
    expect(signed.res.toast).toEqual({ type: 'success', content: '已签发《组工专报》2026年第1期，已告知研究室' });
    expect(h.textsTo(P.editor).at(-1)).toBe('《组工专报》2026年第1期已由 李部长 签发，可以印发（发送“本期信息 组工专报”点“印发”）。');
    await h.sendText(P.editor, '导出信息 《组工专报》 第1期');
    await h.settle();
    let upload = h.fake.uploadedFiles.at(-1)!;
    expect(upload.fileName).toBe('组工专报2026年第1期（未发布）.docx');
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(upload.bytes) });
    const paragraphs = value.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(paragraphs.slice(0, 2)).toEqual(['组工专报', '2026年第1期']);
    expect(paragraphs).toContain('城关镇网格化治理见成效');
    expect(paragraphs).not.toContain('东街街道党建引领物业管理');
    await h.sendText(P.editor, '导出信息 第1期');
    await h.settle();
    upload = h.fake.uploadedFiles.at(-1)!;
    expect(upload.fileName).toBe('XX组工信息2026年第1期（未发布）.docx');
    expect(await askText(h, P.editor, '导出信息 组工专报 第2期')).toBe('《组工专报》没有2026年第2期。现有：2026年第1期。');
    expectAllCardsValid(h);
  });

  it('one publication configured: no question on the desk; a second added later starts at 第1期', async () => {
    h = await Harness.start({ start: '2026-11-20T01:00:00Z' });
    await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    const desk = await openDesk(h);
    expect(cardText(desk.content)).not.toContain('编入刊物');
    const r = await tap(h, P.editor, desk, rowButton(desk.content, '城关镇网格化治理见成效', '采用'));
    expect(r.res.toast?.content).toBe('已采用，编入2026年第1期第 1 条（已开启2026年第1期）');

    // The department adds 组工专报 (re-import): the desk now asks, and the new one is numbered from 1.
    const { importOrg } = await import('../../domain/roster/import-org.js');
    const { parseOrgFile } = await import('../../domain/roster/org-file.js');
    await importOrg(h.db.db, parseOrgFile(TWO), { actor: 'test', now: h.clock.now() });
    await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');
    let next = await openDesk(h);
    expect(cardText(next.content)).toContain('《XX组工信息》**2026年第1期**（未印发，已编 1 条）');
    next = (await choose(h, next, '组工专报')).card;
    const s = await tap(h, P.editor, next, rowButton(next.content, '东街街道党建引领物业管理', '采用'));
    expect(s.res.toast?.content).toBe('已采用，编入《组工专报》2026年第1期第 1 条（已开启《组工专报》2026年第1期）');
  });
});
