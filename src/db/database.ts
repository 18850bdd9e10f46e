/**
 * Opens the Kysely database for a DatabaseTarget: better-sqlite3 (WAL, foreign keys, busy timeout) or a `pg` pool of
 * DATABASE_POOL_SIZE connections, plus, on PostgreSQL, a second pool on the read replica of DATABASE_READ_URL.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import { createRequire } from 'node:module';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Dialect, type SqliteDatabase } from 'kysely';
import { ConfigError, type Config, type DatabaseTarget } from '../config.ts';
import type { Database } from './schema.ts';
import { dialectOf, type DialectName } from './dialect.ts';
import { prepareReusableStatements } from './reusable-query.ts';
import { hidingGlobal } from '../lib/lazy-globals.ts';

const requirePg = createRequire(import.meta.url);

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

/** Connections per PostgreSQL pool when the caller names no size (DATABASE_POOL_SIZE's default). */
export const DEFAULT_POOL_SIZE = 10;

/** The connections of a PostgreSQL pool right now (pg.Pool's counts): open ones, idle among them, and queries queued for one. */
export interface PoolStatistics {
  total: number;
  idle: number;
  waiting: number;
}

/** The pg pool behind each PostgreSQL Kysely instance opened here, for the pool metrics. */
const pools = new WeakMap<DB, pg.Pool>();

/** The pool statistics of a database opened by openDatabase on PostgreSQL; undefined for SQLite or one built elsewhere. */
export function poolStatistics(db: DB): PoolStatistics | undefined {
  const pool = pools.get(db);
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

function postgresDatabase(location: string, poolSize: number): DB {
  // fallback_application_name: connections show as "broadsheet" in pg_stat_activity unless the URL names another.
  // pg tells Node from Cloudflare Workers at load by making a Response, which would load Node's fetch (lib/lazy-globals.ts).
  const { Pool } = hidingGlobal('Response', () => requirePg('pg') as typeof pg);
  const pool = new Pool({ connectionString: location, max: poolSize, fallback_application_name: 'broadsheet' });
  // An idle pooled connection that the server ends (restart, failover, idle timeout) is reported as an 'error' event
  // on the pool; unheard, it would crash the process. pg has already dropped that connection, and the next query
  // opens a new one — or fails, and that request gets the 503 of web/errors.tsx.
  pool.on('error', () => {});
  // The article page's statements run prepared: PostgreSQL otherwise plans them anew at every request.
  pool.on('connect', prepareReusableStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

export interface OpenOptions {
  /** Connections per PostgreSQL pool (DATABASE_POOL_SIZE), the replica's pool included; ignored for SQLite. Default 10. */
  poolSize?: number;
  /** A PostgreSQL read replica (DATABASE_READ_URL), opened as `readDb`. */
  replica?: DatabaseTarget;
}

/**
 * Opens (creating the SQLite file and its folder if needed) the database named by `target`, and the read replica
 * when one is given. Does not migrate, and connects lazily: nothing here proves the server answers.
 * Throws ConfigError (DATABASE_READ_URL) for a replica of a SQLite database, or a replica that is not PostgreSQL.
 */
export function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): OpenDatabase {
  const { replica, poolSize = DEFAULT_POOL_SIZE } = options;
  if (replica && (target.dialect !== 'postgres' || replica.dialect !== 'postgres')) {
    throw new ConfigError('DATABASE_READ_URL', 'a read replica needs PostgreSQL for both DATABASE_URL and DATABASE_READ_URL; SQLite has no replicas (unset DATABASE_READ_URL)');
  }
  if (target.dialect === 'sqlite') return wrapDatabase(new Kysely<Database>({ dialect: sqliteDialect(target.location) }), 'sqlite');
  const db = postgresDatabase(target.location, poolSize);
  const readDb = replica && postgresDatabase(replica.location, poolSize);
  return {
    db,
    dialect: 'postgres',
    readDb,
    async close() {
      await Promise.all([db.destroy(), readDb?.destroy()]);
    },
  };
}

/** A PostgreSQL URL with its password masked, for messages. */
function describeUrl(location: string): string {
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return 'the URL given';
  }
}

/** What went wrong, in words: a connection refused on every address of a host is an AggregateError without a message. */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(reasonOf).join('; ');
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/**
 * Opens the database of `config` (DATABASE_URL, DATABASE_POOL_SIZE, DATABASE_READ_URL) for the server, and makes sure
 * the read replica answers: a mistyped replica address would otherwise only show as failing feeds and searches.
 * Throws ConfigError (DATABASE_READ_URL) when it does not, or when the replica is of a SQLite database.
 */
export async function connectDatabase(config: Pick<Config, 'database' | 'databasePoolSize' | 'readDatabase'>): Promise<OpenDatabase> {
  const database = openDatabase(config.database, { poolSize: config.databasePoolSize, replica: config.readDatabase });
  if (!database.readDb) return database;
  try {
    await database.readDb.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
  } catch (error) {
    await database.close();
    throw new ConfigError('DATABASE_READ_URL', `cannot use the read replica at ${describeUrl(config.readDatabase!.location)}: ${reasonOf(error)}`);
  }
  return database;
}

/** Wraps an already-built Kysely instance (e.g. PGlite in tests) as an OpenDatabase. */
export function wrapDatabase(db: DB, dialect: DialectName): OpenDatabase {
  return { db, dialect, close: () => db.destroy() };
}
