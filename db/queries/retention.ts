import { sql, type SQL } from 'drizzle-orm';

/**
 * An inbox event's payload without what the person wrote (content, mentions), marked blanked; the
 * addressing (sender, chat, message type) stays for counts and diagnosis. `payload`: the stored
 * column (retention) or a value being inserted (a stranger's message, never stored whole).
 */
export const blankedInboxPayload = (payload: SQL = sql`payload`) => sql`(${payload} - 'content' - 'mentions') || '{"blanked": true}'::jsonb`;

/** A sent outbox row's payload without the message itself; the recipient and kind stay. */
export const blankedOutboxPayload = sql`(payload - 'content') || '{"blanked": true}'::jsonb`;
