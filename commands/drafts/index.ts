import type { Feature } from '../../bot/handlers.js';
import { cancelAction, confirmAction } from './candidate-actions.js';
import { deliveryStatusCommand, deliveryStatusPageAction, redeliverAction, tellEditorsOfGroupFailure } from './delivery-status.js';
import { draftMessageHandler } from './draft-message.js';
import { myDraftsCommand, myDraftsPageAction, pendingReviewsCommand, pendingReviewsPageAction } from './list-commands.js';
import { reviseAction, withdrawAction } from './officer-actions.js';
import { candidateRecalled } from '../../domain/drafts/submit.js';
import { approveAction, resendAction, returnAction, returnBackAction, returnFormAction } from './review-actions.js';

/** Drafts and reviews: submit in chat, approve or return from cards, revise, withdraw. */
export const draftsFeature: Feature = {
  name: 'drafts',
  commands: [myDraftsCommand, pendingReviewsCommand, deliveryStatusCommand],
  actions: [
    confirmAction,
    cancelAction,
    approveAction,
    returnFormAction,
    returnBackAction,
    returnAction,
    resendAction,
    withdrawAction,
    reviseAction,
    myDraftsPageAction,
    pendingReviewsPageAction,
    deliveryStatusPageAction,
    redeliverAction,
  ],
  messageHandlers: [draftMessageHandler],
  async onRecall(work, messageId) {
    const outcome = await candidateRecalled(work, messageId);
    if (outcome !== 'none') work.deps.log.info({ outcome }, 'draft message recalled');
  },
  onGivenUp: tellEditorsOfGroupFailure,
};
