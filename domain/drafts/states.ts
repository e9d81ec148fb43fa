import type { DraftState } from '../../db/schema/index.js';

/** A draft's state as people read it, in cards, lists and refusals. */
export const STATE_LABELS: Record<DraftState, string> = {
  pending_review: '待审核',
  returned: '已退回',
  approved: '已报研究室',
  adopted: '已采用',
  archived: '未采用',
  withdrawn: '已撤回',
};
