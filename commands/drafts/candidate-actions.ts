import type { CardAction } from '../../bot/handlers.js';
import { CONFIRM_ACTIONS, draftConfirmClosedCard, NO_TOPIC } from '../../cards/draft-confirm.js';
import { cancelCandidate, confirmCandidate } from '../../domain/drafts/submit.js';
import { formString, intArg } from './args.js';

/** 提交 on the confirmation card: the candidate becomes a draft (or a revision) with its serial. */
export const confirmAction: CardAction = {
  id: CONFIRM_ACTIONS.confirm,
  privateChat: true,
  async run(ctx) {
    const form = ctx.event.formValue;
    const topic = formString(form, 'topic');
    const topicId = topic && topic !== NO_TOPIC && /^\d+$/.test(topic) ? Number(topic) : null;
    const unit = formString(form, 'unit');
    const result = await confirmCandidate(ctx, {
      candidateId: intArg(ctx.args, 'candidateId'),
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
};

/** 取消 on the confirmation card: nothing is submitted. */
export const cancelAction: CardAction = {
  id: CONFIRM_ACTIONS.cancel,
  privateChat: true,
  async run(ctx) {
    const candidate = await cancelCandidate(ctx, intArg(ctx.args, 'candidateId'));
    return {
      toast: { type: 'info', content: '已取消，未提交。' },
      card: draftConfirmClosedCard({ title: candidate.title, outcome: candidate.status === 'superseded' ? 'superseded' : 'cancelled' }),
    };
  },
};
