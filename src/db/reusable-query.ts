/**
 * Statements built and compiled once per shape, then run with new values. Kysely builds a query's operation tree
 * and compiles it to SQL on every call: for a statement with many subqueries (an article with its lists, a page of
 * a comment thread) that costs more CPU than the database spends running it. A reusable query is built once more
 * with a placeholder in the place of each value; later calls with the same shape only put the new values where the
 * placeholders went. The SQL text is then identical, so SQLite's statement cache (db/database.ts) keeps serving it.
 */
import { createQueryId, type CompiledQuery, type Compilable, type Kysely, type QueryExecutor } from 'kysely';
import type pg from 'pg';

/** The values of one call: scalars, or lists (whose lengths are part of the statement's shape, like `options`). */
export type QueryValues = Record<string, unknown>;

/** Where a value goes: the value named `name` (element `index` of a list). */
class Placeholder {
  constructor(
    readonly name: string,
    readonly index?: number,
  ) {}
}

interface Template {
  query: CompiledQuery['query'];
  sql: string;
  /** Per parameter: the placeholder it came from, or a value the builder put there itself. */
  slots: (Placeholder | { fixed: unknown })[];
}

/** Templates per executor (one per Kysely instance, plugins included), then per shape. */
const templates = new WeakMap<QueryExecutor, Map<string, Template>>();

/** The statements of reusable queries by SQL text, each with its prepared-statement name on PostgreSQL. */
const statementNames = new Map<string, string>();

function placeholders(values: QueryValues): QueryValues {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, Array.isArray(value) ? value.map((_, index) => new Placeholder(name, index)) : new Placeholder(name)]));
}

function parametersOf(template: Template, values: QueryValues): unknown[] {
  return template.slots.map((slot) => (slot instanceof Placeholder ? (slot.index === undefined ? values[slot.name] : (values[slot.name] as unknown[])[slot.index]) : slot.fixed));
}

/**
 * A query function that builds its statement with `build` the first time it meets a shape (`options`, the names of
 * `values` and the lengths of its lists) and reuses it after. `build` must pass each value into the query untouched
 * (no arithmetic, no branching on it): only `options` may change the statement. A template that does not give back
 * the statement `build` made with the real values throws, so a builder that breaks this rule fails its first call.
 */
export function reusableQuery<DB, O, V extends QueryValues, R>(name: string, build: (db: Kysely<DB>, options: O, values: V) => Compilable<R>): (db: Kysely<DB>, options: O, values: V) => Promise<R[]> {
  return async (db, options, values) => {
    const key = `${name}|${JSON.stringify(options)}|${Object.entries(values)
      .map(([field, value]) => (Array.isArray(value) ? `${field}[${value.length}]` : field))
      .join(',')}`;
    const executor = db.getExecutor();
    let shapes = templates.get(executor);
    if (!shapes) templates.set(executor, (shapes = new Map()));
    const template = shapes.get(key);
    if (template) {
      const queryId = createQueryId();
      // Plugins still see the statement (tests record them); one that would change it made the first call throw.
      executor.transformQuery(template.query, queryId);
      return (await db.executeQuery<R>({ query: template.query, queryId, sql: template.sql, parameters: parametersOf(template, values) })).rows;
    }

    // First call of this shape: run as built (plugins see it as usual), and keep the template for the next ones.
    const compiled = build(db, options, values).compile();
    const blank = build(db.withoutPlugins(), options, placeholders(values) as V).compile();
    const made: Template = { query: blank.query, sql: blank.sql, slots: blank.parameters.map((p) => (p instanceof Placeholder ? p : { fixed: p })) };
    const refilled = parametersOf(made, values);
    if (made.sql !== compiled.sql || refilled.length !== compiled.parameters.length || refilled.some((p, i) => !Object.is(p, compiled.parameters[i]))) {
      throw new Error(`reusable query ${name}: the statement depends on its values, not only on its options`);
    }
    shapes.set(key, made);
    if (!statementNames.has(made.sql)) statementNames.set(made.sql, `reusable_${statementNames.size + 1}`);
    return (await db.executeQuery(compiled)).rows;
  };
}

/**
 * Makes a pg connection run the statements of reusable queries as named prepared statements; give it to the pool as
 * its 'connect' listener. PostgreSQL parses and plans an unnamed statement at every run (the article page's statement
 * spent ~0.5 ms planning for ~0.1 ms running); a named one is parsed once per connection and, from its sixth run,
 * runs on a generic plan when that costs no more than the custom ones. Other statements run as before. Not for a
 * pooler in transaction mode that does not follow prepared statements (PgBouncer before 1.21).
 */
export function prepareReusableStatements(client: pg.ClientBase): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown, callback?: unknown) => unknown;
  client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof config === 'string' ? statementNames.get(config) : undefined;
    return name === undefined ? query(config, values, callback) : query({ name, text: config, values }, callback);
  }) as typeof client.query;
}
