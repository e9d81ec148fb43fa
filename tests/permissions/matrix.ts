import { readFileSync } from 'node:fs';
import { allFeatures } from '../../commands/index.js';
import { cardText, findButton, type Harness, P } from '../helpers/harness.js';
import { bulletinApprovals, units } from '../../db/schema/index.js';
import { allJobs } from '../../jobs/index.js';
import { runJobSlot } from '../../jobs/run-once.js';

/** The people the table's role columns stand for, in column order. */
export const ROLE_PEOPLE = [
  ['信息员', P.officer1],
  ['组织委员', P.reviewer1],
  ['研究室', P.editor],
  ['部领导', P.leader],
  ['名册外人员', P.stranger],
] as const;

export type Row = { kind: '命令' | '卡片操作'; id: string; example: string; allowed: boolean[] };

/** Rows of the table in docs/permissions.md: | 命令 | `名` | `示例` | ✓/✗ ×5 | 说明 |. */
export function permissionRows(): Row[] {
  const text = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] !== '命令' && cells[0] !== '卡片操作') continue;
    const code = (s: string) => s.replace(/^`|`$/g, '');
    rows.push({ kind: cells[0], id: code(cells[1]!), example: code(cells[2]!), allowed: cells.slice(3, 8).map((c) => c === '✓') });
  }
  return rows;
}

/** What the registries hold: every command name and card action id. */
export function registered(): { commands: string[]; actions: string[] } {
  const features = allFeatures();
  return {
    commands: features.flatMap((f) => (f.commands ?? []).map((c) => c.name)),
    actions: features.flatMap((f) => (f.actions ?? []).map((a) => a.id)),
  };
}

/** Refusals start this way (PermissionError texts and the not-in-roster answer). */
export const REFUSAL = /^(只有|您还不在本系统的名册中|您只能|积分查询仅|导出排行明细仅限|组织委员只能|这张确认卡片不是发给您的|您已在名册中|只能为本单位)/;

/** Rows in every table but the transport's own (inbox, outbox, sent cards): "changes nothing" means these stay. */
export async function stateCounts(h: Harness): Promise<Record<string, number>> {
  return h.rowCounts(['inbox_events', 'outbox', 'card_messages', 'audit_log', 'sent_reminders', 'score_ledger', 'score_events']);
}

/** The bot's answer to the last message a person sent: a text, or a card's text. */
export function lastAnswer(h: Harness, openId: string, before: number): string | undefined {
  const sent = h.sentTo(openId).slice(before);
  const m = sent[sent.length - 1];
  if (!m) return undefined;
  return m.msgType === 'text' ? String((m.content as { text?: string }).text ?? '') : cardText(m.content);
}

/**
 * A small world every card action can be tried in, built through the entry points: 城关镇's draft
 * 2026-0001 waiting for 张委员's review, a second draft of 赵信息 waiting on its confirmation card,
 * the research office's topic T1, and November's 月通报 waiting for 审定. Everyone (the stranger too)
 * has a private message from the bot, so actions that answer only in private chats can be tried.
 */
