import { anyone, cardAction } from '../../bot/declare.js';
import { CONFIRM_ACTIONS, draftConfirmClosedCard, NO_TOPIC } from '../../cards/draft-confirm.js';
import { cancelCandidate, confirmCandidate } from '../../domain/drafts/submit.js';
import { formString } from './args.js';

// Only the card's recipient may use it (checked in the domain, '这张确认卡片不是发给您的。'), whatever
// their roles now: someone since taken off the roster may still cancel what they sent.
const CARD_RECIPIENT = anyone;

/** 提交 on the confirmation card: the candidate becomes a draft (or a revision) with its serial. */
export const confirmAction = cardAction(CONFIRM_ACTIONS.confirm, {
  allow: CARD_RECIPIENT,
  privateChat: true,
  async run(ctx, { candidateId }) {
    const form = ctx.event.formValue;
    const topic = formString(form, 'topic');
    const topicId = topic && topic !== NO_TOPIC && /^\d+$/.test(topic) ? Number(topic) : null;
    const unit = formString(form, 'unit');
    const result = await confirmCandidate(ctx, {
      candidateId,
      category: formString(form, 'category'),
      topicId,
      unitId: unit && /^\d+$/.test(unit) ? Number(unit) : undefined,
    });
    if (result.kind === 'already') {
      const serial = result.draft?.serial ?? '';
      return {
        toast: { type: 'info', content: `这篇稿件已提交，编号 ${serial}。` },
        card: draftConfirmClosedCard({ title: result.candidate.title, outcome: 'submitted', serial }),
      };
    }
    const { draft, revision } = result.view;
    return {
      toast: { type: 'success', content: `已提交，编号 ${draft.serial}` },
      card: draftConfirmClosedCard({ title: revision.title, outcome: 'submitted', serial: draft.serial, revision: revision.revision }),
    };
  },
});

/** 取消 on the confirmation card: nothing is submitted. */
export const cancelAction = cardAction(CONFIRM_ACTIONS.cancel, {
  allow: CARD_RECIPIENT,
  privateChat: true,
  async run(ctx, { candidateId }) {
    const candidate = await cancelCandidate(ctx, candidateId);
    return {
      toast: { type: 'info', content: '已取消，未提交。' },
      card: draftConfirmClosedCard({ title: candidate.title, outcome: candidate.status === 'superseded' ? 'superseded' : 'cancelled' }),
    };
  },
});
