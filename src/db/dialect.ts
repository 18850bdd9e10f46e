/** The only home of dialect differences between SQLite and PostgreSQL: the dialect names and named helpers over raw `sql`. */
import { CompiledQuery, PostgresAdapter, sql, type AliasedRawBuilder, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type Simplify, type SqlBool } from 'kysely';
import { jsonArrayFrom as postgresJsonArray, jsonObjectFrom as postgresJsonObject } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArray, jsonObjectFrom as sqliteJsonObject } from 'kysely/helpers/sqlite';
import type { ArticleSearchDocument } from './schema.ts';

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

/** The dialect a Kysely instance or transaction speaks, from its adapter: for code handed only a transaction. */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/*
 * Nested rows as JSON (kysely/helpers/<dialect>): one statement brings a row with its related lists, e.g. an article
 * with its bylines, tags and credits. PostgreSQL's driver hands json columns over parsed; SQLite returns JSON text.
 */

/** A JSON column as the driver returns it: the value (PostgreSQL) or its JSON text (SQLite). Read it with `readJson`. */
export type JsonColumn<T> = T | string;

/**
 * The rows of `query` (a select with explicit columns; timestamps stay ISO text) as one JSON array column, in the
 * query's order, `[]` when there are none.
 */
export function jsonArrayFrom<O>(dialect: DialectName, query: SelectQueryBuilder<any, any, O>): RawBuilder<JsonColumn<Simplify<O>[]>> {
  return (dialect === 'postgres' ? postgresJsonArray(query) : sqliteJsonArray(query)) as RawBuilder<JsonColumn<Simplify<O>[]>>;
}

/** The first row of `query` as one JSON object column, or null when it has none. */
export function jsonObjectFrom<O>(dialect: DialectName, query: SelectQueryBuilder<any, any, O>): RawBuilder<JsonColumn<Simplify<O>> | null> {
  return (dialect === 'postgres' ? postgresJsonObject(query) : sqliteJsonObject(query)) as RawBuilder<JsonColumn<Simplify<O>> | null>;
}

/** The value of a JsonColumn (JSON text is parsed; arrays and objects are never handed over as strings otherwise). */
export function readJson<T>(value: JsonColumn<T>): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/*
 * Full-text search (distribution/search). Terms arrive already folded (distribution/search/tokens.ts), so neither
 * database's own word splitting decides anything: SQLite stores them in an FTS5 table keyed by rowid = article id,
 * PostgreSQL as a tsvector literal (no text-search parser, so no locale or configuration dependence), and both
 * match exactly the same terms. Reader text only ever reaches SQL as bound parameters, quoted as FTS5 strings or
 * tsquery lexemes, never as search syntax.
 */

/** Where a term may be required to occur: the headline (weight A), the dek or tags (B), the body (C). */
export type SearchField = 'headline' | 'dekOrTags' | 'body';

const FTS5_COLUMNS: Record<SearchField, string> = { headline: '{headline}', dekOrTags: '{dek tags}', body: '{body}' };
const TS_WEIGHTS: Record<SearchField, string> = { headline: 'A', dekOrTags: 'B', body: 'C' };
/** tsvector positions only carry the weight of a field: a term is at 1 (A) when in the headline, 2 (B), 3 (C). */
const TS_POSITIONS: Record<SearchField, string> = { headline: '1A', dekOrTags: '2B', body: '3C' };

/** An FTS5 string: the term as one token, never an operator (FTS5 doubles `"` inside strings). */
const fts5String = (term: string): string => `"${term.replace(/"/g, '""')}"`;
/** A quoted tsvector / tsquery lexeme (`'` doubled, `\` escaped). */
const tsLexeme = (term: string): string => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The tsvector literal of a document: every distinct term once, with a position per field it occurs in. */
function tsvectorLiteral(doc: ArticleSearchDocument): string {
  const positions = new Map<string, Set<string>>();
  const add = (terms: string[], field: SearchField) => {
    for (const term of terms) positions.set(term, (positions.get(term) ?? new Set()).add(TS_POSITIONS[field]));
  };
  add(doc.headline, 'headline');
  add(doc.dek, 'dekOrTags');
  add(doc.tags, 'dekOrTags');
  add(doc.body, 'body');
  return [...positions].map(([term, at]) => `${tsLexeme(term)}:${[...at].sort().join(',')}`).join(' ');
}

/** Statements that store (insert or replace) the search document of article `articleId`; run them in its transaction. */
export function searchDocumentWrite(dialect: DialectName, articleId: number, doc: ArticleSearchDocument): RawBuilder<unknown>[] {
  if (dialect === 'postgres') {
    return [
      sql`insert into article_search (article_id, document) values (${articleId}, cast(${tsvectorLiteral(doc)} as tsvector))
          on conflict (article_id) do update set document = excluded.document`,
    ];
  }
  return [
    sql`delete from article_search where rowid = ${articleId}`,
    sql`insert into article_search (rowid, headline, dek, tags, body) values (${articleId}, ${doc.headline.join(' ')}, ${doc.dek.join(' ')}, ${doc.tags.join(' ')}, ${doc.body.join(' ')})`,
  ];
}

