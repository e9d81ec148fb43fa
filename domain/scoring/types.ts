import type { Category, RecognitionKind, SCORE_EVENT_KINDS } from '../../db/schema/index.js';

/**
 * The contract between the scoring rules (the research office's desk) and the rankings
 * (the monthly bulletin). A score event is one line of "why this score": what earned or lost
 * points, for which unit, on which date, under which rule version.
 */
export type Level = 'county' | 'city' | 'province' | 'central';

/** Kinds of recognition of a piece by higher levels, as people read them. */
export const KIND_LABELS: Record<RecognitionKind, string> = { upper_adoption: '上级采用', endorsement: '领导批示', media: '媒体刊发' };

export const LEVEL_LABELS: Record<Level, string> = { county: '县级', city: '市级', province: '省级', central: '中央' };

/**
 * adoption: into the county bulletin or by a higher level; endorsement: 批示 bonus; media: publication
 * in higher-level media; topic_*: timeliness of a 点题 answer; cap: negative correction when a
 * quarterly cap is crossed;
 * adjustment: a manual 加分/扣分 recorded by an editor.
 */
export type ScoreEventKind = (typeof SCORE_EVENT_KINDS)[number];

export type ScoreEvent = {
  unitId: number;
  /** When it counts (adoption date, endorsement date, topic deadline). */
  at: Date;
  kind: ScoreEventKind;
  level?: Level;
  points: number;
  /** Rule set version that priced it. */
  ruleVersion: number;
  /** One line for people, in Chinese: what, which rule. */
  description: string;
  /** Outlet events: the piece (`item:12`, `draft:34`) and its category. */
  pieceKey?: string;
  category?: Category;
  draftId?: number;
  itemId?: number;
  topicId?: number;
  /** Assessment section (考核项): the piece's category, 时效 for topics, an adjustment's own. */
  section?: string;
  adjustmentId?: number;
};
