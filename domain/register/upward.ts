import { and, asc, eq, gte, lt, min, ne, or } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import type { Who } from '../../db/queries/roster.js';
import {
  bulletinItems,
  bulletinItemSources,
  drafts,
  recognitions,
  upwardSubmissions,
  UPWARD_CHANNELS,
  type BulletinIssue,
  type Recognition,
  type UpwardSubmission,
} from '../../db/schema/index.js';
import { UserError } from '../../bot/errors.js';
import { chineseDate, formatLocalDate } from '../../bot/time.js';
import { pieceOfDraft, pieceOfSerial, reportRecognition, type PieceTarget } from '../desk/recognitions.js';
import { recordAudit } from '../drafts/transition.js';
import { normalizeDate } from '../scoring/rule-versions.js';
import { LEVEL_LABELS } from '../scoring/types.js';

export type UpwardLevel = UpwardSubmission['level'];
export type UpwardChannel = (typeof UPWARD_CHANNELS)[number];

const LEVEL_WORDS: Record<string, UpwardLevel> = { 市级: 'city', 省级: 'province', 自治区级: 'province', 中央: 'central', 中央级: 'central' };

/** The level of a recipient: an explicit word (市级/省级/中央) wins, else the name tells (中组部, 自治区, 市委). */
export function levelOf(recipient: string, explicit: string | undefined): UpwardLevel | undefined {
  if (explicit) return LEVEL_WORDS[explicit];
  if (/中央|中组部|全国|人民日报|党建研究/.test(recipient)) return 'central';
  if (/省|自治区/.test(recipient)) return 'province';
  if (/市|州|盟|地区/.test(recipient)) return 'city';
  return undefined;
}

/**
 * Records a piece, or a whole issue, sent upward. Only pieces the county adopted (in a bulletin
 * item) and issues it published are sent up. `what` is how the editor wrote it, for the messages.
 */
export async function registerSubmission(
  tx: Tx,
  o: {
    target: { serial: string } | { issue: BulletinIssue };
    what: string;
    recipient: string;
    channel: string;
    level: string | undefined;
    date: string | undefined;
    actor: string;
    now: Date;
    timezone: string;
  },
): Promise<UpwardSubmission> {
  let target: { draftId: number; itemId: number; issueId: null } | { draftId: null; itemId: null; issueId: number };
  if ('serial' in o.target) {
    const piece = await pieceOfSerial(tx, o.target.serial);
    if (piece.itemId === undefined) {
      throw new UserError(`稿件 ${piece.draft.serial}《${piece.draft.title}》未被县级采用（未编入本县刊物），不能登记报送。请先在待编稿件中采用，或核对稿件编号。`);
    }
    target = { draftId: piece.draft.id, itemId: piece.itemId, issueId: null };
  } else {
    if (o.target.issue.status !== 'published') throw new UserError(`${o.what}尚未印发，印发后才能整期报送。`);
    target = { draftId: null, itemId: null, issueId: o.target.issue.id };
  }
  if (!(UPWARD_CHANNELS as readonly string[]).includes(o.channel)) throw new UserError(`报送方式“${o.channel}”无法识别，请写 ${UPWARD_CHANNELS.join('、')} 之一。`);
  const level = levelOf(o.recipient, o.level);
  if (!level) throw new UserError(`请写明“${o.recipient}”的级别：市级、省级或中央，例如：报送登记 ${o.what} ${o.recipient} ${o.channel} 省级`);
  const today = formatLocalDate(o.now, o.timezone);
  const sentOn = o.date === undefined ? today : normalizeDate(o.date);
  if (!sentOn) throw new UserError(`日期“${o.date}”无法识别，请写成 YYYY-MM-DD，例如 2026-10-12。`);
  if (sentOn > today) throw new UserError(`报送日期 ${sentOn} 晚于今天（${today}）。`);
  const [row] = await tx
    .insert(upwardSubmissions)
    .values({ ...target, level, recipient: o.recipient, channel: o.channel as UpwardChannel, sentOn, createdBy: o.actor, createdAt: o.now })
    .returning();
  await recordAudit(tx, { at: o.now, actor: o.actor, entityType: 'upward_submission', entityId: row!.id, action: 'upward.register', data: { what: o.what, ...target, level, recipient: o.recipient, channel: o.channel, sentOn } });
  return row!;
}

