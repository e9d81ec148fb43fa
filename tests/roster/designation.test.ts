import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { blobs, designationChanges, designationPeriods } from '../../db/schema/index.js';
import { loadWho } from '../../db/queries/roster.js';
import { runOrgImport } from '../../domain/roster/run-import.js';
import { cardText, findButton, Harness, P } from '../helpers/harness.js';

/** End-to-end tests share two cores with other work; give them room on a loaded machine. */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe('专职信息员 change with 备案', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ start: '2026-12-04T02:00:00Z' });
  });
  afterEach(async () => h.close());

  it('a reviewer proposes, an editor approves; the change takes effect and 备案记录 lists it', async () => {
    await h.sendText(P.officer1, '更换专职信息员 钱信息 调岗');
    await h.sendText(P.reviewer1, '更换专职信息员 吴信息 调岗');
    await h.settle();
    await h.sendText(P.reviewer1, '更换专职信息员 钱信息');
    await h.settle();
    expect(h.textsTo(P.officer1).at(-1)).toBe('只有组织委员可以提出更换本单位的专职信息员。');
    expect(h.textsTo(P.reviewer1).slice(-2)).toEqual([
      '“吴信息”不是本单位的信息员。专职信息员须从本单位信息员中选定（新信息员请先申请加入或由研究室加入名册）。',
      '请写明新的专职信息员和更换理由，例如：更换专职信息员 钱信息 原专职信息员调岗',
    ]);
    expect(await h.db.db.select().from(designationChanges)).toEqual([]);

    await h.sendText(P.reviewer1, '更换专职信息员 钱信息 赵信息调任镇党政办');
    await h.settle();
    expect(h.textsTo(P.reviewer1).at(-1)).toBe('已报研究室审批：城关镇专职信息员由 赵信息 更换为 钱信息。审批后生效并备案。');
    const card = h.lastCardTo(P.editor);
    expect(cardText(card.content)).toContain('赵信息调任镇党政办');
    // Not yet in effect; a reviewer cannot approve it.
    expect((await loadWho(h.db.db, P.officer1)).designatedUnits.map((u) => u.name)).toEqual(['城关镇']);
    const refused = await h.click(P.reviewer1, card.messageId, findButton(card.content, '同意并备案'), { formValue: {} });
    expect(refused.toast).toEqual({ type: 'error', content: '只有研究室可以审批专职信息员更换。' });

    const ok = await h.click(P.editor, card.messageId, findButton(card.content, '同意并备案'), { formValue: {} });
    await h.settle();
    expect(ok.toast?.content).toBe('已同意并备案。');
    expect(cardText(ok.card)).toContain('已同意并备案');
    expect((await loadWho(h.db.db, P.officer2)).designatedUnits.map((u) => u.name)).toEqual(['城关镇']);
    expect((await loadWho(h.db.db, P.officer1)).designatedUnits).toEqual([]);
    expect(h.textsTo(P.officer2).at(-1)).toBe('您已被确定为城关镇的专职信息员（已报县委组织部研究室备案）。');
    expect(h.textsTo(P.reviewer1).at(-1)).toBe('研究室已同意：城关镇专职信息员更换为 钱信息，已备案。');

    await h.sendText(P.editor, '备案记录 城关镇');
    await h.sendText(P.reviewer2, '备案记录 城关镇');
    await h.settle();
    expect(h.textsTo(P.editor).at(-1)).toBe('专职信息员备案记录（1 条）\n2026年12月4日 城关镇：赵信息 → 钱信息；理由：赵信息调任镇党政办；提出：张委员；批准：王研究');
    expect(h.textsTo(P.reviewer2).at(-1)).toBe('组织委员只能查看本单位的备案记录。');
  });

  it('a decline needs a reason and changes nothing', async () => {
    await h.sendText(P.reviewer1, '更换专职信息员 钱信息 调岗');
    await h.settle();
    const card = h.lastCardTo(P.editor);
    const empty = await h.click(P.editor, card.messageId, findButton(card.content, '不同意'), { formValue: {} });
    expect(empty.toast?.content).toBe('不同意时请填写理由。');
    const no = await h.click(P.editor, card.messageId, findButton(card.content, '不同意'), { formValue: { reason: '年底后再调整' } });
    await h.settle();
    expect(no.toast?.type).toBe('success');
    expect((await loadWho(h.db.db, P.officer1)).designatedUnits.map((u) => u.name)).toEqual(['城关镇']);
    expect(h.textsTo(P.reviewer1).at(-1)).toBe('研究室未同意更换城关镇专职信息员为 钱信息。理由：年底后再调整');
    await h.sendText(P.editor, '备案记录');
    await h.settle();
    expect(h.textsTo(P.editor).at(-1)).toBe('暂无专职信息员更换的备案记录。');
  });
});

describe('专职信息员 over time', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ start: '2026-10-20T02:00:00Z' });
  });
  afterEach(async () => h.close());

    it('a past period’s ranking names the 专职信息员 of that period; a current one names today’s', async () => {
      const ranking = async (text: string) => {
        await h.sendText(P.editor, text);
        await h.settle();
        return cardText(h.lastCardTo(P.editor).content);
      };
      // The roster was imported on 20 October: its designations reach back before that.
      expect(await ranking('排行 2026-10')).toContain('**城关镇**（赵信息） 送审');
      h.clock.advance(45 * 86_400_000);

      await h.sendText(P.reviewer1, '更换专职信息员 钱信息 赵信息调任镇党政办');
      await h.settle();
      const card = h.lastCardTo(P.editor);
      await h.click(P.editor, card.messageId, findButton(card.content, '同意并备案'), { formValue: {} });
      await h.settle();
      expect(await ranking('排行 2026-11')).toContain('**城关镇**（赵信息） 送审');
      expect(await ranking('排行')).toContain('**城关镇**（钱信息） 送审');

      // In January org:import leaves 城关镇 without one: December keeps 钱信息, January names nobody.
      h.clock.advance(40 * 86_400_000);
      await h.sendText(P.editor, '名册导出');
      await h.settle();
      const upload = h.fake.uploadedFiles.at(-1)!;
      const [blob] = await h.db.db.select().from(blobs).where(eq(blobs.size, upload.bytes.length));
      expect(blob).toBeDefined();
      const exported = upload.bytes.toString('utf8');
      expect(exported).toContain(`designated_officer: ${P.officer2}`);
      const imported = await runOrgImport(h.db.db, exported.replace(`designated_officer: ${P.officer2}`, ''), { contact: h.api, actor: 'test', now: h.clock.now() });
      expect(imported.changed).toBe(true);
      expect(await ranking('排行 2026-12')).toContain('**城关镇**（钱信息） 送审');
      const january = await ranking('排行 2027-01');
      expect(january).toContain('**城关镇** 送审');
      expect(january).not.toContain('**城关镇**（');
      const stretches = await h.db.db.select().from(designationPeriods).where(eq(designationPeriods.openId, P.officer2));
      expect(stretches.map((r) => [r.since.toISOString().slice(0, 10), r.until?.toISOString()])).toEqual([['2026-12-04', h.clock.now().toISOString()]]);
    });
});
