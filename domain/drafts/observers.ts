import type { UnitOfWork } from '../../bot/unit-of-work.js';
import type { Draft } from '../../db/schema/index.js';
import { syncDraftTopic } from '../topics/answers.js';

/**
 * Called after every draft state change (submit, approve, return, revise, withdraw, and the desk's
 * own changes), in the same transaction, so other features can follow drafts without the drafts
 * code knowing about them.
 */
export async function afterDraftChanged(ctx: UnitOfWork, draft: Draft): Promise<void> {
  // Topics: keep the draft's topic link and timeliness current and patch the group's topic board.
  // The officer chose the topic when confirming, so the link is theirs.
  await syncDraftTopic(ctx, draft, draft.authorOpenId);
}
