import type { Level } from '../scoring/types.js';
import type { Period } from './period.js';
import type { QuotaRule } from './quotas.js';
import type { RankChange } from './rank.js';

export type LevelCounts = Record<Level, number>;

/** One unit's line in a ranking. */
export type RankingRow = {
  unitId: number;
  unitName: string;
  /**
   * The unit's designated officer (专职信息员) as the roster names them now, so a ranking tells the
   * department whom to ask; null when the unit has none.
   */
  designatedOfficer: string | null;
  /** Drafts submitted in the period (withdrawn ones do not count). */
  submitted: number;
  /** Of those, drafts that passed review (approved, adopted or archived after approval). */
  approved: number;
  /** Adoptions in the period by level (score events of kind adoption). */
  adopted: LevelCounts;
  points: number;
  /** From 1 January of the period's year to the end of the period. */
  ytdPoints: number;
  rank: number;
  previousRank: number | undefined;
  change: RankChange;
};

export type QuotaProgress = {
  rule: QuotaRule;
  /** What stretch was counted, for people: 2026年10月, 2026年截至10月. */
  windowLabel: string;
  target: number;
  /** County scope: the county's count. Unit scope: how many units met the target. */
  count: number;
  /** Unit scope only: units ranked (the denominator) and each unit's own count. */
  units?: { total: number; byUnit: Map<number, number> };
};

export type RankingReport = {
  period: Period;
  label: string;
  range: { start: Date; end: Date };
  previous: Period;
  /** Ordered by rank, then by points this year, then roster order. */
  rows: RankingRow[];
  /** Units (in roster order) that sent nothing in the period. */
  zeroSubmission: { unitId: number; unitName: string }[];
  totals: { submitted: number; approved: number; adopted: LevelCounts; points: number; ytdPoints: number };
  quotas: QuotaProgress[];
  generatedAt: Date;
};

export const emptyLevels = (): LevelCounts => ({ county: 0, city: 0, province: 0, central: 0 });
