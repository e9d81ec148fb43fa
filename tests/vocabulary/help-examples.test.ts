import { afterEach, describe, expect, it } from 'vitest';
import { Harness, P, cardText } from '../helpers/harness.js';
import { adoptAll, approvedDraft } from '../desk/flow.js';
import { submitDraft } from '../drafts/flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The examples a help card tells its reader to send: every “…” after 发送. */
function examplesOf(card: unknown): string[] {
  return [...cardText(card).matchAll(/发送“([^”]+)”/g)].map((m) => m[1]!);
}

async function helpOf(person: string): Promise<unknown> {
  await h!.sendText(person, '帮助');
  await h!.settle();
  return h!.lastCardTo(person).content;
}

describe('help that fits the role', { timeout: 180_000 }, () => {
  it('shows each role what it can do, and every example in it works when sent as written', async () => {
    h = await Harness.start({ start: '2026-11-02T02:00:00Z' });
    // The world the examples talk about: topic T1, issue 1 of the year with 2026-0001 in it, and
    // 2026-0002 waiting for review.
    await h.sendText(P.editor, '点题 冬训工作经验 | 截止 2026-11-12 18:00 | 单位 全部');
    await h.settle();
    await approvedDraft(h, P.officer1, '城关镇冬训工作有序开展');
    await adoptAll(h, ['城关镇冬训工作有序开展']);
    await submitDraft(h, P.officer1);

    const officer = await helpOf(P.officer1);
    const reviewer = await helpOf(P.reviewer1);
    const leader = await helpOf(P.leader);
    const editor = await helpOf(P.editor);

    // Each sees their own role, not the others'; no syntax brackets for anyone.
    expect(cardText(officer)).toContain('作为信息员');
    expect(cardText(officer)).not.toContain('作为研究室');
    expect(cardText(reviewer)).toContain('作为组织委员');
    expect(cardText(reviewer)).not.toContain('作为信息员');
    expect(cardText(editor)).toContain('作为研究室');
    expect(cardText(leader)).toContain('作为部领导');
    for (const c of [officer, reviewer, leader, editor]) expect(cardText(c)).not.toMatch(/\[[^\]]*\]/);
    // The one-line 点题 with its | fields is the research office's; nobody else is shown syntax.
    for (const c of [officer, reviewer, leader]) expect(cardText(c)).not.toContain('|');
    // Examples name today's period and a deadline after today, never a fixed date in the past.
    expect(examplesOf(officer)).toEqual(expect.arrayContaining(['我的稿件', '关联 2026-0002 T1', '登记 2026-0001', '排行 2026-11', '帮助']));
    expect(examplesOf(reviewer)).toEqual(expect.arrayContaining(['待审']));
    expect(examplesOf(editor)).toEqual(
      expect.arrayContaining(['待编稿件 备用', '本期信息', '导出信息 2026年第1期', '点题 基层党建典型经验 | 截止 2026-11-09 18:00 | 单位 全部', '延期 T1 2026-11-16 18:00', '关闭 T1']),
    );

    // Every line of every help card carries an example, and sending it gives no error.
    for (const [person, card] of [[P.officer1, officer], [P.reviewer1, reviewer], [P.leader, leader], [P.editor, editor]] as const) {
      const lines = cardText(card).split('\n').filter((l) => l.startsWith('- '));
      expect(lines.length).toBeGreaterThan(2);
      for (const l of lines) expect(l, l).toMatch(/发送“[^”]+”/);
      for (const example of examplesOf(card)) {
        const logsBefore = h.logs.length;
        await h.sendText(person, example);
        await h.settle();
        const after = h.logs.slice(logsBefore);
        expect(after.filter((l) => l.msg === 'user error answered' || Number(l.level) >= 40), `${person}: ${example}`).toEqual([]);
        expect(after.some((l) => l.msg === 'message handled'), `${person}: ${example} was handled`).toBe(true);
      }
    }
  });

  it('a mistyped command is answered with an error the test above would see', async () => {
    h = await Harness.start({ start: '2026-11-02T02:00:00Z' });
    const before = h.logs.length;
    await h.sendText(P.editor, '导出信息 第9期');
    await h.settle();
    expect(h.logs.slice(before).filter((l) => l.msg === 'user error answered')).toHaveLength(1);
    expect(h.textsTo(P.editor).at(-1)).toBe('没有2026年第9期。目前还没有任何一期。');
  });
});
