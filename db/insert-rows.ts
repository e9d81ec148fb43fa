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
    const type = column.getSQLType();
    // A json column's value goes in as it is (the document nests it); others as drizzle writes them.
    const value = type === 'jsonb' || type === 'json' ? (v: unknown) => v : (v: unknown) => column.mapToDriverValue(v);
    return { key, name: column.name, type, value };
  });
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(picked.map((c) => [c.name, r[c.key] == null ? null : c.value(r[c.key])]))));
  const names = sql.join(
    picked.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  const record = sql.join(
    picked.map((c) => sql`${sql.identifier(c.name)} ${sql.raw(c.type)}`),
    sql`, `,
  );
  const result = await db.execute(sql`insert into ${table} (${names}) select ${names} from jsonb_to_recordset(${json}::jsonb) as u(${record}) ${tail}`);
  return rowsOf<Record<string, unknown>>(result);
}
