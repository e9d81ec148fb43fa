import type { Feature } from '../../bot/handlers.js';
import { bonusCommand, deductionCommand, revokeAdjustmentCommand } from './adjustment-commands.js';
import { assessmentCommand } from './assessment-command.js';

/** The year-end assessment (千分制) and the research office's manual 加分/扣分. */
export const assessmentFeature: Feature = {
  name: 'assessment',
  commands: [assessmentCommand, bonusCommand, deductionCommand, revokeAdjustmentCommand],
};
