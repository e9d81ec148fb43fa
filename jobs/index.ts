import type { Job } from './types.js';

/** Every scheduled job; later features add theirs here. */
export function allJobs(): Job[] {
  return [];
}
