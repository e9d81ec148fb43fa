import { formatLocalDate } from '../../bot/time.js';
import { LEVEL_LABELS, type ScoreEvent } from './types.js';
import type { AdjustmentFact, OutletFact, ScoringFact, TopicFact } from './facts.js';
import { adoptionBase, multiplierOf, TIMELINESS_SECTION } from './rules.js';
import { ruleInForce, type RuleVersion } from './rule-versions.js';

/**
 * Points each piece has already earned in a pool, per unit, keyed `piece|pool|unit`: what "highest
 * outlet only" subtracts. Pricing starts empty, or from the ledger's sums when it resumes mid-history.
 */
export type Awarded = Map<string, number>;

export const awardedKey = (pieceKey: string, pool: 'outlet' | 'endorsement', unitId: number) => `${pieceKey}|${pool}|${unitId}`;

/**
 * Prices facts with the rule version in force on each fact's local date. Pure: the same facts,
 * versions and `awarded` always give the same events. The "highest outlet" rule looks back through
 * `awarded` (updated in place); quarterly caps count from the first fact, so a caller that prices a
 * stretch must start it at a quarter's beginning (the ledger prices one quarter at a time).
 */
export function priceFacts(facts: ScoringFact[], versions: RuleVersion[], timezone: string, awarded: Awarded = new Map()): ScoreEvent[] {
  const sorted = [...facts].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0),
  );
  const dayOf = localDates(timezone);
  const events: ScoreEvent[] = [];
  for (const fact of sorted) {
    const v = ruleInForce(versions, dayOf(fact.at));
    if (fact.kind === 'topic') events.push(topicEvent(fact, v));
    else if (fact.kind === 'adjustment') events.push(adjustmentEvent(fact, v));
    else events.push(...outletEvents(fact, v, awarded));
  }
  return applyQuarterlyCaps(events, versions, dayOf);
}

/**
 * Local dates of instants, remembered per quarter hour: every UTC offset in use is a whole number of
 * quarter hours, so a local day starts on a quarter-hour boundary. Pricing a province's quarter
 * converts tens of thousands of dates; most share a day.
 */
function localDates(timezone: string): (at: Date) => string {
  const memo = new Map<number, string>();
  return (at) => {
    const key = Math.floor(at.getTime() / 900_000);
    let day = memo.get(key);
    if (day === undefined) {
      day = formatLocalDate(at, timezone);
      memo.set(key, day);
    }
    return day;
  };
}

const KIND_ORDER: Record<ScoringFact['kind'], number> = { adoption: 0, media: 1, endorsement: 2, topic: 3, adjustment: 4 };

export const round2 = (x: number) => Math.round(x * 100) / 100;

function fmt(x: number): string {
  return String(round2(x));
}

function signed(x: number): string {
  return x > 0 ? `+${fmt(x)}` : fmt(x);
}

function outletEvents(f: OutletFact, v: RuleVersion, awarded: Map<string, number>): ScoreEvent[] {
  const r = v.rules;
  const { piece } = f;
  const n = piece.unitIds.length;
  const label = LEVEL_LABELS[f.level];
  let base: number;
  let what: string;
  let ruleName: string;
  let mult = 1;
  let combine: 'highest' | 'cumulative';
  let pool: 'outlet' | 'endorsement';
  if (f.kind === 'endorsement') {
    base = r.endorsement.points[f.level];
    what = `《${piece.title}》获${label}领导批示${f.where ? `（${f.where}）` : ''}`;
    ruleName = `${label}批示加 ${fmt(base)} 分`;
    combine = r.endorsement.combine;
    pool = 'endorsement';
  } else {
    const isMedia = f.kind === 'media';
    const byPublication = !isMedia && f.level === 'county' && f.publication !== undefined && r.publications[f.publication] !== undefined;
    const issuePoints = !isMedia && f.wholeIssue !== undefined ? r.issue_adoption[f.level] : undefined;
    base = isMedia ? r.media[f.level] : (issuePoints ?? adoptionBase(r, f.level, piece.category, piece.merged, f.publication));
    mult = multiplierOf(r, piece.category);
    what = isMedia
      ? `《${piece.title}》在${label}媒体刊发${f.where ? `（${f.where}）` : ''}`
      : f.level === 'county'
        ? `《${piece.title}》编入${f.where ?? '县级刊物'}（县级采用）`
        : f.wholeIssue !== undefined
          ? `《${piece.title}》随${f.wholeIssue}整期被${label}采用${f.where ? `（${f.where}）` : ''}`
          : `《${piece.title}》被${label}采用${f.where ? `（${f.where}）` : ''}`;
    ruleName = isMedia
      ? `${label}媒体刊发 ${fmt(base)} 分`
      : byPublication
        ? `编入《${f.publication}》${fmt(base)} 分`
        : issuePoints !== undefined
          ? `整期${label}采用每条 ${fmt(base)} 分`
        : `${piece.merged && r.merged.points[f.level] !== undefined ? '综合稿' : ''}${label}采用 ${fmt(base)} 分`;
    if (mult !== 1) ruleName += `，${piece.category}×${fmt(mult)}`;
    combine = r.outlets;
    pool = 'outlet';
  }
  const value = base * mult;
  const split = piece.merged && n > 1 && r.merged.credit === 'split';
  const share = round2(split ? value / n : value);
  if (piece.merged && n > 1) ruleName += split ? `，综合稿 ${n} 个单位平分，每单位 ${fmt(share)} 分` : '，综合稿每个来源单位全额计分';

  return piece.unitIds.map((unitId) => {
    // Every outlet point counts toward the piece's total, also those earned while the rules were
    // cumulative: under "highest only" a piece never ends above its highest outlet.
    const key = awardedKey(piece.key, pool, unitId);
    const before = awarded.get(key) ?? 0;
    let points = share;
    let note = '';
    if (combine === 'highest') {
      points = round2(Math.max(0, share - before));
      if (before > 0) {
        note = points > 0 ? `；按最高一处计分，此前已计 ${fmt(before)} 分，补 ${fmt(points)} 分` : `；按最高一处计分，已计 ${fmt(before)} 分，本次不另计分`;
      }
    }
    // Rounded like the ledger's cents, so resuming from stored sums gives the same prices.
    awarded.set(key, round2(before + points));
    return {
      unitId,
      at: f.at,
      kind: f.kind,
      level: f.level,
      points,
      ruleVersion: v.version,
      description: `${what}：第${v.version}版规则 ${ruleName}${note}`,
      pieceKey: piece.key,
      category: piece.category,
      section: piece.category,
      ...(piece.itemId !== undefined ? { itemId: piece.itemId } : {}),
      ...(piece.draftId !== undefined ? { draftId: piece.draftId } : {}),
    };
  });
}

