import { count, desc, eq, inArray } from 'drizzle-orm';
import { cardAction, command, roles } from '../../bot/declare.js';
import type { DbOrTx } from '../../db/client.js';
import { displayName, getOrgSettings, holdersOf } from '../../db/queries/roster.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { excerpt } from '../../cards/elements.js';
import { outbox, people, type OutboxRow } from '../../db/schema/index.js';
import { DELIVERY_ACTIONS, deliveryStatusCard, type FailedDelivery } from '../../cards/draft-delivery-status.js';
import { PAGE_SIZE, pageOf, type Page } from '../../domain/drafts/lists.js';
import { recordAudit } from '../../domain/drafts/transition.js';
import { pageArg } from './args.js';

/**
 * 发送失败记录: the messages the outbox gave up on (Lark refused them; Lark may have taken an
 * attempt and its uuid's hour ran out; or a day passed without reaching Lark), so the research
 * office sees who did not get what, and can put a row back in the queue.
 */
const MAY_SEE_FAILED = roles(['editor'], '查看发送失败记录');


const KINDS: Record<string, string> = { text: '文本消息', interactive: '卡片', file: '文件', post: '富文本消息' };

function kindOf(row: OutboxRow): string {
  const p = row.payload as { msgType?: string };
  switch (row.op) {
    case 'send':
      return KINDS[p.msgType ?? ''] ?? '消息';
    case 'reply':
      return `群内回复（${KINDS[p.msgType ?? ''] ?? '消息'}）`;
    case 'patch':
      return '卡片更新';
    case 'send_file':
      return '文件';
    case 'urgent':
      return '加急提醒';
  }
}

async function failedPage(db: DbOrTx, requested: number): Promise<{ rows: FailedDelivery[]; page: Page }> {
  const [c] = await db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'failed'));
  const total = Number(c?.n ?? 0);
  const page = pageOf(total, requested);
  const rows = await db
    .select()
    .from(outbox)
    .where(eq(outbox.status, 'failed'))
    .orderBy(desc(outbox.id))
    .limit(PAGE_SIZE)
    .offset((page.page - 1) * PAGE_SIZE);
  // Recipients by name: a person's open_id, the work group, or another chat.
  const keys = rows.map((r) => String((r.payload as { receiveId?: string }).receiveId ?? r.orderKey));
  const openIds = [...new Set(keys.filter((k) => k.startsWith('ou_')))];
  const names = new Map(
    (openIds.length ? await db.select().from(people).where(inArray(people.openId, openIds)) : []).map((p) => [p.openId, displayName(p.name, p.openId)]),
  );
  const group = (await getOrgSettings(db))?.groupChatId;
  return {
    rows: rows.map((r, i) => {
      const key = keys[i]!;
      return {
        id: r.id,
        createdAt: r.createdAt,
        recipient: names.get(key) ?? (key === group ? '工作群' : key.startsWith('ou_') ? displayName(undefined, key) : `会话 ${key}`),
        kind: kindOf(r),
        lastError: r.lastError ?? '',
        attempts: r.attempts,
        maybeDelivered: r.uncertainSince !== null,
      };
    }),
    page,
  };
}

/**
 * A message to the work group the outbox gave up on (the bot taken out of the group, a wrong
 * group_chat_id, a long outage): the group would just miss a bulletin or a topic, and nobody would
 * know. The research office is told privately, once per message, with the way to send it again.
 */
export async function tellEditorsOfGroupFailure(work: UnitOfWork, row: OutboxRow, error: string): Promise<void> {
  const settings = await getOrgSettings(work.tx);
  if (!settings || row.orderKey !== settings.groupChatId) return;
  const text = `发到工作群的${kindOf(row)}没有发出（${excerpt(error, 80)}）。机器人可能已被移出工作群，或 org.yaml 中工作群的 chat_id 有误；处理后发送“发送失败记录”可重新投递。`;
  for (const e of await holdersOf(work.tx, 'editor')) await work.out.sendText({ openId: e.openId }, text);
}

export const deliveryStatusCommand = command({
  name: '发送失败记录',
  aliases: ['投递状态'],
  summary: '查看发送失败的消息，并可重新投递',
  usage: '发送失败记录 [页码]',
  example: () => '发送失败记录',
  allow: MAY_SEE_FAILED,
  async run(ctx, args) {
    const { rows, page } = await failedPage(ctx.tx, pageArg(args));
    await ctx.reply(deliveryStatusCard(rows, page, ctx.deps.config.timezone));
  },
});

export const deliveryStatusPageAction = cardAction(DELIVERY_ACTIONS.page, {
  allow: MAY_SEE_FAILED,
  privateChat: true,
  async run(ctx, { page: requested }) {
    const { rows, page } = await failedPage(ctx.tx, requested ?? 1);
    return { card: deliveryStatusCard(rows, page, ctx.deps.config.timezone) };
  },
});

/** 重新投递: a failed row goes back to pending with a fresh start; the audit log keeps why. */
export const redeliverAction = cardAction(DELIVERY_ACTIONS.redeliver, {
  allow: MAY_SEE_FAILED,
  privateChat: true,
  async run(ctx, { id, page: shown }) {
    const [row] = await ctx.tx.select().from(outbox).where(eq(outbox.id, id)).for('update');
    const now = ctx.deps.clock.now();
    let toast: { type: 'success' | 'info'; content: string };
    if (!row || row.status !== 'failed') {
      toast = { type: 'info', content: '这条消息已不在失败列表中（可能已被重新投递）。' };
    } else {
      // Someone chose to send it again, a second copy accepted: the uuid's hour starts over with the next try.
      await ctx.tx.update(outbox).set({ status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null, uncertainSince: null }).where(eq(outbox.id, id));
      await recordAudit(ctx.tx, {
        at: now,
        actor: ctx.who.openId,
        entityType: 'outbox',
        entityId: id,
        action: 'redeliver',
        fromState: 'failed',
        toState: 'pending',
        data: { op: row.op, attempts: row.attempts, lastError: row.lastError },
      });
      ctx.log.info({ outboxId: id }, 'failed outbox row put back to pending');
      toast = { type: 'success', content: '已放回发送队列，稍后投递。' };
    }
    const { rows, page } = await failedPage(ctx.tx, shown ?? 1);
    return { toast, card: deliveryStatusCard(rows, page, ctx.deps.config.timezone) };
  },
});
