/** The only home of dialect differences between SQLite and PostgreSQL: the dialect names and named helpers over raw `sql`. */
import { sql, type Expression, type SqlBool } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** `text` as a LIKE pattern that matches it literally anywhere (%, _ and \ escaped). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Case-insensitive "column contains text" for both dialects: ILIKE on PostgreSQL, LIKE (case-insensitive for
 * ASCII) on SQLite, with an explicit escape character so user text is never a pattern.
 */
export function containsText(dialect: DialectName, column: string, text: string): Expression<SqlBool> {
  const pattern = containsPattern(text);
  return dialect === 'postgres' ? sql<SqlBool>`${sql.ref(column)} ilike ${pattern} escape '\\'` : sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
