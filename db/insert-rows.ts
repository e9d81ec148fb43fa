import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { rowsOf, type DbOrTx } from './client.js';

/**
 * Inserts rows in one statement whose text does not depend on how many there are: each column's
 * values go as one text array, unnested and cast to the column's type. drizzle's multi-row insert
 * writes a placeholder per value, so every number of rows is another statement text (described in
 * a round trip of its own and planned again on PostgreSQL) and building it costs per value. Here a
 * burst of 50 messages costs what one does to build, and one round trip.
 *
 * `rows` are keyed by the table's property names, each row with the same keys, values as drizzle
 * takes them (no SQL expressions). `tail` follows the insert (on conflict …, returning …); the rows
 * it returns are as PostgreSQL names the columns. A multi-row insert returns its rows in the order
 * of the input, which callers matching ids to their rows rely on and check.
 */
export async function insertRows(db: DbOrTx, table: PgTable, rows: Record<string, unknown>[], tail: SQL = sql``): Promise<Record<string, unknown>[]> {
  const [first] = rows;
  if (!first) return [];
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const picked = Object.keys(first).map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
    // Every value travels as text: postgres.js would type a JS array by its first element (a
    // boolean array as a boolean) and PostgreSQL then refuses the cast to the array type.
    const values = rows.map((r) => (r[key] == null ? null : String(column.mapToDriverValue(r[key]))));
    return { name: sql.identifier(column.name), type: sql.raw(column.getSQLType()), values };
  });
  const result = await db.execute(sql`insert into ${table} (${sql.join(
    picked.map((c) => c.name),
    sql`, `,
  )}) select ${sql.join(
    picked.map((c) => sql`u.${c.name}::${c.type}`),
    sql`, `,
  )} from unnest(${sql.join(
    picked.map((c) => sql`${sql.param(c.values)}::text[]`),
    sql`, `,
  )}) as u(${sql.join(
    picked.map((c) => c.name),
    sql`, `,
  )}) ${tail}`);
  return rowsOf<Record<string, unknown>>(result);
}
