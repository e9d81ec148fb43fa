import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import { createTestDb, postgresRun } from '../helpers/test-db.js';

/**
 * After postgres.js loses a socket it can keep a connection whose short queries are never sent; the
 * bot then renews its pool (bot/main.ts). Renewing must move every query to new connections, close
 * the old ones, and read and write values exactly as before (drizzle configures the pool's parsers).
 */
describe.skipIf(!postgresRun)('renewing the PostgreSQL pool', () => {
  it('moves queries to new connections, closes the old ones, and keeps the type handling', async () => {
    const h = await createTestDb();
    try {
      const backend = async () => rowsOf<{ pid: number }>(await h.db.execute(sql`select pg_backend_pid() as pid`))[0]!.pid;
      const at = new Date('2026-03-01T08:30:00.123Z');
      const [written] = await h.db.insert(auditLog).values({ at, actor: 'ou_a', entityType: 'draft', entityId: '1', action: 'test' }).returning();
      const before = await backend();
      // drizzle has the driver hand dates over as written; a pool that parsed them would give Date objects.
      const day = async () => rowsOf<{ d: unknown }>(await h.db.execute(sql`select '2026-03-01'::date as d`))[0]!.d;
      expect(await day()).toBe('2026-03-01');

      h.renewConnections!();
      await new Promise((r) => setTimeout(r, 20));
      const after = await backend();
      expect(after).not.toBe(before);

      // The old pool's connection is gone from the server (it closes within a few polls).
      const sessionsOf = async (pid: number) => rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from pg_stat_activity where pid = ${pid}`))[0]!.n;
      for (let i = 0; i < 100 && (await sessionsOf(before)) > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await sessionsOf(before)).toBe(0);

      expect(await day()).toBe('2026-03-01');
      // Dates and JSON go in and come out as they did through the first pool.
      const [read] = await h.db.select().from(auditLog).where(eq(auditLog.id, written!.id));
      expect(read!.at).toEqual(at);
      await h.db.update(auditLog).set({ at: new Date(at.getTime() + 1000), data: { revision: 2 } }).where(eq(auditLog.id, written!.id));
      const [updated] = await h.db.select().from(auditLog).where(eq(auditLog.id, written!.id));
      expect(updated!.at).toEqual(new Date(at.getTime() + 1000));
      expect(updated!.data).toEqual({ revision: 2 });
      // Transactions open on the new pool too.
      const inTx = await h.db.transaction(async (tx) => rowsOf<{ pid: number }>(await tx.execute(sql`select pg_backend_pid() as pid`))[0]!.pid);
      expect(inTx).not.toBe(before);
    } finally {
      await h.close();
    }
  });
});
