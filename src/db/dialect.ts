/** The only home of dialect differences between SQLite and PostgreSQL: named helpers over raw `sql`. */
import { sql, type RawBuilder } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** Case-insensitive LIKE pattern match on one column, for both dialects. */
export function ilike(dialect: DialectName, column: string, pattern: string): RawBuilder<boolean> {
  return dialect === 'postgres' ? sql<boolean>`${sql.ref(column)} ilike ${pattern}` : sql<boolean>`${sql.ref(column)} like ${pattern}`;
}
