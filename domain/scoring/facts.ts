import type { Category } from '../../db/schema/index.js';
import type { Level } from './types.js';

/**
 * What happened, before any rule prices it. The loader reads these from the database; the engine
 * turns them into score events; tests may build them by hand.
 */

/** A piece of work that earns points: a bulletin item (maybe merged), or an approved draft not in one. */
export type Piece = {
  /** `item:12` or `draft:34`: recognitions of a draft later put into an item join the item's piece. */
  key: string;
  title: string;
  category: Category;
  merged: boolean;
  /** Source units, once each (a merged item may hold two drafts of one unit). */
  unitIds: number[];
  itemId?: number;
  draftId?: number;
};

export type OutletFact = {
  kind: 'adoption' | 'media' | 'endorsement';
  piece: Piece;
  at: Date;
  level: Level;
  /** Where: `《XX组工信息》2026年第12期`, an outlet name, or who endorsed it. */
  where: string | undefined;
  /** An adoption into one of the county's own publications: its name (rules may price it). */
  publication?: string;
  /** An upper adoption of the whole issue the piece is in (`《XX组工信息》2026年第3期`): rules may price it. */
  wholeIssue?: string;
  /** Tie-breaker for facts at the same instant, so results never depend on query order. */
  order: string;
};

export type TopicOutcome = 'on_time' | 'late' | 'missing';

export type TopicFact = {
  kind: 'topic';
  topicId: number;
  title: string;
  unitId: number;
  outcome: TopicOutcome;
  /** A unit's own 点题 (set by its reviewer), priced only when the rules' `topic.unit_topics` says so. */
  unitTopic: boolean;
  /** The topic's deadline: when on-time, late and missing answers count. */
  at: Date;
  order: string;
};

/** A manual 加分/扣分 recorded by an editor (score_adjustments), counted from the start of its day. */
export type AdjustmentFact = {
  kind: 'adjustment';
  adjustmentId: number;
  unitId: number;
  section: string;
  points: number;
  reason: string;
  at: Date;
  /** The officer the adjustment names, credited in the officers' statistics. */
  officerOpenId?: string;
  itemId?: number;
  draftId?: number;
  order: string;
};

export type ScoringFact = OutletFact | TopicFact | AdjustmentFact;
