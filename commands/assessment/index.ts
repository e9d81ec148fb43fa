import type { Feature } from '../../bot/handlers.js';
import { bonusCommand, deductionCommand, revokeAdjustmentCommand } from './adjustment-commands.js';
import { annualReviewCommand } from './annual-command.js';
import { assessmentCommand } from './assessment-command.js';
import { rulesFormCommand, rulesFormSubmit } from './rules-form.js';
import { registerAdoptedCommand, registerCommand, registerNotAdoptedCommand, registerStatsCommand } from './register-commands.js';

/** The year-end assessment (千分制), the research office's manual 加分/扣分 and the upward register (报送登记). */
export const assessmentFeature: Feature = {
  name: 'assessment',
  commands: [assessmentCommand, annualReviewCommand, bonusCommand, deductionCommand, revokeAdjustmentCommand, registerCommand, registerAdoptedCommand, registerNotAdoptedCommand, registerStatsCommand, rulesFormCommand],
  actions: [rulesFormSubmit],
};
