import { afterEach, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, bulletinApprovals, units } from '../../db/schema/index.js';
import { validateCard } from '../../emulator/card-validator.js';
import { cardText, findButton, GROUP, Harness, hasButton, P } from '../helpers/harness.js';
import { buildScenario } from './scenario.js';

let h: Harness | undefined;

/** The approval reminders an approver received (the scenario's pending drafts bring 催办 too). */
const reminders = (h: Harness, who: string) => h.textsTo(who).filter((t) => t.startsWith('【提醒】'));
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function withHistory(startAt: string, env?: Record<string, string>) {
  const x = await Harness.start({ start: startAt, env });
  await x.db.db.update(units).set({ createdAt: new Date('2026-01-01T00:00:00+08:00') });
  await buildScenario(x.db.db);
  return x;
}

const NINE_AM = new Date('2026-11-01T01:00:00Z'); // 09:00 on 1 November in Shanghai

/** Moves the clock and lets the per-minute heartbeat fire at that minute. */
async function tickAt(h: Harness, iso: string) {
  h.clock.set(iso);
  await h.app.scheduler.tick(new Date(iso));
  await h.settle();
}

describe('审定 of the ranking bulletins', { timeout: 120_000 }, () => {
  it('the cron job prepares the bulletin for the editors; it reaches the group only after 审定发布, once, with the commentary', async () => {
    h = await withHistory('2026-11-01T00:59:00Z');
    await tickAt(h, NINE_AM.toISOString());
    expect(h.cardsTo(GROUP)).toHaveLength(0);
    const preview = h.lastCardTo(P.editor);
    const text = cardText(preview.content);
    expect(text).toContain('待审定 · 2026年10月信息工作通报');
    expect(text).toContain('2026年10月月通报已生成，审定后才发送到工作群');
    expect(text).toContain('**零报送（4 个单位）**：城关镇、东街街道、东港镇、新区街道');
    expect(h.cardsTo(P.leader)).toHaveLength(0);
    const [row] = await h.db.db.select().from(bulletinApprovals);
    expect(row).toMatchObject({ job: 'monthly-bulletin', period: '2026-10', status: 'pending', comment: null });

    // Approving is the research office's: a leader and a reviewer are refused.
    for (const who of [P.leader, P.reviewer1]) {
      const r = await h.click(who, preview.messageId, findButton(preview.content, '审定发布'));
      expect(r.toast).toEqual({ type: 'error', content: '只有研究室可以审定通报。' });
    }
    const empty = await h.click(P.editor, preview.messageId, findButton(preview.content, '保存点评'), { formValue: { comment: ' ' }, name: 'comment_submit' });
    expect(empty.toast).toEqual({ type: 'error', content: '请填写点评内容。' });
    const commented = await h.click(P.editor, preview.messageId, findButton(preview.content, '保存点评'), { formValue: { comment: '本月南湖镇进步明显，零报送单位请抓紧。' }, name: 'comment_submit' });
    expect(commented.toast?.content).toBe('点评已保存，将印在通报末尾；审定发布后发送');
    expect(cardText(commented.card)).toContain('本月南湖镇进步明显');
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(0);

    const approved = await h.click(P.editor, preview.messageId, findButton(commented.card, '审定发布'));
    expect(approved.toast).toEqual({ type: 'success', content: '已审定，通报已发送到工作群' });
    expect(hasButton(approved.card, '审定发布')).toBe(false);
    expect(cardText(approved.card)).toContain('已审定发布');
    await h.settle();
    const posted = h.cardsTo(GROUP);
    expect(posted).toHaveLength(1);
    const postedText = cardText(posted[0]!.content);
    expect((posted[0]!.content as { header: { title: { content: string } } }).header.title.content).toBe('2026年10月信息工作通报');
    expect(postedText).toContain('**点评**\n本月南湖镇进步明显，零报送单位请抓紧。');
    expect(postedText).not.toContain('待审定');
    expect(validateCard(posted[0]!.content)).toEqual({ ok: true });

    // A second tap, a late 暂缓 or the job firing again post nothing more.
    const again = await h.click(P.editor, preview.messageId, findButton(commented.card, '审定发布'));
    expect(again.toast).toEqual({ type: 'error', content: '2026年10月月通报已由 王研究 审定发布，本次操作未生效。' });
    await h.app.scheduler.tick(NINE_AM);
    await h.app.scheduler.catchUp(h.clock.now());
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(1);
    // (The catch-up also prepared the third quarter's bulletin, never run: a row of its own.)
    const audit = await h.db.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'bulletin_approval'), eq(auditLog.entityId, String(row!.id)))).orderBy(asc(auditLog.id));
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['bulletin.prepare', 'system'],
      ['bulletin.comment', P.editor],
      ['bulletin.approve', P.editor],
    ]);
  });

  it('reminds the approvers after the configured hours and never posts by itself; 暂缓 stops the reminders', async () => {
    h = await withHistory('2026-11-01T00:59:00Z', { BULLETIN_REMIND_HOURS: '2' });
    await tickAt(h, NINE_AM.toISOString());
    const preview = h.lastCardTo(P.editor);
    await tickAt(h, '2026-11-01T02:45:00Z'); // 1 h 45 min: too early
    expect(reminders(h, P.editor)).toHaveLength(0);
    await tickAt(h, '2026-11-01T03:00:00Z'); // 2 h
    expect(reminders(h, P.editor)).toEqual([
      '【提醒】2026年10月月通报已于2026年11月1日生成，2 小时仍未审定，不会自动发送到工作群。请在审定卡片上点“审定发布”、“补充点评”或“暂缓”。',
    ]);
    await tickAt(h, '2026-11-01T03:15:00Z'); // same period: once
    expect(reminders(h, P.editor)).toHaveLength(1);
    await tickAt(h, '2026-11-01T05:00:00Z'); // 4 h: the next reminder
    expect(reminders(h, P.editor)).toHaveLength(2);
    expect(h.cardsTo(GROUP)).toHaveLength(0);

    const held = await h.click(P.editor, preview.messageId, findButton(preview.content, '暂缓'));
    expect(held.toast?.content).toBe('已暂缓，不会发送到工作群；需要时在此卡片上点“审定发布”');
    await tickAt(h, '2026-11-01T09:00:00Z');
    expect(reminders(h, P.editor)).toHaveLength(2);
    expect(h.cardsTo(GROUP)).toHaveLength(0);
    // Held is not refused: it can still be approved later.
    const later = await h.click(P.editor, preview.messageId, findButton(held.card, '审定发布'));
    expect(later.toast?.type).toBe('success');
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(1);
  });

  it('BULLETIN_APPROVAL=signers also asks the signers, who may approve; BULLETIN_APPROVAL=off posts directly', async () => {
    h = await withHistory('2026-11-01T00:59:00Z', { BULLETIN_APPROVAL: 'signers' });
    await tickAt(h, NINE_AM.toISOString());
    expect(h.cardsTo(GROUP)).toHaveLength(0);
    const leaderPreview = h.lastCardTo(P.leader);
    const editorPreview = h.lastCardTo(P.editor);
    const ok = await h.click(P.leader, leaderPreview.messageId, findButton(leaderPreview.content, '审定发布'));
    expect(ok.toast?.type).toBe('success');
    await h.settle();
    expect(h.cardsTo(GROUP)).toHaveLength(1);
    // The editor's copy shows it was approved.
    expect(cardText(h.cardsTo(P.editor).find((m) => m.messageId === editorPreview.messageId)!.content)).toContain('已审定发布');
    await h.close();

    h = await withHistory('2026-11-01T00:59:00Z', { BULLETIN_APPROVAL: 'off' });
    await tickAt(h, NINE_AM.toISOString());
    expect(h.cardsTo(GROUP)).toHaveLength(1);
    expect(h.cardsTo(P.editor)).toHaveLength(0);
    expect(await h.db.db.select().from(bulletinApprovals)).toHaveLength(0);
  });
});
