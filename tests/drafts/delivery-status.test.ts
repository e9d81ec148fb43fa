import { afterEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, outbox } from '../../db/schema/index.js';
import { createOutbox } from '../../bot/outbox/enqueue.js';
import { cardText, findButton, GROUP, Harness, hasButton, P } from '../helpers/harness.js';

/** End-to-end tests share two cores with PGlite; give them room on a loaded machine. */
const SLOW = 120_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('发送失败记录', () => {
  it('lists failed deliveries for editors, and 重新投递 puts one back in the queue, audited', async () => {
    h = await Harness.start();
    // Lark refuses the next send for good (the reviewer left the bot's availability range).
    h.fake.failNext({ method: 'POST', pathIncludes: '/im/v1/messages', status: 400, code: 230013, msg: 'Bot has NO availability to this user.' });
    await h.sendText(P.reviewer1, '帮助');
    await h.settle();
    const [failed] = await h.db.db.select().from(outbox).where(eq(outbox.status, 'failed'));
    expect(failed).toBeDefined();
    expect(h.cardsTo(P.reviewer1)).toHaveLength(0);

    h.clock.advance(10 * 60_000);
    await h.sendText(P.editor, '发送失败记录');
    await h.settle();
    const status = h.lastCardTo(P.editor);
    const t = cardText(status.content);
    expect(t).toContain('投递失败 1 条');
    expect(t).toContain('2026年11月2日 10:00');
    expect(t).toContain('发给 张委员 的卡片');
    expect(t).toContain('Bot has NO availability');
    expect(t).toMatch(/尝试 1 次/);
    // Lark answered with a refusal: nothing suggests it arrived.
    expect(t).not.toContain('可能已经收到');

    const res = await h.click(P.editor, status.messageId, findButton(status.content, '重新投递'));
    expect(res.toast).toEqual({ type: 'success', content: '已放回发送队列，稍后投递。' });
    expect(cardText(res.card)).toContain('没有投递失败的消息');
    expect(hasButton(res.card, '重新投递')).toBe(false);
    const [row] = await h.db.db.select().from(outbox).where(eq(outbox.id, failed!.id));
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    const audit = await h.db.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'outbox'), eq(auditLog.entityId, String(failed!.id))));
    expect(audit).toEqual([
      expect.objectContaining({ actor: P.editor, action: 'redeliver', fromState: 'failed', toState: 'pending', data: expect.objectContaining({ attempts: 1 }) }),
    ]);

    await h.settle();
    expect(cardText(h.lastCardTo(P.reviewer1).content)).toContain('使用帮助');

    // A second tap on the same (stale) button does nothing more.
    const again = await h.click(P.editor, status.messageId, findButton(status.content, '重新投递'));
    expect(again.toast?.type).toBe('info');
    expect(await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'redeliver'))).toHaveLength(1);
  }, SLOW);

  it('重新投递 of a message given up when its uuid’s hour ran out gives it a new hour', async () => {
    h = await Harness.start();
    // Connections reset for two hours: Lark may have taken an attempt, so the row stops within the hour.
    h.fake.setDown(true);
    await h.sendText(P.reviewer1, '帮助');
    await h.settle(2 * 3600_000);
    h.fake.setDown(false);
    const [failed] = await h.db.db.select().from(outbox).where(eq(outbox.status, 'failed'));
    expect(failed!.uncertainSince).not.toBeNull();

    await h.sendText(P.editor, '发送失败记录');
    await h.settle();
    const status = h.lastCardTo(P.editor);
    expect(cardText(status.content)).toContain('有一次发送未得到飞书答复，对方可能已经收到；重新投递前可先向对方确认，以免重复。');
    const res = await h.click(P.editor, status.messageId, findButton(status.content, '重新投递'));
    expect(res.toast?.type).toBe('success');
    const [back] = await h.db.db.select().from(outbox).where(eq(outbox.id, failed!.id));
    expect(back).toMatchObject({ status: 'pending', attempts: 0, uncertainSince: null });

    // One more 5xx on the way: tried again, not given up at once for the old hour.
    h.fake.failNext({ method: 'POST', pathIncludes: '/im/v1/messages', status: 500, times: 1 });
    await h.settle();
    expect(cardText(h.lastCardTo(P.reviewer1).content)).toContain('使用帮助');
    const [sent] = await h.db.db.select().from(outbox).where(eq(outbox.id, failed!.id));
    // The attempt that failed and the one that went through.
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
  }, SLOW);

  it('tells the research office privately when a message to the work group cannot go out (the bot taken out of the group)', async () => {
    h = await Harness.start();
    h.fake.addChat({ chatId: GROUP, chatType: 'group', name: '组织部机关工作群', botIsMember: false });
    await h.db.db.transaction(async (tx) => {
      await createOutbox(tx, h!.clock).sendText({ chatId: GROUP }, '2026年10月信息工作通报');
    });
    await h.settle();
    const [failed] = await h.db.db.select().from(outbox).where(eq(outbox.status, 'failed'));
    expect(failed!.lastError).toContain('230002');
    const told = '发到工作群的文本消息没有发出（Lark API error 230002 (HTTP 400): The bot can not be outside the group.）。机器人可能已被移出工作群，或 org.yaml 中工作群的 chat_id 有误；处理后发送“发送失败记录”可重新投递。';
    expect(h.textsTo(P.editor)).toEqual([told]);
    // Only the research office; and a failure to anyone else is no group matter.
    for (const p of [P.leader, P.reviewer1, P.officer1]) expect(h.textsTo(p)).toEqual([]);

    // Back in the group: 重新投递 from the list sends it, once.
    h.fake.addChat({ chatId: GROUP, chatType: 'group', name: '组织部机关工作群' });
    await h.sendText(P.editor, '发送失败记录');
    await h.settle();
    const status = h.lastCardTo(P.editor);
    await h.click(P.editor, status.messageId, findButton(status.content, '重新投递'));
    await h.settle();
    expect(h.textsTo(GROUP)).toEqual(['2026年10月信息工作通报']);
    expect(h.textsTo(P.editor)).toEqual([told]);
  }, SLOW);

  it('is for editors only', async () => {
    h = await Harness.start();
    await h.sendText(P.reviewer1, '发送失败记录');
    await h.settle();
    expect(h.textsTo(P.reviewer1).at(-1)).toBe('只有研究室可以查看发送失败记录。');
    const res = await h.click(P.officer1, 'om_x', { a: 'outbox.redeliver', id: 1 });
    expect(res.toast?.type).toBe('error');
  }, SLOW);
});
