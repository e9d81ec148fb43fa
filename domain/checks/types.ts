/**
 * A warning from the pre-review checks, shown on the review card and the officer's receipt.
 * Findings never block a submission: the reviewer decides.
 */
export type FindingKind =
  | 'typo'
  | 'wording'
  | 'sensitive'
  | 'title'
  | 'length'
  | 'punctuation'
  | 'duplicate';

export type Finding = {
  kind: FindingKind;
  /** 1-based paragraph of the body where it was found; 0 for the title; absent for whole-text findings. */
  paragraph?: number;
  /** A short piece of the text around the problem. */
  excerpt?: string;
  /** What is wrong and what to write instead, in Chinese. */
  message: string;
  /** For duplicates: the other draft. */
  other?: { serial: string; unit: string; similarity: number };
};

export const FINDING_LABELS: Record<FindingKind, string> = {
  typo: '易错字词',
  wording: '规范表述',
  sensitive: '敏感词',
  title: '标题',
  length: '篇幅',
  punctuation: '标点',
  duplicate: '疑似重复',
};
