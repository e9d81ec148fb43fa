import { expect } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, drafts } from '../../db/schema/index.js';
import { validateCard } from '../../emulator/card-validator.js';
import { cardText, findButton, type Harness } from '../helpers/harness.js';

/** A plausible 组工信息 draft: a title line and a few body paragraphs (about 260 characters). */
export function sampleDraft(title = '城关镇“三抓三促”推动基层党建提质增效', extra: string[] = []): { title: string; paragraphs: string[]; text: string } {
  const paragraphs = [
    '今年以来，城关镇党委坚持抓基层、打基础，围绕“三抓三促”行动，推动基层党建工作提质增效。',
    '一是抓班子建设，促责任落实。镇党委定期召开党建工作专题会议，压实村（社区）党组织书记抓党建第一责任，全年开展书记述职评议两次。',
    '二是抓队伍建设，促能力提升。分批次组织党员干部参加冬训和专题培训，累计培训党员一千二百余人次。',
    '三是抓阵地建设，促服务提效。整合党群服务中心资源，设立便民服务窗口十二个，群众满意度明显提升。',
    ...extra,
  ];
  return { title, paragraphs, text: [title, ...paragraphs].join('\n') };
}

/** The officer sends a text; returns the confirmation card the bot answered with. */
export async function sendDraft(h: Harness, officer: string, text: string) {
  const before = h.cardsTo(officer).length;
  await h.sendText(officer, text);
  await h.settle();
  const cards = h.cardsTo(officer);
  expect(cards.length).toBe(before + 1);
  return cards[cards.length - 1]!;
}

/** Taps 提交 on a confirmation card (with the form's values, as Lark sends them). */
export async function confirm(h: Harness, officer: string, confirmCard: { messageId: string; content: unknown }, formValue: Record<string, unknown> = { category: '组工信息' }) {
  const res = await h.click(officer, confirmCard.messageId, findButton(confirmCard.content, '提交审核'), { formValue, name: 'submit_draft' });
  await h.settle();
  return res;
}

/** Sends and confirms a draft; returns the draft row. */
export async function submitDraft(h: Harness, officer: string, text = sampleDraft().text, formValue?: Record<string, unknown>) {
  const card = await sendDraft(h, officer, text);
  const res = await confirm(h, officer, card, formValue);
  expect(res.toast?.type).toBe('success');
  const all = await h.db.db.select().from(drafts).where(eq(drafts.authorOpenId, officer)).orderBy(asc(drafts.id));
  expect(all.length).toBeGreaterThan(0);
  return all[all.length - 1]!;
}

/** The newest card a person got that contains `text`. */
export function lastCardWith(h: Harness, to: string, text: string) {
  const found = h.cardsTo(to).filter((m) => cardText(m.content).includes(text));
  if (!found.length) throw new Error(`no card with "${text}" sent to ${to}:\n${h.cardsTo(to).map((m) => cardText(m.content)).join('\n---\n')}`);
  return found[found.length - 1]!;
}

export async function auditOf(h: Harness, draftId: number) {
  return h.db.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'draft'), eq(auditLog.entityId, String(draftId))))
    .orderBy(asc(auditLog.id));
}

export async function draftById(h: Harness, id: number) {
  const [d] = await h.db.db.select().from(drafts).where(eq(drafts.id, id));
  return d!;
}

/** Every card the fake stored (as sent and as patched) passes the validator and the size limit. */
export function expectAllCardsValid(h: Harness) {
  for (const m of h.fake.messages.filter((x) => !x.inbound && x.msgType === 'interactive')) {
    expect(validateCard(m.content)).toEqual({ ok: true });
    expect(Buffer.byteLength(m.raw)).toBeLessThan(30 * 1024);
  }
}