/** The statement that removes article `articleId` from the search index. */
export function searchDocumentDelete(dialect: DialectName, articleId: number): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`delete from article_search where article_id = ${articleId}` : sql`delete from article_search where rowid = ${articleId}`;
}

/** Ids of the articles whose index holds every one of `terms` (non-empty, folded), anywhere or in `field`. */
function searchIds(dialect: DialectName, terms: readonly string[], field?: SearchField): RawBuilder<number> {
  if (dialect === 'postgres') {
    const query = terms.map((t) => (field ? `${tsLexeme(t)}:${TS_WEIGHTS[field]}` : tsLexeme(t))).join(' & ');
    return sql<number>`select article_id as id from article_search where document @@ cast(${query} as tsquery)`;
  }
  const query = terms.map((t) => (field ? `${FTS5_COLUMNS[field]} : ${fts5String(t)}` : fts5String(t))).join(' AND ');
  return sql<number>`select rowid as id from article_search where article_search match ${query}`;
}

/**
 * The ids (column `id`) of the articles whose index holds every one of `terms` (non-empty, folded), as a table to
 * start a query from: counting from the match reads only matching articles, where `articles.id in (…)` may read
 * every visible article and filter (SQLite's planner does).
 */
export function searchMatchTable(dialect: DialectName, terms: readonly string[]): AliasedRawBuilder<{ id: number }, 'matched'> {
  return sql<{ id: number }>`(${searchIds(dialect, terms)})`.as('matched');
}

/** `articles.id` is an article whose search index holds every one of `terms` (folded); no terms match nothing. */
export function searchMatches(dialect: DialectName, terms: readonly string[]): Expression<SqlBool> {
  if (!terms.length) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref('articles.id')} in (${searchIds(dialect, terms)})`;
}

/**
 * The score of `articles.id` for `terms`: for each term, `points[field]` for each field it occurs in. Counted from
 * the same per-field membership on both databases (not FTS5's bm25 or ts_rank, which weigh frequency and length
 * differently), so both rank alike; callers break ties themselves.
 */
export function searchRank(dialect: DialectName, terms: readonly string[], points: Record<SearchField, number>): RawBuilder<number> {
  const parts = terms.flatMap((term) =>
    (Object.keys(points) as SearchField[]).map((field) => sql`(case when ${sql.ref('articles.id')} in (${searchIds(dialect, [term], field)}) then ${sql.lit(points[field])} else 0 end)`),
  );
  return parts.length ? sql<number>`(${sql.join(parts, sql` + `)})` : sql<number>`0`;
}

/*
 * Query plans (db/query-plans.test.ts): how the database would run a compiled query, without running it.
 */

/** A node of PostgreSQL's EXPLAIN (FORMAT JSON) output, as far as plan lines need it. */
interface PostgresPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PostgresPlanNode[];
}

function postgresPlanLines(node: PostgresPlanNode, depth: number, out: string[]): string[] {
  const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  out.push(`${'  '.repeat(depth)}${node['Node Type']}${using}${on}`);
  for (const child of node.Plans ?? []) postgresPlanLines(child, depth + 1, out);
  return out;
}

/**
 * One line per step of the plan `query` would run with: SQLite's EXPLAIN QUERY PLAN details ("SEARCH articles
 * USING INDEX …", "USE TEMP B-TREE FOR ORDER BY"); PostgreSQL's plan nodes from EXPLAIN (FORMAT JSON) as
 * "<Node Type>[ using <index>][ on <table>]", indented by depth. With `indexesOnly`, PostgreSQL plans with
 * enable_seqscan off (for this statement only), answering "can an index serve this" independently of table sizes;
 * SQLite's planner does not weigh table sizes without ANALYZE statistics, which Broadsheet never gathers.
 */
export async function explainQuery(db: Kysely<any>, query: CompiledQuery, options: { indexesOnly?: boolean } = {}): Promise<string[]> {
  if (dialectOf(db) === 'sqlite') {
    const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    return rows.map((r) => r.detail);
  }
  return db.transaction().execute(async (tx) => {
    if (options.indexesOnly) await sql`set local enable_seqscan = off`.execute(tx);
    const { rows } = await tx.executeQuery<{ 'QUERY PLAN': { Plan: PostgresPlanNode }[] }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]));
    return postgresPlanLines(rows[0]!['QUERY PLAN'][0]!.Plan, 0, []);
  });
}

/** Refreshes the planner's table statistics on PostgreSQL (ANALYZE); nothing on SQLite, where db/database.ts optimizeSqlite does it. */
export async function refreshPlannerStatistics(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`analyze`.execute(db);
}
