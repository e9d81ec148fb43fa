import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { inboxEvents, outbox } from '../../db/schema/index.js';
import { runJobSlot } from '../../jobs/run-once.js';
import { retentionJob } from '../../jobs/retention.js';
import { Harness, P } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DAY = 86_400_000;

async function inboxPayload(h: Harness, messageId: string) {
  const [row] = await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `msg:${messageId}`));
  return row!.payload as Record<string, unknown>;
}

async function runRetention(h: Harness) {
  const now = h.clock.now();
  return runJobSlot(h.app.deps, retentionJob, retentionJob.slotOf(now, 'Asia/Shanghai'), { firedAt: now });
}

describe('retention of message text', { timeout: 120_000 }, () => {
  it('a stranger’s message is blanked once handled; others after RETENTION_DAYS; drafts are kept', async () => {
    h = await Harness.start({ env: { RETENTION_DAYS: '30' } });
    const stranger = await h.sendText(P.stranger, '这是名册外的人发来的一段话');
    const officerText = '关于城关镇推进基层党建工作的情况汇报。' + '我镇扎实推进基层党建各项工作，取得明显成效。'.repeat(8);
    const officer = await h.sendText(P.officer1, officerText);
    await h.settle();

    // The stranger's text is gone at once; who and where stay for counting.
    const s = await inboxPayload(h, stranger.messageId);
    expect(s.content).toBeUndefined();
    expect(s).toMatchObject({ blanked: true, senderOpenId: P.stranger });
    expect(JSON.stringify(await inboxPayload(h, officer.messageId))).toContain('基层党建');
    const sentWithText = await h.db.db.select().from(outbox).where(sql`${outbox.status} = 'sent' and ${outbox.payload} ? 'content'`);
    expect(sentWithText.length).toBeGreaterThan(0);

    // 29 days later nothing of the officer's is touched.
    h.clock.advance(29 * DAY);
    const early = await runRetention(h);
    expect(early.ran && early.result.summary).toContain('已处理消息 0 条');
    expect(JSON.stringify(await inboxPayload(h, officer.messageId))).toContain('基层党建');

    // After 30 days the copies of the text go, the addressing stays.
    h.clock.advance(2 * DAY);
    const late = await runRetention(h);
    expect(late.ran && late.result.summary).toContain('已处理消息 1 条');
    expect(late.ran && late.result.summary).toContain(`已发出消息 ${sentWithText.length} 条`);
    const o = await inboxPayload(h, officer.messageId);
    expect(o.content).toBeUndefined();
    expect(o).toMatchObject({ blanked: true, senderOpenId: P.officer1 });
    const remaining = await h.db.db.select().from(outbox).where(sql`${outbox.payload} ? 'content' and ${outbox.status} = 'sent'`);
    expect(remaining).toEqual([]);
    const blankedRows = await h.db.db.select().from(outbox).where(sql`${outbox.payload} ? 'blanked'`);
    expect(blankedRows.every((r) => typeof (r.payload as { receiveId?: unknown; messageId?: unknown }).receiveId === 'string' || typeof (r.payload as { messageId?: unknown }).messageId === 'string')).toBe(true);
    // The candidate draft the officer's text became is a record: its text is still there.
    const candidates = await h.db.db.execute(sql`select count(*)::int as n from draft_candidates where open_id = ${P.officer1}`);
    const n = (Array.isArray(candidates) ? candidates : (candidates as { rows: { n: number }[] }).rows)[0] as { n: number };
    expect(n.n).toBe(1);
  });
});
