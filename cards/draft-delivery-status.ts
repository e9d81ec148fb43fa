import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { button, card, escapeMd, excerpt, markdown, note, type Card, type Element, listRow } from './elements.js';
import { when } from './draft-parts.js';
import type { Page } from '../domain/drafts/lists.js';
import { PAGE_ARGS, pager } from './draft-lists.js';

/** `page`: the page the card showed, redrawn after the tap. */
export const DELIVERY_ACTIONS = {
  page: actionSpec('outbox.status', PAGE_ARGS),
  redeliver: actionSpec('outbox.redeliver', z.object({ id: id(), page: id().optional() })),
};

export type FailedDelivery = {
  id: number;
  createdAt: Date;
  recipient: string;
  kind: string;
  lastError: string;
  attempts: number;
  /** An attempt went unanswered (a timeout, a reset, a 5xx): Lark may have delivered it after all. */
  maybeDelivered: boolean;
};

/** 发送失败记录: messages the bot gave up delivering, for the research office to look at and retry. */
export function deliveryStatusCard(rows: FailedDelivery[], p: Page, timezone: string): Card {
  const items: Element[] = rows.map((r) =>
    listRow(
      `**${when(r.createdAt, timezone)}** 发给 ${escapeMd(r.recipient)} 的${r.kind}\n<font color='grey'>尝试 ${r.attempts} 次 · 错误：${escapeMd(excerpt(r.lastError || '（无）', 80))}</font>` +
        (r.maybeDelivered ? `\n<font color='orange'>有一次发送未得到飞书答复，对方可能已经收到；重新投递前可先向对方确认，以免重复。</font>` : ''),
      button({ text: '重新投递', value: DELIVERY_ACTIONS.redeliver.value({ id: r.id, page: p.page }) }),
    ),
  );
  return card({
    title: '发送失败记录',
    subtitle: p.total ? `投递失败 ${p.total} 条 · 第 ${p.page}/${p.pages} 页` : '没有投递失败的消息',
    template: p.total ? 'red' : 'green',
    elements: [
      ...(items.length ? items : [markdown('所有消息均已送达或正在投递。')]),
      pager(p, DELIVERY_ACTIONS.page),
      items.length > 0 && note('“重新投递”会把这条消息放回发送队列；每次操作都会记入审计日志。'),
    ],
  });
}
