/** Runs Broadsheet's migrations (Kysely Migrator, names sorted by timestamp) and reports whether the schema is current. */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { optimizeSqlite, type DB } from './database.ts';
import { currentSchema } from './dialect.ts';
import * as initial from './migrations/2026-11-29T1200-initial.ts';
import * as accounts from './migrations/2026-11-29T1400-accounts.ts';
import * as editorial from './migrations/2026-11-29T1500-editorial.ts';
import * as media from './migrations/2026-11-29T1600-media.ts';
import * as moderation from './migrations/2026-11-29T1700-moderation.ts';
import * as search from './migrations/2026-11-29T1800-search.ts';
import * as apiTokens from './migrations/2026-11-29T1810-api-tokens.ts';
import * as webhooks from './migrations/2026-11-29T1820-webhooks.ts';
import * as migration from './migrations/2026-11-29T1900-migration.ts';
import * as readIndexes from './migrations/2026-11-29T1910-read-indexes.ts';
import * as threadPages from './migrations/2026-11-29T2010-thread-pages.ts';
import * as commentPosting from './migrations/2026-11-29T2330-comment-posting.ts';
import * as commentThreadCounts from './migrations/2026-11-30T0300-comment-thread-counts.ts';

/** Every migration, keyed by its timestamped name. Append only; never edit a merged migration. */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-29T1200-initial': initial,
  '2026-11-29T1400-accounts': accounts,
  '2026-11-29T1500-editorial': editorial,
  '2026-11-29T1600-media': media,
  '2026-11-29T1700-moderation': moderation,
  '2026-11-29T1800-search': search,
  '2026-11-29T1810-api-tokens': apiTokens,
  '2026-11-29T1820-webhooks': webhooks,
  '2026-11-29T1900-migration': migration,
  '2026-11-29T1910-read-indexes': readIndexes,
  '2026-11-29T2010-thread-pages': threadPages,
  '2026-11-29T2330-comment-posting': commentPosting,
  '2026-11-30T0300-comment-thread-counts': commentThreadCounts,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** A migrator keeping its bookkeeping tables in the connection's own schema (see dialect.ts `currentSchema`). */
async function migratorFor(db: DB): Promise<Migrator> {
  return new Migrator({ db, provider, migrationTableSchema: await currentSchema(db) });
}

/** Kysely's default table of executed migrations (name, timestamp), in the schema migratorFor gives it. */
const MIGRATION_TABLE = 'kysely_migration';

/**
 * Whether exactly the migrations in MIGRATIONS have run, read in one SELECT. The migrator finds the same before it
 * does nothing, but through its table checks (catalog queries), a lock and a transaction: 50-110 ms of every start on
 * PostgreSQL, 15-30 ms on SQLite, with a 10,000-article database. False when the table does not exist yet (a new
 * database) or cannot be read, so that the migrator then creates it or reports the error.
 */
async function hasRunExactly(db: DB): Promise<boolean> {
  try {
    const schema = await currentSchema(db);
    const table = (schema ? db.withSchema(schema) : db) as unknown as Kysely<{ [MIGRATION_TABLE]: { name: string } }>;
    const executed = new Set((await table.selectFrom(MIGRATION_TABLE).select('name').execute()).map((row) => row.name));
    const known = Object.keys(MIGRATIONS);
    return executed.size === known.length && known.every((name) => executed.has(name));
  } catch {
    return false;
  }
}

/**
 * Brings the schema to the latest migration and returns the names of those it ran. Throws the failing migration's
 * error (the failed step is rolled back), or the migrator's when the database holds a migration unknown here.
 */
export async function migrateToLatest(db: DB): Promise<string[]> {
  if (await hasRunExactly(db)) return [];
  const migrator = await migratorFor(db);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // New indexes (on tables that may already hold an archive) get SQLite planner statistics now, not at the next open.
  await optimizeSqlite(db);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied. */
export async function isSchemaCurrent(db: DB): Promise<boolean> {
  const migrations = await (await migratorFor(db)).getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}
