/**
 * Test databases for the two-dialect matrix. SQLite: a fresh file per test. PostgreSQL: a fresh schema on the
 * server named by TEST_DATABASE_URL (unreachable → the test fails), or in-process PGlite when it is unset.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { openDatabase, wrapDatabase, type OpenDatabase } from '../../src/db/database.ts';
import type { DialectName } from '../../src/db/dialect.ts';
import type { Database } from '../../src/db/schema.ts';

/** Every store and HTTP test runs once per entry. */
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** Which PostgreSQL the postgres half uses, for test names. */
export const POSTGRES_KIND = process.env.TEST_DATABASE_URL ? 'server' : 'pglite';

/** `url` with the connection's search_path set to `schema`: unqualified names resolve there, and tables are created there. */
export function inSchema(url: string, schema: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return withSchema.href;
}

/** An empty (unmigrated) database of `dialect`; `close()` also deletes the file / drops the schema. */
export async function openTestDatabase(dialect: DialectName): Promise<OpenDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-test-'));
    const database = openDatabase({ dialect: 'sqlite', location: join(dir, 'test.db') });
    return { ...database, close: async () => { await database.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return wrapDatabase(new Kysely<Database>({ dialect: new PGliteDialect(new PGlite()) }), 'postgres');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect(); // throws when the server is unreachable: the test fails, it never skips
  await admin.query(`create schema ${schema}`);
  await admin.end();
  // Through openDatabase, as the server opens it: its pool settings and statistics (the pool metrics) are the real ones.
  const database = openDatabase({ dialect: 'postgres', location: inSchema(url, schema) }, { poolSize: 5 });
  return {
    ...database,
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}
