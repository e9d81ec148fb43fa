import type { Job } from './types.js';
import { bulletinJobs } from './bulletin-jobs.js';
import { bulletinApprovalRemindersJob } from './bulletin-approval-reminders.js';
import { confirmRemindersJob } from './confirm-reminders.js';
import { retentionJob } from './retention.js';
import { reviewRemindersJob } from './review-reminders.js';
import { rosterNamesJob } from './roster-names.js';
import { topicRemindersJob } from './topic-reminders.js';

/** Every scheduled job; later features add theirs here. */
export function allJobs(): Job[] {
  return [...bulletinJobs(), bulletinApprovalRemindersJob, topicRemindersJob, reviewRemindersJob, confirmRemindersJob, retentionJob, rosterNamesJob];
}
