import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { rowsOf, wrapPglite, type DbHandle } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { auditLog, units } from '../../db/schema/index.js';
import { importOrg } from '../../domain/roster/import-org.js';
import { parseOrgFile } from '../../domain/roster/org-file.js';
import { ORG_YAML } from './harness.js';
import { pgliteConnection, resetDatabase, takeSnapshot } from './db-reset.js';
import { createTestDb } from './test-db.js';

const now = new Date('2026-11-02T01:00:00Z');

async function rows<T>(h: DbHandle, q: ReturnType<typeof sql>): Promise<T[]> {
  const res = await h.db.execute(q);
  return rowsOf<T>(res);
}

describe('test databases (reused by the worker after a reset)', () => {
  it('a database handed out after another was closed holds nothing of it: rows, sequences, session settings', async () => {
    const warn = vi.spyOn(console, 'warn');
    onTestFinished(() => warn.mockRestore());
    const first = await createTestDb();
    await importOrg(first.db, parseOrgFile(ORG_YAML), { actor: 'test', now });
    expect((await first.db.select().from(units)).length).toBe(2);
    // A fresh session's timeout is whatever the client sets (PostgreSQL: a minute; PGlite: none).
    const [fresh] = await rows<{ statement_timeout: string }>(first, sql`show statement_timeout`);
    await first.db.execute(sql`set statement_timeout = '123s'`);
    await first.db.execute(sql`select pg_advisory_lock(42)`);
    await first.close();

    const second = await createTestDb();
    try {
      expect(await second.db.select().from(units)).toEqual([]);
      expect(await second.db.select().from(auditLog)).toEqual([]);
      expect((await rows<{ statement_timeout: string }>(second, sql`show statement_timeout`))[0]!.statement_timeout).toBe(fresh!.statement_timeout);
      // pg_locks lists the whole server's locks; other workers' databases take advisory locks too.
      expect((await rows<{ n: number }>(second, sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`))[0]!.n).toBe(0);
      // Identities start over, as in a new database.
      await importOrg(second.db, parseOrgFile(ORG_YAML), { actor: 'test', now });
      expect((await second.db.select({ id: units.id }).from(units)).map((u) => u.id).sort()).toEqual([1, 2]);
    } finally {
      await second.close();
    }
    // Both went back to the pool rather than being thrown away (a reset that fails costs time, not isolation).
    expect(warn).not.toHaveBeenCalled();
  });

  it('two databases open at once are separate', async () => {
    const a = await createTestDb();
    const b = await createTestDb();
    try {
      await importOrg(a.db, parseOrgFile(ORG_YAML), { actor: 'test', now });
      expect((await a.db.select().from(units)).length).toBe(2);
      expect(await b.db.select().from(units)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a closed handle can no longer reach a database (a later test may have it)', async () => {
    const h = await createTestDb();
    await h.close();
    await h.close(); // twice is harmless: the database is not handed out twice
    await expect(h.db.select().from(units)).rejects.toThrow();
    const [a, b] = [await createTestDb(), await createTestDb()];
    try {
      await importOrg(a.db, parseOrgFile(ORG_YAML), { actor: 'test', now });
      expect(await b.db.select().from(units)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a database whose schema a test changed is not handed out again', async () => {
    const h = await createTestDb();
    await h.db.execute(sql`create table stray (id int)`);
    await h.db.execute(sql`alter table units add column stray int`);
    await h.close();
    const next = await createTestDb();
    try {
      expect(await rows(next, sql`select 1 from information_schema.tables where table_name = 'stray'`)).toEqual([]);
      expect(await rows(next, sql`select 1 from information_schema.columns where table_name = 'units' and column_name = 'stray'`)).toEqual([]);
    } finally {
      await next.close();
    }
  });
});

describe('resetDatabase', () => {
  it('puts back the rows, sequences and trigger-maintained values the migrations left, without firing triggers', async () => {
    const pg = new PGlite();
    try {
      await runMigrations(wrapPglite(pg));
      // What a migration may add: a seeded one-row table with identity and generated columns, a
      // trigger keeping it up to date, a standalone sequence already used.
      await pg.exec(`
        create table ledger (id int generated always as identity primary key, total int not null, twice int generated always as (total * 2) stored, at timestamptz not null, note jsonb);
        insert into ledger (total, at, note) values (7, '2026-01-02 03:04:05.678901+00', '{"a": [1, "二"]}');
        create function ledger_bump() returns trigger language plpgsql as $$ begin update ledger set total = total + 1; return new; end $$;
        create trigger units_bump after insert on units for each row execute function ledger_bump();
        create sequence ticket_seq start 100;
        select nextval('ticket_seq'), nextval('ticket_seq');
      `);
      const before = (await pg.query(`select * from ledger`)).rows;
      const snap = await takeSnapshot(pgliteConnection(pg));

      await importOrg(wrapPglite(pg).db, parseOrgFile(ORG_YAML), { actor: 'test', now });
      expect((await pg.query<{ total: number }>(`select total from ledger`)).rows[0]!.total).toBe(9);
      await pg.exec(`insert into ledger (total, at) values (1, now()); select nextval('ticket_seq'); set search_path = nowhere`);

      await resetDatabase(pgliteConnection(pg), snap);
      expect((await pg.query(`select * from ledger`)).rows).toEqual(before);
      expect((await pg.query(`select count(*)::int as n from units`)).rows).toEqual([{ n: 0 }]);
      expect((await pg.query(`select nextval('ticket_seq') as n`)).rows).toEqual([{ n: 102 }]);
      expect((await pg.query(`insert into ledger (total, at) values (0, now()) returning id`)).rows).toEqual([{ id: 2 }]);
      // The trigger is still there and fires again.
      await importOrg(wrapPglite(pg).db, parseOrgFile(ORG_YAML), { actor: 'test', now });
      expect((await pg.query(`select total from ledger where id = 1`)).rows).toEqual([{ total: 9 }]);
    } finally {
      await pg.close();
    }
  }, 120_000);
});
