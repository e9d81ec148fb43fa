import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { blobs, drafts, issueSettings, orgSettings, people, roleAssignments, units } from '../../db/schema/index.js';
import { loadWho } from '../../db/queries/roster.js';
import { runOrgImport } from '../../domain/roster/run-import.js';
import { cardText, findButton, Harness, hasButton, P } from '../helpers/harness.js';
import { submitDraft } from '../drafts/flow.js';

/** End-to-end tests share two cores with other work; give them room on a loaded machine. */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe('名册 in chat and 名册导出', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
    h.fake.addUser({ openId: 'ou_new1', name: '孙新', mobile: '13700000001' });
  });
  afterEach(async () => h.close());

  async function rosterCards() {
    await h.sendText(P.editor, '名册');
    await h.settle();
    const cards = h.cardsTo(P.editor).slice(-2);
    expect(cardText(cards[0]!.content)).toContain('名册 · 城关镇');
    expect(cardText(cards[1]!.content)).toContain('名册 · 东街街道');
    return cards;
  }

  it('is for editors only', async () => {
    await h.sendText(P.reviewer1, '名册');
    await h.sendText(P.officer1, '名册导出');
    await h.settle();
    expect(h.textsTo(P.reviewer1).at(-1)).toBe('只有研究室可以管理名册。');
    expect(h.textsTo(P.officer1).at(-1)).toBe('只有研究室可以管理名册。');
  });

  it('adds by mobile, changes role, sets the designated officer, removes; the export imports with no change', async () => {
    const [chengguan] = await rosterCards();
    const add = await h.click(P.editor, chengguan!.messageId, findButton(chengguan!.content, '添加'), { formValue: { contact: '13700000001', role: 'officer' }, name: 'roster_add' });
    await h.settle();
    expect(add.toast).toEqual({ type: 'success', content: '已把 孙新 加为城关镇的信息员。' });
    expect(cardText(add.card)).toContain('孙新');
    expect(h.textsTo('ou_new1').at(-1)).toContain('您已被加入城关镇的名册，角色：信息员');
    const badMobile = await h.click(P.editor, chengguan!.messageId, findButton(chengguan!.content, '添加'), { formValue: { contact: '1370000', role: 'officer' } });
    expect(badMobile.toast?.content).toBe('手机号或邮箱格式不正确（手机号为 11 位，境外号码以 + 和国家代码开头）。');
    const unknown = await h.click(P.editor, chengguan!.messageId, findButton(chengguan!.content, '添加'), { formValue: { contact: '13799999999', role: 'officer' } });
    expect(unknown.toast?.content).toContain('找不到手机号 13799999999 对应的飞书用户');
    // The same person may not be both officer and reviewer of one unit.
    const clash = await h.click(P.editor, chengguan!.messageId, findButton(chengguan!.content, '添加'), { formValue: { person: 'ou_new1', role: 'reviewer' } });
    expect(clash.toast?.content).toContain('同一人不能在一个单位既是信息员又是组织委员');
    // A non-editor's tap on the same card is refused and changes nothing.
    const forged = await h.click(P.reviewer1, chengguan!.messageId, findButton(chengguan!.content, '添加'), { formValue: { person: 'ou_officer3', role: 'officer' } });
    expect(forged.toast).toEqual({ type: 'error', content: '只有研究室可以管理名册。' });
    expect((await loadWho(h.db.db, P.officer3)).officerUnits.map((u) => u.name)).toEqual(['东街街道']);

    const designate = await h.click(P.editor, chengguan!.messageId, findButton(add.card, '设为专职信息员'));
    expect(designate.toast?.content).toBe('已把 钱信息 设为城关镇的专职信息员，并已备案。');
    expect((await loadWho(h.db.db, P.officer2)).designatedUnits.map((u) => u.name)).toEqual(['城关镇']);
    expect((await loadWho(h.db.db, P.officer1)).designatedUnits).toEqual([]);

    const promote = await h.click(P.editor, chengguan!.messageId, findButton(designate.card, '改为组织委员'));
    await h.settle();
    expect(promote.toast?.content).toBe('已把 赵信息 改为城关镇的组织委员。');
    const zhao = await loadWho(h.db.db, P.officer1);
    expect([zhao.officerUnits.length, zhao.reviewerUnits.map((u) => u.name)]).toEqual([0, ['城关镇']]);
    expect(h.textsTo(P.officer1).at(-1)).toBe('您在城关镇的角色已改为组织委员。');

    const export1 = await exportText();
    const before = await rosterState();
    const s = await runOrgImport(h.db.db, export1, { contact: h.api, actor: 'test', now: h.clock.now() });
    expect(s.changed).toBe(false);
    expect(await rosterState()).toEqual(before);
    expect(export1).toContain('designated_officer: ou_officer2');
    expect(export1).toContain('ou_new1');
  });

  it('removing the last reviewer of a unit moves its waiting drafts to the editors, who are told and may decide', async () => {
    const draft = await submitDraft(h, P.officer1);
    const [chengguan] = await rosterCards();
    const removed = await h.click(P.editor, chengguan!.messageId, findButton(chengguan!.content, '移除'));
    await h.settle();
    expect(removed.toast?.content).toBe('已把 张委员 移出城关镇的组织委员。其待审的 1 篇稿件已转交他人审核。');
    expect(h.textsTo(P.reviewer1).at(-1)).toBe('您已不再担任城关镇的组织委员。您的稿件和积分记录均保留。');
    const editorReview = h.cardsTo(P.editor).filter((m) => cardText(m.content).includes('稿件审核')).at(-1)!;
    expect(cardText(editorReview.content)).toContain('系统 转交给 王研究');
    // The removed reviewer may no longer decide; the editor may.
    const old = h.cardsTo(P.reviewer1).filter((m) => cardText(m.content).includes('稿件审核')).at(-1)!;
    const late = await h.click(P.reviewer1, old.messageId, findButton(editorReview.content, '通过'));
    expect(late.toast?.content).toBe('只有本单位的组织委员可以审核这篇稿件。');
    const ok = await h.click(P.editor, editorReview.messageId, findButton(editorReview.content, '通过'));
    expect(ok.toast?.type).toBe('success');
    const [d] = await h.db.db.select().from(drafts).where(eq(drafts.id, draft.id));
    expect(d!.state).toBe('approved');
    // History stays: the person is still known by name.
    expect(hasButton(removed.card, '移除')).toBe(true); // the officers are still listed
  });

  async function exportText(): Promise<string> {
    await h.sendText(P.editor, '名册导出');
    await h.settle();
    const upload = h.fake.uploadedFiles.at(-1)!;
    expect(upload.fileName).toBe('org.yaml');
    const [blob] = await h.db.db.select().from(blobs).where(eq(blobs.size, upload.bytes.length));
    expect(blob).toBeDefined();
    return upload.bytes.toString('utf8');
  }

  /** Everything an import writes: settings, issue settings, units, people's names, roles. */
  async function rosterState() {
    const db = h.db.db;
    const strip = <T extends Record<string, unknown>>(rows: T[]) => rows.map(({ updatedAt: _u, createdAt: _c, ...rest }) => rest);
    return {
      org: strip(await db.select().from(orgSettings)),
      issue: strip(await db.select().from(issueSettings)),
      units: strip(await db.select().from(units).orderBy(asc(units.id))),
      people: (await db.select().from(people).orderBy(asc(people.openId))).map((p) => [p.openId, p.name, p.nameSource]),
      roles: (await db.select().from(roleAssignments).orderBy(asc(roleAssignments.id))).map((r) => [r.openId, r.role, r.unitId, r.designated, r.active]),
    };
  }

  it('the untouched roster exports to a file that imports with no change', async () => {
    const text = await exportText();
    // What only the file sets (签发人, 报送范围) is written back too.
    expect(text).toContain('signers:\n  - ou_leader1');
    expect(text).toContain('distribution:\n  报: 市委组织部\n  送: 县委常委\n  发: 各乡镇（街道）党（工）委，县直各单位党组织');
    expect(text).toContain('designated_officer: ou_officer1');
    expect(text).toContain('name: 张委员');
    const before = await rosterState();
    const s = await runOrgImport(h.db.db, text, { contact: h.api, actor: 'test', now: h.clock.now() });
    expect(s.changed).toBe(false);
    expect(await rosterState()).toEqual(before);
    expect(before.issue).toEqual([{ id: 1, signers: [P.leader], distribution: { 报: '市委组织部', 送: '县委常委', 发: '各乡镇（街道）党（工）委，县直各单位党组织' } }]);
  });

  it('an import that changes only the distribution lines or signers says it changed them', async () => {
    const text = await exportText();
    const s = await runOrgImport(h.db.db, text.replace('送: 县委常委', '送: 县委常委，县人大'), { contact: h.api, actor: 'test', now: h.clock.now() });
    expect(s.changed).toBe(true);
    expect((await h.db.db.select().from(issueSettings))[0]!.distribution).toMatchObject({ 送: '县委常委，县人大' });
  });
});
