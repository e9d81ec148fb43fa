import type { Feature } from '../../bot/handlers.js';
import { approvalActions } from './approval-actions.js';
import { deskActions } from './desk-actions.js';
import { editActions, editCommand, editReplyHandler } from './edit-actions.js';
import { signoffActions } from './signoff-actions.js';
import { draftViewAction, viewCommand } from './view-command.js';
import { deskCommand } from './desk-command.js';
import { evidenceImageHandler } from './evidence-handler.js';
import { issueActions } from './issue-actions.js';
import { exportCommand, issueCommand } from './issue-commands.js';
import { recognitionActions } from './recognition-actions.js';
import { recognitionCommand } from './recognition-command.js';
import { ruleChangeHandler } from './rules-change.js';
import { rulesCommand } from './rules-command.js';
import { scoreCommand } from './score-command.js';

/** The research office desk: adoption into numbered issues, upper-level recognition, scoring rules. */
export const deskFeature: Feature = {
  name: 'desk',
  commands: [deskCommand, viewCommand, editCommand, issueCommand, exportCommand, recognitionCommand, scoreCommand, rulesCommand],
  actions: [draftViewAction, ...deskActions, ...issueActions, ...recognitionActions, ...editActions, ...signoffActions, ...approvalActions],
  // Rule changes with YAML are longer than a command; they must be seen before any text handler.
  messageHandlers: [ruleChangeHandler, editReplyHandler, evidenceImageHandler],
};
