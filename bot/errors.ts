/**
 * Errors a user can act on carry a Chinese message meant for them; everything else is a bug or an
 * outage, logged in full and answered with a generic apology.
 */
export class UserError extends Error {
  constructor(readonly userMessage: string, readonly code = 'user:invalid') {
    super(userMessage);
    this.name = 'UserError';
  }
}

/** Someone tapped or typed something their role does not allow. */
export class PermissionError extends UserError {
  constructor(userMessage: string) {
    super(userMessage, 'user:forbidden');
    this.name = 'PermissionError';
  }
}

export const GENERIC_FAILURE = '抱歉，处理时出现了问题，已记录，请稍后再试。如多次出现，请联系研究室。';

