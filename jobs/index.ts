import type { Job } from './types.js';
import { bulletinJobs } from './bulletin-jobs.js';
import { bulletinApprovalRemindersJob } from './bulletin-approval-reminders.js';
import { reviewRemindersJob } from './review-reminders.js';
import { topicRemindersJob } from './topic-reminders.js';

/** Every scheduled job; later features add theirs here. */
export function allJobs(): Job[] {
  return [...bulletinJobs(), bulletinApprovalRemindersJob, topicRemindersJob, reviewRemindersJob];
}
