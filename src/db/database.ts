/** Opens the Kysely database for a DatabaseTarget: better-sqlite3 (WAL, foreign keys, busy timeout) or a `pg` pool. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Dialect, type SqliteDatabase } from 'kysely';
import type { DatabaseTarget } from '../config.ts';
import type { Database } from './schema.ts';
import { dialectOf, type DialectName } from './dialect.ts';

export type DB = Kysely<Database>;

/** An open database with the dialect its SQL helpers must target. `close()` ends the pool / closes the file. */
export interface OpenDatabase {
  db: DB;
  dialect: DialectName;
  /** A read replica for read-only reader queries (DATABASE_READ_URL); absent → reads use `db`. */
  readDb?: DB;
  close(): Promise<void>;
}

/** How long a SQLite writer waits for a lock held by another connection or process, in ms. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

function sqliteDialect(location: string): Dialect {
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  const file = new SQLite(location, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  file.pragma('synchronous = NORMAL');
  file.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  file.pragma(SQLITE_OPTIMIZE);
  return new SqliteDialect({ database: reusingStatements(file) });
}

/**
 * SQLite's planner statistics, refreshed where stale (https://sqlite.org/pragma.html#pragma_optimize): check every table
 * (0x10000) and ANALYZE (0x02) those never analyzed, grown or shrunk 25-fold since, or with an index never analyzed,
 * under a temporary analysis_limit (0x10) so a large archive is sampled, not read whole. Usually a no-op. Without
 * statistics SQLite takes `status in (…)` on articles_status_published_idx as nearly unique and reads every visible
 * article where the id, slug, full-text or (published_at, id) index would do (db/query-plans.test.ts).
 * Run when a file is opened and after migrations (which add indexes); empty tables are left unanalyzed.
 */
export const SQLITE_OPTIMIZE = 'optimize=0x10012';

/** Runs SQLITE_OPTIMIZE on a SQLite database; nothing on PostgreSQL (autovacuum analyzes there). */
export async function optimizeSqlite(db: DB): Promise<void> {
  if (dialectOf(db) === 'sqlite') await sql.raw(`pragma ${SQLITE_OPTIMIZE}`).execute(db);
}

/** Prepared statements kept per SQL text (least recently used dropped beyond this many). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The better-sqlite3 database as Kysely's SqliteDialect sees it, but preparing each distinct SQL text once: Kysely
 * prepares every query afresh, which costs about an eighth of an import's time. Safe because Kysely runs one query
 * at a time on its single SQLite connection; SQLite re-prepares a statement itself after a schema change.
 */
function reusingStatements(file: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => file.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) statements.delete(sql);
      else statement = file.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}

function postgresDialect(location: string): Dialect {
  const pool = new pg.Pool({ connectionString: location, max: 10 });
  // An idle pooled connection that the server ends (restart, failover, idle timeout) is reported as an 'error' event
  // on the pool; unheard, it would crash the process. pg has already dropped that connection, and the next query
  // opens a new one — or fails, and that request gets the 503 of web/errors.tsx.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}

/** Opens (creating the SQLite file and its folder if needed) the database named by `target`. Does not migrate. */
export function openDatabase(target: DatabaseTarget): OpenDatabase {
  const dialect = target.dialect === 'sqlite' ? sqliteDialect(target.location) : postgresDialect(target.location);
  return wrapDatabase(new Kysely<Database>({ dialect }), target.dialect);
}

/** Wraps an already-built Kysely instance (e.g. PGlite in tests) as an OpenDatabase. */
export function wrapDatabase(db: DB, dialect: DialectName): OpenDatabase {
  return { db, dialect, close: () => db.destroy() };
}
