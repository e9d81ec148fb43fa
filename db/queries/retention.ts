import { sql, type SQL } from 'drizzle-orm';

/** The keys of an inbox event's payload that hold what the person wrote. */
const WRITTEN = ['content', 'mentions'];

/**
 * An inbox event's payload without what the person wrote (content, mentions), marked blanked; the
 * addressing (sender, chat, message type) stays for counts and diagnosis. `payload`: the stored
 * column (retention, a message from someone outside the roster once handled).
 */
export const blankedInboxPayload = (payload: SQL = sql`payload`) =>
  sql`(${payload} ${sql.raw(WRITTEN.map((k) => `- '${k}'`).join(' '))}) || '{"blanked": true}'::jsonb`;

/** The same for a payload about to be stored: a stranger's message handled at once is never stored whole. */
export function blankInboxPayload(payload: Record<string, unknown>): Record<string, unknown> {
  return { ...Object.fromEntries(Object.entries(payload).filter(([k]) => !WRITTEN.includes(k))), blanked: true };
}

/** A sent outbox row's payload without the message itself; the recipient and kind stay. */
export const blankedOutboxPayload = sql`(payload - 'content') || '{"blanked": true}'::jsonb`;
