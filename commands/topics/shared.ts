import type { Deps } from '../../bot/handlers.js';

/** The present and the bot's timezone, read once per handler so its texts and records agree. */
export function momentOf(deps: Deps): { now: Date; timezone: string } {
  return { now: deps.clock.now(), timezone: deps.config.timezone };
}
