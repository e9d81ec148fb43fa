import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { rowsOf, type DbOrTx } from './client.js';

/**
 * Inserts rows in one statement whose text does not depend on how many there are: the rows go as
 * one JSON parameter, which PostgreSQL turns back into typed rows (jsonb_to_recordset). drizzle's
 * multi-row insert writes a placeholder per value, so every number of rows is another statement
 * text (described in a round trip of its own and planned again on PostgreSQL) and building it costs
 * per value; here a burst of 50 messages costs one JSON.stringify and one round trip.
 *
 * `rows` are keyed by the table's property names, each row with the same keys, values as drizzle
 * takes them (no SQL expressions). `tail` follows the insert (on conflict …, returning …); the rows
 * it returns are as PostgreSQL names the columns.
 */
export async function insertRows(db: DbOrTx, table: PgTable, rows: Record<string, unknown>[], tail: SQL = sql``): Promise<Record<string, unknown>[]> {
  const [first] = rows;
  if (!first) return [];
  const keys = Object.keys(first);
  const { picked, head, record } = shapeOf(table, keys);
  const json = JSON.stringify(
    rows.map((r) => {
      const out: Record<string, unknown> = {};
      for (const c of picked) {
        const v = r[c.key];
        out[c.name] = v == null ? null : c.value ? c.value(v) : v;
      }
      return out;
    }),
  );
  const result = await db.execute(sql`${head}${json}::jsonb) as u(${record}) ${tail}`);
  return rowsOf<Record<string, unknown>>(result);
}

type Shape = {
  picked: { key: string; name: string; value: ((v: unknown) => unknown) | undefined }[];
  /** The statement up to its parameter, and the record type jsonb_to_recordset returns. */
  head: SQL;
  record: SQL;
};

/**
 * The columns of `keys` and the statement's text up to its parameter, worked out once per table and
 * list of keys: a burst of messages inserts the same shapes again and again, on the thread that
 * answers the webhook.
 */
function shapeOf(table: PgTable, keys: string[]): Shape {
  let byKeys = shapes.get(table);
  if (!byKeys) shapes.set(table, (byKeys = new Map()));
  const id = keys.join(',');
  const known = byKeys.get(id);
  if (known) return known;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const picked = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
    const type = column.getSQLType();
    // A json column's value goes in as it is (the document nests it); text, numbers and booleans as
    // they are too (drizzle maps them to themselves); others (dates) as drizzle writes them.
    const value = PLAIN_TYPES.has(type) ? undefined : (v: unknown) => column.mapToDriverValue(v);
    return { key, name: column.name, type, value };
  });
  const names = sql.join(
    picked.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  const record = sql.join(
    picked.map((c) => sql`${sql.identifier(c.name)} ${sql.raw(c.type)}`),
    sql`, `,
  );
  const shape: Shape = { picked, head: sql`insert into ${table} (${names}) select ${names} from jsonb_to_recordset(`, record };
  byKeys.set(id, shape);
  return shape;
}

const shapes = new WeakMap<PgTable, Map<string, Shape>>();

/** Column types whose values drizzle sends as they are. */
const PLAIN_TYPES = new Set(['jsonb', 'json', 'text', 'integer', 'boolean', 'uuid']);
