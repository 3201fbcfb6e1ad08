import { newId } from '@pitchline/core';
import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, char, timestamp, uuid } from 'drizzle-orm/pg-core';

/*
 * Conventions of this schema:
 * - primary keys are UUIDv7 made by the app (`newId()`), so ids exist before the INSERT (events can
 *   carry them) and stay index-local; `$defaultFn` fills them when a caller leaves them out;
 * - money is integer minor units (bigint read as a JS number, safe to 2^53) beside a char(3) currency;
 * - small closed sets are text + CHECK rather than Postgres enums: adding a value to an enum cannot
 *   run inside a transaction on older servers, a CHECK is replaced in one migration;
 * - every timestamp is `timestamptz`: merchants live in different time zones, storage is UTC.
 */

export const id = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => newId());
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
export const money = (name: string) => bigint(name, { mode: 'number' });
export const currency = (name = 'currency') => char(name, { length: 3 });

/** A CHECK that a text column holds one of the given values. */
export function oneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`${column} in (${sql.join(
    values.map((v) => sql.raw(`'${v.replaceAll("'", "''")}'`)),
    sql`, `,
  )})`;
}
export const isCurrency = (column: AnyPgColumn) => sql`${column} ~ '^[A-Z]{3}$'`;
export const isSha256Hex = (column: AnyPgColumn) => sql`${column} ~ '^[0-9a-f]{64}$'`;
