import { afterEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { draftCandidates, draftRevisions, drafts, outbox, roleAssignments } from '../../db/schema/index.js';
import { drawNotice } from '../../cards/notices.js';
import { loadDraftView } from '../../domain/drafts/views.js';
import { cardText, findButton, GROUP, Harness, hasButton, P } from '../helpers/harness.js';
import { auditOf, confirm, draftById, expectAllCardsValid, lastCardWith, sampleDraft, sendDraft, submitDraft } from './flow.js';

/** End-to-end tests share two cores with PGlite; give them room on a loaded machine. */
const SLOW = 120_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('submitting a draft', () => {
  it('asks to confirm a text message, then submits it with a serial, review card, receipt; approval notifies officer and editors', async () => {
    h = await Harness.start();
    const d = sampleDraft();
    const confirmCard = await sendDraft(h, P.officer1, d.text);
    const shown = cardText(confirmCard.content);
    expect(shown).toContain('确认提交审核');
    expect(shown).toContain(d.title);
    const bodyChars = d.paragraphs.join('').length;
    expect(shown).toContain(`${bodyChars}字，4 段`);
    expect(shown).toContain('今年以来，城关镇党委坚持抓基层');
    // The category select defaults to 组工信息 and offers the four categories.
    const select = JSON.stringify(confirmCard.content);
    for (const c of ['组工信息', '调研文稿', '网评文章', '上级媒体稿件']) expect(select).toContain(`"value":"${c}"`);
    expect(select).toContain('"initial_option":"组工信息"');
    expect(hasButton(confirmCard.content, '提交审核') && hasButton(confirmCard.content, '取消')).toBe(true);
    // Nothing is a draft before the officer confirms.
    expect(await h.db.db.select().from(drafts)).toHaveLength(0);
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(1);

    const res = await confirm(h, P.officer1, confirmCard, { category: '调研文稿' });
    expect(res.toast).toEqual({ type: 'success', content: '已提交，编号 2026-0001' });
    expect(cardText(res.card)).toContain('2026-0001');
    expect(hasButton(res.card, '提交审核')).toBe(false);

    const [draft] = await h.db.db.select().from(drafts);
    expect(draft).toMatchObject({ serial: '2026-0001', state: 'pending_review', category: '调研文稿', title: d.title, currentRevision: 1, topicId: null });
    const [rev] = await h.db.db.select().from(draftRevisions);
    expect(rev).toMatchObject({ revision: 1, charCount: bodyChars, sourceType: 'text' });
    // 调研文稿 wants 1500 characters: the check's warning is stored with the revision.
    expect(rev!.checks).toEqual([expect.objectContaining({ kind: 'length' })]);

    const review = h.lastCardTo(P.reviewer1);
    const rt = cardText(review.content);
    for (const s of ['2026-0001', '第1稿', d.title, '城关镇', '赵信息', '调研文稿', '2026年11月2日 10:00', `${bodyChars}字`, '预审提示', '查看全文', '一是抓班子建设']) {
      expect(rt).toContain(s);
    }
    expect(hasButton(review.content, '通过') && hasButton(review.content, '退回')).toBe(true);
    // Reviewers of other units see nothing.
    expect(h.cardsTo(P.reviewer2)).toHaveLength(0);

    const receipt = lastCardWith(h, P.officer1, '稿件回执');
    expect(cardText(receipt.content)).toContain('待 张委员 审核');
    expect(cardText(receipt.content)).toContain('2026-0001');
    expect(hasButton(receipt.content, '撤回')).toBe(true);

    h.clock.advance(60 * 60_000);
    const approved = await h.click(P.reviewer1, review.messageId, findButton(review.content, '通过'));
    await h.settle();
    expect(approved.toast?.type).toBe('success');
    expect(cardText(approved.card)).toContain('已审核通过');
    expect(cardText(approved.card)).toContain('张委员 · 2026年11月2日 11:00');
    expect(hasButton(approved.card, '通过')).toBe(false);

    expect((await draftById(h, draft!.id)).state).toBe('approved');
    expect(cardText(lastCardWith(h, P.officer1, '已通过审核').content)).toContain('张委员');
    // The receipt follows: approved, no withdraw any more.
    const receiptNow = h.fake.message(receipt.messageId)!;
    expect(cardText(receiptNow.content)).toContain('已报研究室');
    expect(hasButton(receiptNow.content, '撤回')).toBe(false);
    // The research office gets the hand-on notice: serial, unit, title.
    const handOn = cardText(h.lastCardTo(P.editor).content);
    expect(handOn).toContain('2026-0001');
    expect(handOn).toContain('城关镇');
    expect(handOn).toContain(d.title);

    const audit = await auditOf(h, draft!.id);
    expect(audit.map((a) => [a.action, a.fromState, a.toState, a.actor])).toEqual([
      ['submit', null, 'pending_review', P.officer1],
      ['approve', 'pending_review', 'approved', P.reviewer1],
    ]);
    expect(audit[1]!.at.toISOString()).toBe('2026-11-02T03:00:00.000Z');
    expectAllCardsValid(h);
    expect(await h.db.db.select().from(outbox).where(sql`status <> 'sent'`)).toHaveLength(0);
  }, SLOW);

  it('the review cards and the receipt a submission sends are what the stored draft draws when read back', async () => {
    // A submission draws its cards from what it wrote, without reading the draft back: this keeps
    // the two in step (a field the read-back view gains must be given by the submission too).
    h = await Harness.start();
    await submitDraft(h, P.officer1, sampleDraft().text, { category: '组工信息' });
    const [draft] = await h.db.db.select().from(drafts);
    const view = await loadDraftView(h.db.db, draft!.id);
    expect(view.reviewers.length).toBeGreaterThan(0);
    const [review] = drawNotice({ kind: 'draft.review', view }, 'Asia/Shanghai');
    const [receipt] = drawNotice({ kind: 'draft.receipt', view }, 'Asia/Shanghai');
    for (const r of view.reviewers) expect(h.lastCardTo(r.openId).content).toEqual(JSON.parse(JSON.stringify(review)));
    expect(lastCardWith(h, P.officer1, '稿件回执').content).toEqual(JSON.parse(JSON.stringify(receipt)));
  });

  it('a unit left without any 组织委员 still gets its draft submitted: every editor is told, the officer gets the receipt', async () => {
    h = await Harness.start();
    // The import refuses a unit without reviewers; a reviewer's role can still end afterwards.
    await h.db.db.update(roleAssignments).set({ active: false }).where(and(eq(roleAssignments.role, 'reviewer'), eq(roleAssignments.openId, P.reviewer1)));
    const editorIds = (await h.db.db.selectDistinct({ openId: roleAssignments.openId }).from(roleAssignments).where(and(eq(roleAssignments.role, 'editor'), eq(roleAssignments.active, true)))).map((r) => r.openId);
    expect(editorIds.length).toBeGreaterThan(0);
    await submitDraft(h, P.officer1);
    for (const id of editorIds) expect(cardText(h.lastCardTo(id).content)).toContain('稿件无人审核');
    expect(cardText(lastCardWith(h, P.officer1, '稿件回执').content)).toContain('2026-0001');
    expect(h.cardsTo(P.reviewer1).filter((c) => cardText(c.content).includes('2026-0001'))).toHaveLength(0);
  });

  it('takes a rich-text post: its title, and its paragraphs as the body', async () => {
    h = await Harness.start();
    const d = sampleDraft('东街街道推行“网格+党建”治理模式');
    const { messageId } = await h.sendPost(P.officer3, d.title, d.paragraphs);
    await h.settle();
    const confirmCard = h.lastCardTo(P.officer3);
    expect(cardText(confirmCard.content)).toContain(d.title);
    expect(cardText(confirmCard.content)).toContain(`${d.paragraphs.length} 段`);
    const res = await confirm(h, P.officer3, confirmCard);
    expect(res.toast?.content).toBe('已提交，编号 2026-0001');
    const [rev] = await h.db.db.select().from(draftRevisions);
    expect(rev).toMatchObject({ title: d.title, body: d.paragraphs.join('\n'), sourceType: 'post' });
    const [cand] = await h.db.db.select().from(draftCandidates);
    expect(cand!.sourceMessageId).toBe(messageId);
    // Both reviewers of 东街街道 get a card; the receipt names both.
    expect(h.cardsTo(P.reviewer2)).toHaveLength(1);
    expect(h.cardsTo(P.reviewer3)).toHaveLength(1);
    expect(cardText(lastCardWith(h, P.officer3, '稿件回执').content)).toContain('待 孙委员、周委员 审核');
  }, SLOW);

  it('answers a too-short message with a hint and stores no candidate', async () => {
    h = await Harness.start();
    await h.sendText(P.officer1, '你好，请问怎么报送？');
    await h.settle();
    expect(h.textsTo(P.officer1).at(-1)).toContain('第一行写标题');
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(0);
  }, SLOW);

  it('cancel closes the confirmation and submits nothing', async () => {
    h = await Harness.start();
    const confirmCard = await sendDraft(h, P.officer1, sampleDraft().text);
    const res = await h.click(P.officer1, confirmCard.messageId, findButton(confirmCard.content, '取消'), { formValue: { category: '组工信息' } });
    expect(res.toast?.content).toBe('已取消，未提交。');
    expect(hasButton(res.card, '提交审核')).toBe(false);
    // A late tap on 提交 of the same card does not bring it back.
    const again = await confirm(h, P.officer1, confirmCard);
    expect(again.toast?.type).toBe('error');
    expect(await h.db.db.select().from(drafts)).toHaveLength(0);
    expect(h.cardsTo(P.reviewer1)).toHaveLength(0);
  }, SLOW);

  it('a second tap on 提交 does not submit twice', async () => {
    h = await Harness.start();
    const confirmCard = await sendDraft(h, P.officer1, sampleDraft().text);
    await confirm(h, P.officer1, confirmCard);
    const again = await confirm(h, P.officer1, confirmCard);
    expect(again.toast).toEqual({ type: 'info', content: '这篇稿件已提交，编号 2026-0001。' });
    expect(await h.db.db.select().from(drafts)).toHaveLength(1);
    expect(h.cardsTo(P.reviewer1)).toHaveLength(1);
  }, SLOW);

  it('someone else cannot confirm an officer\'s candidate', async () => {
    h = await Harness.start();
    const confirmCard = await sendDraft(h, P.officer1, sampleDraft().text);
    const res = await confirm(h, P.officer2, confirmCard);
    expect(res.toast?.type).toBe('error');
    expect(await h.db.db.select().from(drafts)).toHaveLength(0);
  }, SLOW);

  it('a sender not in the roster is offered the join request (申请加入), and nothing is stored', async () => {
    h = await Harness.start();
    const d = sampleDraft();
    await h.sendText(P.stranger, d.text);
    await h.settle();
    const [reply] = h.cardsTo(P.stranger).map((m) => cardText(m.content));
    expect(reply).toContain('申请加入');
    expect(reply).toContain('名册');
    expect(reply).toContain('研究室');
    // Every table but the transport's own is as the roster import left it: no candidate, no draft,
    // no person, no audit row. inbox_events keeps the delivery record (dedupe), outbox the reply.
    const counts = await h.rowCounts();
    const baseline = await baselineCounts();
    for (const [table, n] of Object.entries(counts)) {
      if (table === 'inbox_events') expect(n).toBe(1);
      else if (table === 'outbox') expect(n).toBe(1);
      else expect([table, n]).toEqual([table, baseline[table] ?? 0]);
    }
    expect(counts.draft_candidates).toBe(0);
    expect(counts.drafts).toBe(0);
  }, SLOW);

  it('refuses a draft sent in the group without quoting it, and stores nothing', async () => {
    h = await Harness.start();
    const d = sampleDraft();
    const { messageId } = await h.sendText(P.officer1, d.text, { group: true });
    await h.settle();
    const replies = h.sentTo(GROUP);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.parentId).toBe(messageId);
    const said = JSON.stringify(replies[0]!.content);
    expect(said).toContain('私聊');
    // Not a word of the draft: neither the title nor any piece of the body.
    for (const piece of [d.title, ...d.paragraphs.map((p) => p.slice(0, 8)), '三抓三促', '城关镇党委']) expect(said).not.toContain(piece);
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(0);
    expect(h.sentTo(P.officer1)).toHaveLength(0);
  }, SLOW);

  it('a short @mention in the group is not treated as a draft', async () => {
    h = await Harness.start();
    await h.sendText(P.officer1, '收到', { group: true });
    await h.settle();
    expect(JSON.stringify(h.sentTo(GROUP)[0]?.content)).not.toContain('私聊我');
  }, SLOW);

  it('never logs the draft text', async () => {
    h = await Harness.start();
    const d = sampleDraft();
    await submitDraft(h, P.officer1, d.text);
    const logged = JSON.stringify(h.logs);
    expect(logged).toContain('2026-0001');
    for (const p of d.paragraphs) expect(logged).not.toContain(p.slice(0, 12));
    expect(logged).not.toContain(d.title);
  }, SLOW);
});

/** Row counts right after the roster import, with no message handled. */
async function baselineCounts() {
  const other = await Harness.start();
  try {
    return await other.rowCounts();
  } finally {
    await other.close();
  }
}
