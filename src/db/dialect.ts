/** The only home of dialect differences between SQLite and PostgreSQL: the dialect names and named helpers over raw `sql`. */
import { PostgresAdapter, sql, type Expression, type Kysely, type SqlBool } from 'kysely';

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

/**
 * The schema unqualified names resolve to (the first of search_path) on PostgreSQL; undefined on SQLite. Kysely's
 * migrator looks for its own tables in every schema unless told which one, so a database where another schema
 * already holds them (another app, or parallel test schemas) would otherwise never get its own.
 */
export async function currentSchema(db: Kysely<any>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}
