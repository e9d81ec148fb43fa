import { and, eq } from 'drizzle-orm';
import type { Who } from '../../db/queries/roster.js';
import { holdersOf, loadWho } from '../../db/queries/roster.js';
import { drafts } from '../../db/schema/index.js';
import { cancelCosignsOf, handToEditors } from '../drafts/handoffs.js';
import { refreshRevisionCards, sendReviewCard, trackedCards, PURPOSES } from '../drafts/routing.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { loadDraftView, nameOf } from '../drafts/views.js';

/**
 * After a reviewer left a unit: drafts waiting there go to the unit's other reviewers (a card for
 * any who has none yet) or, with none left, to the editors; a 加签 asked of someone no longer able
 * to review is cancelled and whoever asked is told. Returns how many drafts moved.
 */
export async function moveOpenReviews(e: UnitOfWork, o: { openId: string; unitId: number; now: Date }): Promise<number> {
  const waiting = await e.tx.select().from(drafts).where(and(eq(drafts.unitId, o.unitId), eq(drafts.state, 'pending_review')));
  const remaining = (await holdersOf(e.tx, 'reviewer', [o.unitId])).map((r) => r.openId);
  for (const d of waiting) {
    const view = await loadDraftView(e.tx, d.id);
    if (remaining.length) {
      const cards = await trackedCards(e.tx, PURPOSES.review, 'draft_revision', view.revision.id);
      for (const r of remaining) if (!cards.some((c) => c.recipient === r)) await sendReviewCard(e, view, r);
    } else {
      const editors = await handToEditors(e.tx, { draft: d, revision: d.currentRevision, now: o.now, why: 'reviewer_removed' });
      const handed = await loadDraftView(e.tx, d.id);
      for (const id of editors) await sendReviewCard(e, handed, id);
      await refreshRevisionCards(e, handed);
    }
  }
  const who: Who = await loadWho(e.tx, o.openId);
  if (!who.editor && !who.reviewerUnits.length) {
    for (const c of await cancelCosignsOf(e.tx, o.openId, o.now)) {
      const view = await loadDraftView(e.tx, c.draftId, c.revision);
      await e.out.sendText(
        { openId: c.fromOpenId },
        `您请 ${await nameOf(e.tx, o.openId)} 加签的稿件 ${view.draft.serial} ：对方已移出名册，加签已取消。请在审核卡片上直接通过或退回。`,
      );
      await refreshRevisionCards(e, view);
    }
  }
  return waiting.length;
}