const OUTCOME_TEXT = { on_time: '按时提交', late: '逾期提交', missing: '未提交' } as const;
const OUTCOME_KIND = { on_time: 'topic_on_time', late: 'topic_late', missing: 'topic_missing' } as const;

/**
 * A unit's own 点题 always yields its event, so the unit's 积分 and 考核 list its timeliness; the
 * points are zero unless the rules count unit topics.
 */
function topicEvent(f: TopicFact, v: RuleVersion): ScoreEvent {
  const unscored = f.unitTopic && !v.rules.topic.unit_topics;
  const points = unscored ? 0 : round2(v.rules.topic[f.outcome]);
  const rule = unscored ? '本单位点题只统计时效，不计分' : `${OUTCOME_TEXT[f.outcome]} ${signed(points)} 分`;
  return {
    unitId: f.unitId,
    at: f.at,
    kind: OUTCOME_KIND[f.outcome],
    points,
    ruleVersion: v.version,
    description: `${f.unitTopic ? '本单位' : ''}点题《${f.title}》${OUTCOME_TEXT[f.outcome]}：第${v.version}版规则 ${rule}`,
    topicId: f.topicId,
    section: TIMELINESS_SECTION,
  };
}

/** A manual 加分/扣分: its points as recorded, whatever the rules (the version is named for the record). */
function adjustmentEvent(f: AdjustmentFact, v: RuleVersion): ScoreEvent {
  const points = round2(f.points);
  return {
    unitId: f.unitId,
    at: f.at,
    kind: 'adjustment',
    points,
    ruleVersion: v.version,
    description: `${points > 0 ? '加分' : '扣分'}：${f.reason}（第${f.adjustmentId}号调整，研究室记录）`,
    section: f.section,
    adjustmentId: f.adjustmentId,
    ...(f.itemId !== undefined ? { itemId: f.itemId } : {}),
    ...(f.draftId !== undefined ? { draftId: f.draftId } : {}),
  };
}

/** 2026Q4 from 2026-11-05. */
function quarterOf(day: string): string {
  return `${day.slice(0, 4)}Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * Gains of a unit in a calendar quarter stop at the cap in force on each event's date. The event keeps
 * its own points (so "why this score" still shows what it earned); a `cap` event right after it takes
 * back the excess (in the same assessment section). Penalties are never capped and do not make room
 * under the cap.
 */
function applyQuarterlyCaps(events: ScoreEvent[], versions: RuleVersion[], dayOf: (at: Date) => string): ScoreEvent[] {
  const gained = new Map<string, number>();
  const out: ScoreEvent[] = [];
  for (const e of events) {
    out.push(e);
    // A manual 加分 is the editor's own decision: it is not cut by the quarterly cap either.
    if (e.points <= 0 || e.kind === 'adjustment') continue;
    const day = dayOf(e.at);
    const v = ruleInForce(versions, day);
    const cap = v.rules.cap_per_unit_per_quarter;
    const key = `${e.unitId}|${quarterOf(day)}`;
    const before = gained.get(key) ?? 0;
    if (cap === null) {
      gained.set(key, round2(before + e.points));
      continue;
    }
    const allowed = round2(Math.max(0, Math.min(e.points, cap - before)));
    gained.set(key, round2(before + allowed));
    const excess = round2(e.points - allowed);
    if (excess > 0) {
      out.push({
        unitId: e.unitId,
        at: e.at,
        kind: 'cap',
        points: -excess,
        ruleVersion: v.version,
        description: `本季度得分已达上限 ${fmt(cap)} 分：第${v.version}版规则 每单位每季度最多 ${fmt(cap)} 分，核减 ${fmt(excess)} 分`,
        ...(e.itemId !== undefined ? { itemId: e.itemId } : {}),
        ...(e.draftId !== undefined ? { draftId: e.draftId } : {}),
        ...(e.topicId !== undefined ? { topicId: e.topicId } : {}),
        ...(e.section !== undefined ? { section: e.section } : {}),
      });
    }
  }
  return out;
}

