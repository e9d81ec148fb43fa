import { expect } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { drafts, units } from '../../db/schema/index.js';
import { validateCard } from '../../emulator/card-validator.js';
import { cardText, findButton, GROUP, P, type Harness } from '../helpers/harness.js';

/** The harness starts at 2026-11-02 10:00 in Asia/Shanghai (02:00Z). */
export const START = '2026-11-02T02:00:00Z';
/** 2026-11-05 18:00 Asia/Shanghai. */
export const DEADLINE_LOCAL = '2026-11-05 18:00';
export const DEADLINE = new Date('2026-11-05T10:00:00Z');
export const HOUR = 3600_000;
/** Scenario tests walk many webhook round trips and scheduler ticks; on a busy 2-core box they need more than the default 30 s. */
export const LONG_SCENARIO_MS = 120_000;

export async function unitId(h: Harness, name: string): Promise<number> {
  const [u] = await h.db.db.select().from(units).where(eq(units.name, name));
  return u!.id;
}

/** The editor posts a topic with the one-line command. */
export async function postTopic(h: Harness, line = `基层党建典型经验 | 截止 ${DEADLINE_LOCAL} | 单位 城关镇,东街街道`) {
  await h.sendText(P.editor, `点题 ${line}`);
  await h.settle();
}

/** The topic board in the work group, as it reads now (after every patch). */
export function board(h: Harness, code = 'T1') {
  const found = h.cardsTo(GROUP).filter((m) => cardText(m.content).includes(`【点题 ${code}】`));
  expect(found).toHaveLength(1);
  return found[0]!;
}

export function boardText(h: Harness, code = 'T1'): string {
  return cardText(board(h, code).content);
}

export function lastText(h: Harness, to: string): string {
  const texts = h.textsTo(to);
  return texts[texts.length - 1] ?? '';
}

export const BODY = [
  '今年以来，城关镇党委坚持抓基层、打基础，围绕“三抓三促”行动，推动基层党建工作提质增效。',
  '一是抓班子建设，促责任落实。镇党委定期召开党建工作专题会议，压实村（社区）党组织书记抓党建第一责任。',
  '二是抓队伍建设，促能力提升。分批次组织党员干部参加冬训和专题培训，累计培训党员一千二百余人次。',
];

/**
 * The real drafts flow through the webhook: the officer sends a draft, picks the topic on the
 * confirmation card and taps 提交. Returns the draft row and the confirmation card it was offered.
 */
export async function submitDraft(h: Harness, officer: string, topicId: number | null, title = '城关镇推动基层党建提质增效') {
  await h.sendText(officer, [title, ...BODY].join('\n'));
  await h.settle();
  const confirmCard = h.lastCardTo(officer);
  const res = await h.click(officer, confirmCard.messageId, findButton(confirmCard.content, '提交审核'), {
    formValue: { category: '组工信息', ...(topicId === null ? {} : { topic: String(topicId) }) },
    name: 'submit_draft',
  });
  expect(res.toast?.type).toBe('success');
  await h.settle();
  const mine = await h.db.db.select().from(drafts).where(eq(drafts.authorOpenId, officer)).orderBy(asc(drafts.id));
  return { draft: mine[mine.length - 1]!, confirmCard };
}

/** The reviewer taps 通过 on their newest review card of the draft. */
export async function approve(h: Harness, reviewer: string, serial: string) {
  const review = [...h.cardsTo(reviewer)].reverse().find((m) => cardText(m.content).includes(serial) && cardText(m.content).includes('通过'));
  expect(review, `review card for ${serial}`).toBeDefined();
  const res = await h.click(reviewer, review!.messageId, findButton(review!.content, '通过'));
  expect(res.toast?.type).toBe('success');
  await h.settle();
}

/** Sets the clock and runs one scheduler heartbeat, then delivers what it enqueued. */
export async function tickAt(h: Harness, at: Date | string, scheduler = h.app.scheduler) {
  h.clock.set(at);
  await scheduler.tick(h.clock.now());
  await h.settle();
}

export function expectValid(card: unknown) {
  expect(validateCard(card)).toEqual({ ok: true });
}

/** Every card the bot sent or patched passes the fake's validator. */
export function expectAllCardsValid(h: Harness) {
  for (const m of h.fake.messages.filter((x) => !x.inbound && x.msgType === 'interactive')) expectValid(m.content);
}