export async function cardWorld(h: Harness): Promise<{ values: Record<string, Record<string, unknown>>; privateMessage: Map<string, string> }> {
  await h.db.db.update(units).set({ createdAt: new Date('2026-01-01T00:00:00+08:00') });
  await h.sendText(P.officer1, ['城关镇推动基层党建提质增效', ...DRAFT_BODY].join('\n'));
  await h.settle();
  const first = h.lastCardTo(P.officer1);
  const submitted = await h.click(P.officer1, first.messageId, findButton(first.content, '提交审核'), { formValue: { category: '组工信息' }, name: 'submit_draft' });
  if (submitted.toast?.type !== 'success') throw new Error(`draft not submitted: ${JSON.stringify(submitted.toast)}`);
  await h.settle();
  await h.sendText(P.officer1, ['城关镇冬训工作扎实开展', ...DRAFT_BODY].join('\n'));
  await h.settle();
  const candidateId = findButton(h.lastCardTo(P.officer1).content, '提交审核').candidateId;
  await h.sendText(P.editor, '点题 基层党建典型经验 | 截止 2026-12-20 18:00 | 单位 城关镇');
  await h.settle();
  const job = allJobs().find((j) => j.name === 'monthly-bulletin')!;
  await runJobSlot(h.app.deps, job, '2026-11', { firedAt: h.clock.now() });
  await h.settle();
  const [approval] = await h.db.db.select().from(bulletinApprovals);
  if (!approval) throw new Error('no bulletin approval prepared');
  for (const [, who] of ROLE_PEOPLE) {
    await h.sendText(who, '帮助');
    await h.settle();
  }
  const privateMessage = new Map(ROLE_PEOPLE.map(([, who]) => [who, h.sentTo(who).at(-1)!.messageId]));
  const draft = { draftId: 1, rev: 1 };
  const desk = { id: 1, view: 'approved', page: 1, picks: [] };
  const person = { unitId: 1, openId: P.officer2, role: 'officer' };
  const values: Record<string, Record<string, unknown>> = {
    'roster.join_submit': {},
    'roster.join_decide': { id: 1, d: 'decline' },
    'draft.handoff_form': draft,
    'draft.transfer': draft,
    'draft.cosign': draft,
    'roster.add': { unitId: 1 },
    'roster.remove': person,
    'roster.role': person,
    'roster.designate': person,
    'roster.designation_decide': { id: 1, d: 'decline' },
    'desk.page': { view: 'approved', page: 1, picks: [] },
    'desk.pick': desk,
    'desk.publication': { view: 'approved', page: 1, picks: [] },
    'desk.adopt': desk,
    'desk.merge': { view: 'approved', page: 1, picks: [1] },
    'desk.decline_form': desk,
    'desk.decline': desk,
    'desk.view': { id: 1 },
    'issue.open': {},
    'issue.move': {},
    'issue.publish': { issue: 1 },
    'issue.export': { issue: 1 },
    'issue.submit': { issue: 1 },
    'issue.note': { issue: 1 },
    'issue.sign': { s: 1 },
    'issue.return': { s: 1 },
    'item.edit_open': { item: 1 },
    'item.edit': { item: 1, v: 1 },
    'endorse.form': { draft: 1 },
    'endorse.save': { draft: 1 },
    'draft.view': { draftId: 1 },
    'topic.extend': { topicId: 1 },
    'topic.close': { topicId: 1 },
    'topic.create': {},
    'topic.claim': { t: 1 },
    'topic.link_pick': { t: 1 },
    'topic.link': { t: 1 },
    'rec.open': { draft: 1 },
    'rec.submit': { draft: 1 },
    'rec.decide': { id: 1, d: 'rejected' },
    'files.original': draft,
    'draft.confirm': { candidateId },
    'draft.cancel': { candidateId },
    'draft.approve': draft,
    'draft.return_form': draft,
    'draft.return_back': draft,
    'draft.return': draft,
    'draft.resend': { draftId: 1 },
    'draft.withdraw': draft,
    'draft.revise': draft,
    'drafts.mine': {},
    'drafts.pending': {},
    'outbox.status': {},
    'outbox.redeliver': { id: 1 },
    'ranking.page': { p: '2026-11', n: 0, b: 0 },
    'bulletin.approve': { id: approval.id },
    'bulletin.hold': { id: approval.id },
    'bulletin.comment': { id: approval.id },
    'rules.form': { sections: [] },
  };
  return { values, privateMessage };
}

const DRAFT_BODY = [
  '今年以来，城关镇党委坚持抓基层、打基础，推动基层党建工作提质增效。',
  '一是抓班子建设，促责任落实。镇党委定期召开党建工作专题会议，压实村（社区）党组织书记抓党建第一责任。',
  '二是抓队伍建设，促能力提升。分批次组织党员干部参加冬训和专题培训，累计培训党员一千二百余人次。',
];
