import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';

/**
 * Serializes everything that opens issues or gives out positions in them. Adoption is rare (a few
 * a day), so one lock for the whole desk costs nothing and rules out duplicate numbers, gaps and
 * deadlocks between two merges that share drafts. Released at commit or rollback.
 */
export async function lockDesk(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gaojian.desk'))`);
}
