import type { Feature } from '../../bot/handlers.js';
import { exportCommand } from './export-command.js';
import { rankingPageAction } from './page-action.js';
import { rankCommand } from './rank-command.js';

/** Rankings on demand and their Excel export; the scheduled bulletins are jobs/bulletin-jobs.ts. */
export const rankingFeature: Feature = {
  name: 'ranking',
  commands: [rankCommand, exportCommand],
  actions: [rankingPageAction],
};
