import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';

/**
 * Puts a test database back into the state its migrations left, in a fraction of the time a new
 * copy takes (PGlite: loading a data directory; PostgreSQL: CREATE DATABASE from a template, which
 * writes the whole template through the WAL): what the migrations left is read once (takeSnapshot)
 * from a pristine database, then resetDatabase empties every table, puts those rows back and sets
 * every sequence back. Generic on purpose: a migration that adds seed rows, sequences or triggers
 * needs nothing here. (A materialized view keeps its post-migration rows unless a test refreshes it,
 * which the catalog check catches.)
 */
export type Snapshot = {
  /** The catalogs' state after the migrations (catalogState). */
  catalogs: string;
  /** One transaction's statements restoring the rows and sequences. */
  resetSql: string;
};

/** The three things a reset does with a connection, on either engine. */
export type ResetConnection = {
  query<T>(text: string): Promise<T[]>;
  /** Runs several statements; `transaction` wraps them in one. */
  exec(text: string, o?: { transaction?: boolean }): Promise<void>;
  /** PGlite holds one database: its shared catalogs (roles, databases) are the test's own. */
  sharedCatalogsAreOwn: boolean;
};

export function pgliteConnection(pg: PGlite): ResetConnection {
  return {
    query: async <T>(text: string) => (await pg.query<T>(text)).rows,
    exec: async (text, o = {}) => {
      if (o.transaction) await pg.transaction((tx) => tx.exec(text));
      else await pg.exec(text);
    },
    sharedCatalogsAreOwn: true,
  };
}

/** A postgres.js connection to one database (simple protocol: several statements per call). */
export function postgresConnection(sql: Sql): ResetConnection {
  return {
    query: async <T>(text: string) => (await sql.unsafe(text)) as unknown as T[],
    exec: async (text, o = {}) => {
      if (o.transaction) await sql.begin((tx) => tx.unsafe(text));
      else await sql.unsafe(text);
    },
    sharedCatalogsAreOwn: false,
  };
}

const USER_SCHEMAS = `select oid from pg_namespace where nspname <> 'information_schema' and nspname not like 'pg\\_%'`;

/**
 * The catalogs holding schema objects, roles and settings. Any DDL inserts or updates rows in one
 * of them, which raises its largest xmin, or deletes rows, which lowers its count; so equal states
 * mean nobody changed the schema. Row changes, sequence use and session state touch none of them.
 * The shared ones change whenever another test creates a database on a PostgreSQL server.
 */
const CATALOGS = [
  'pg_namespace', 'pg_class', 'pg_attribute', 'pg_attrdef', 'pg_constraint', 'pg_index', 'pg_inherits',
  'pg_trigger', 'pg_event_trigger', 'pg_rewrite', 'pg_policy', 'pg_proc', 'pg_type', 'pg_enum',
  'pg_sequence', 'pg_extension', 'pg_collation', 'pg_operator', 'pg_cast', 'pg_description',
];
const SHARED_CATALOGS = ['pg_authid', 'pg_auth_members', 'pg_db_role_setting', 'pg_database'];

async function catalogState(c: ResetConnection): Promise<string> {
  const catalogs = c.sharedCatalogsAreOwn ? [...CATALOGS, ...SHARED_CATALOGS] : CATALOGS;
  const query = `select ${catalogs.map((t) => `(select '${t} ' || count(*) || ' ' || coalesce(max(xmin::text::bigint), 0) from ${t})`).join(` || ', ' || `)} as state`;
  return (await c.query<{ state: string }>(query))[0]!.state;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Reads what a reset restores from a database in the state to come back to. */
export async function takeSnapshot(c: ResetConnection): Promise<Snapshot> {
  // Plain and partitioned tables, not partitions (their parent's DELETE and INSERT reach them).
  const tables = await c.query<{ name: string; columns: string | null }>(
    `select c.oid::regclass::text as name,
            (select string_agg(quote_ident(a.attname), ', ' order by a.attnum) from pg_attribute a
              where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns
       from pg_class c
      where c.relnamespace in (${USER_SCHEMAS}) and c.relkind in ('r', 'p') and not c.relispartition
      order by 1`,
  );
  const sequences = await c.query<{ name: string }>(
    `select c.oid::regclass::text as name from pg_class c where c.relnamespace in (${USER_SCHEMAS}) and c.relkind = 'S' order by 1`,
  );

  // As a replica no trigger fires (user triggers, foreign keys), so the tables can be emptied in any
  // order and the rows come back exactly as the migrations left them. DELETE rather than TRUNCATE:
  // on PGlite a TRUNCATE of a few tables takes ten times longer than deleting every row.
  const sql = ['set local session_replication_role = replica'];
  for (const t of tables) sql.push(`delete from ${t.name}`);
  for (const t of tables) {
    // JSON keeps every type exact (timestamps to the microsecond, numerics, bytea as hex).
    const [seed] = await c.query<{ rows: string | null }>(`select json_agg(t)::text as rows from only ${t.name} t`);
    if (seed?.rows && t.columns) {
      sql.push(
        `insert into ${t.name} (${t.columns}) overriding system value ` +
          `select ${t.columns} from json_populate_recordset(null::${t.name}, ${literal(seed.rows)}::json)`,
      );
    }
  }
  const setvals: string[] = [];
  for (const s of sequences) {
    const [v] = await c.query<{ value: string; called: boolean }>(`select last_value::text as value, is_called as called from ${s.name}`);
    setvals.push(`setval(${literal(s.name)}, ${v!.value}, ${v!.called})`);
  }
  if (setvals.length) sql.push(`select ${setvals.join(', ')}`);
  return { catalogs: await catalogState(c), resetSql: sql.join(';\n') };
}

/**
 * Puts a database back into its snapshot's state, or throws when it cannot be. The connection is
 * the test's own session (PGlite has one) or a new one after the test's sessions ended.
 */
export async function resetDatabase(c: ResetConnection, snap: Snapshot): Promise<void> {
  // Session state: settings, prepared statements, LISTEN, session advisory locks, temporary tables.
  // Refused inside an open transaction block.
  await c.exec('discard all');
  if ((await catalogState(c)) !== snap.catalogs) throw new Error('the schema differs from the migrated one');
  await c.exec(snap.resetSql, { transaction: true });
}
