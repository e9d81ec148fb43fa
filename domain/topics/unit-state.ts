import type { DraftState } from '../../db/schema/index.js';

/** Where one target unit stands on a topic, as the board shows it. */
export type UnitState = 'unclaimed' | 'claimed' | 'submitted' | 'approved' | 'adopted' | 'overdue';

export const UNIT_STATE_LABELS: Record<UnitState, string> = {
  unclaimed: '未认领',
  claimed: '已认领',
  submitted: '已提交',
  approved: '已报研究室',
  adopted: '已采用',
  overdue: '逾期',
};

/** Draft states that count as the unit having answered; a withdrawn draft is no answer. */
export const ANSWERING_STATES: readonly DraftState[] = ['pending_review', 'returned', 'approved', 'adopted', 'archived'];

/**
 * The furthest any of the unit's linked drafts got decides its state (an adopted piece outweighs a
 * second one still pending). Without an answer, a passed deadline makes the unit overdue.
 */
export function unitState(o: { claimed: boolean; draftStates: DraftState[]; deadlinePassed: boolean }): UnitState {
  const answering = o.draftStates.filter((s) => ANSWERING_STATES.includes(s));
  if (answering.includes('adopted')) return 'adopted';
  // archived = passed review but not adopted into the bulletin: it still passed.
  if (answering.includes('approved') || answering.includes('archived')) return 'approved';
  if (answering.length) return 'submitted';
  if (o.deadlinePassed) return 'overdue';
  return o.claimed ? 'claimed' : 'unclaimed';
}