/**
 * Marks a register entry adopted: records the confirmed recognition that scores (the desk's own
 * `reportRecognition`), linked from the entry. The same adoption (piece, level, outlet) already
 * recorded, here or through 登记, is refused with a pointer to the first.
 */
export async function markAdopted(
  tx: Tx,
  o: { id: number; outlet: string; issue: string | undefined; date: string | undefined; who: Who; now: Date; timezone: string },
): Promise<{ entry: UpwardSubmission; recognition: Recognition; recognitions: Recognition[]; pieces: number }> {
  const entry = await lockedEntry(tx, o.id);
  const today = formatLocalDate(o.now, o.timezone);
  const occurredOn = o.date === undefined ? today : normalizeDate(o.date);
  if (!occurredOn) throw new UserError(`日期“${o.date}”无法识别，请写成 YYYY-MM-DD，例如 2026-10-12。`);
  if (occurredOn < entry.sentOn) throw new UserError(`采用日期 ${occurredOn} 早于报送日期 ${entry.sentOn}。`);
  const outlet = o.outlet.trim();
  if (!outlet) throw new UserError(`请写采用的刊物名称，例如：报送采用 ${o.id} 自治区组工信息 2026年第12期`);
  // A piece, or every item of the whole issue: each is one recognition, refused if already recorded.
  const pieces: PieceTarget[] = [];
  for (const draftId of entry.issueId !== null ? await firstSourceOfItems(tx, entry.issueId) : [entry.draftId!]) {
    const [draft] = await tx.select().from(drafts).where(eq(drafts.id, draftId));
    pieces.push(await pieceOfDraft(tx, draft!));
  }
  for (const piece of pieces) {
    const first = await sameAdoption(tx, piece.itemId!, piece.draft.id, entry.level, outlet);
    if (!first) continue;
    const via = await tx.select({ id: upwardSubmissions.id }).from(upwardSubmissions).where(eq(upwardSubmissions.recognitionId, first.id));
    const whose = entry.issueId !== null ? `本期《${piece.draft.title}》的` : '';
    throw new UserError(
      `这次采用已经登记过：${whose}${chineseDate(first.occurredOn)} ${LEVEL_LABELS[entry.level]}采用（${first.outlet}）${via[0] ? `，见报送登记第${via[0].id}号` : `，登记编号 ${first.id}`}。同一采用不重复登记，以免重复计分。`,
    );
  }
  const note = `${o.issue ? `${o.issue}（` : ''}报送登记第${entry.id}号${entry.issueId !== null ? '，整期采用' : ''}${o.issue ? '）' : ''}`;
  const recs: Recognition[] = [];
  for (const piece of pieces) {
    recs.push(
      await reportRecognition(tx, {
        piece,
        input: { kind: 'upper_adoption', level: entry.level, outlet, occurredOn, link: undefined, note },
        who: o.who,
        now: o.now,
        ...(entry.issueId !== null ? { wholeIssueId: entry.issueId } : {}),
      }),
    );
  }
  const recognition = recs[0]!;
  const [updated] = await tx
    .update(upwardSubmissions)
    .set({ outcome: 'adopted', recognitionId: recognition.id, decidedBy: o.who.openId, decidedAt: o.now })
    .where(eq(upwardSubmissions.id, entry.id))
    .returning();
  await recordAudit(tx, { at: o.now, actor: o.who.openId, entityType: 'upward_submission', entityId: entry.id, action: 'upward.adopted', fromState: entry.outcome, toState: 'adopted', data: { recognitionId: recognition.id, outlet, issue: o.issue, occurredOn } });
  return { entry: updated!, recognition, recognitions: recs, pieces: recs.length };
}

/** The first source draft of every item of an issue, in order: each item is one piece. */
async function firstSourceOfItems(db: DbOrTx, issueId: number): Promise<number[]> {
  const rows = await db
    .select({ itemId: bulletinItems.id, draftId: min(bulletinItemSources.draftId) })
    .from(bulletinItems)
    .innerJoin(bulletinItemSources, eq(bulletinItemSources.itemId, bulletinItems.id))
    .where(eq(bulletinItems.issueId, issueId))
    .groupBy(bulletinItems.id, bulletinItems.position)
    .orderBy(asc(bulletinItems.position));
  return rows.map((r) => r.draftId!);
}

export async function markNotAdopted(tx: Tx, o: { id: number; actor: string; now: Date }): Promise<UpwardSubmission> {
  const entry = await lockedEntry(tx, o.id);
  const [updated] = await tx.update(upwardSubmissions).set({ outcome: 'not_adopted', decidedBy: o.actor, decidedAt: o.now }).where(eq(upwardSubmissions.id, o.id)).returning();
  await recordAudit(tx, { at: o.now, actor: o.actor, entityType: 'upward_submission', entityId: o.id, action: 'upward.not_adopted', fromState: entry.outcome, toState: 'not_adopted' });
  return updated!;
}

async function lockedEntry(tx: Tx, id: number): Promise<UpwardSubmission> {
  const [entry] = await tx.select().from(upwardSubmissions).where(eq(upwardSubmissions.id, id)).for('update');
  if (!entry) throw new UserError(`没有第${id}号报送登记。`);
  if (entry.outcome === 'adopted') throw new UserError(`第${id}号报送登记已标记为采用，不重复登记。`);
  return entry;
}

/** A recognition, not rejected, of the same adoption of this piece: same level and outlet. */
async function sameAdoption(db: DbOrTx, itemId: number, draftId: number, level: UpwardLevel, outlet: string): Promise<Recognition | undefined> {
  const [rec] = await db
    .select()
    .from(recognitions)
    .where(
      and(
        or(eq(recognitions.itemId, itemId), eq(recognitions.draftId, draftId)),
        eq(recognitions.kind, 'upper_adoption'),
        eq(recognitions.level, level),
        eq(recognitions.outlet, outlet),
        ne(recognitions.status, 'rejected'),
      ),
    )
    .orderBy(asc(recognitions.id))
    .limit(1);
  return rec;
}

export type RateRow = { key: string; sent: number; adopted: number };

/** `byWhat`: single pieces and whole issues apart (counted in 篇 and 期). */
export type RegisterStats = { year: number; byLevel: RateRow[]; byRecipient: RateRow[]; byMonth: RateRow[]; byWhat: RateRow[]; total: RateRow };

export const WHAT_KEYS = { piece: '单篇稿件', issue: '整期' } as const;

/** Sent, adopted and 采用率 of the entries sent in a year: per level, per recipient and per month. */
export async function registerStats(db: DbOrTx, year: number): Promise<RegisterStats> {
  const rows = await db
    .select({ level: upwardSubmissions.level, recipient: upwardSubmissions.recipient, sentOn: upwardSubmissions.sentOn, outcome: upwardSubmissions.outcome, issueId: upwardSubmissions.issueId })
    .from(upwardSubmissions)
    .where(and(gte(upwardSubmissions.sentOn, `${year}-01-01`), lt(upwardSubmissions.sentOn, `${year + 1}-01-01`)))
    .orderBy(asc(upwardSubmissions.sentOn), asc(upwardSubmissions.id));
  const group = (keyOf: (r: (typeof rows)[number]) => string, keys: string[] = []) => {
    const m = new Map<string, RateRow>(keys.map((k) => [k, { key: k, sent: 0, adopted: 0 }]));
    for (const r of rows) {
      const k = keyOf(r);
      const g = m.get(k) ?? { key: k, sent: 0, adopted: 0 };
      g.sent += 1;
      if (r.outcome === 'adopted') g.adopted += 1;
      m.set(k, g);
    }
    return [...m.values()];
  };
  return {
    year,
    byLevel: group((r) => LEVEL_LABELS[r.level], ['市级', '省级', '中央']),
    byRecipient: group((r) => r.recipient).sort((a, b) => b.sent - a.sent || a.key.localeCompare(b.key, 'zh')),
    byMonth: group((r) => `${Number(r.sentOn.slice(5, 7))}月`).filter((r) => r.sent > 0),
    byWhat: group((r) => (r.issueId !== null ? WHAT_KEYS.issue : WHAT_KEYS.piece), [WHAT_KEYS.piece, WHAT_KEYS.issue]),
    total: { key: '合计', sent: rows.length, adopted: rows.filter((r) => r.outcome === 'adopted').length },
  };
}

/** 10/98 → 10.2% (one decimal); nothing sent → —. */
