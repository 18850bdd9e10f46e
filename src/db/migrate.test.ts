import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../test/support/databases.ts';
import type { DB } from './database.ts';
import { currentSchema } from './dialect.ts';
import { isSchemaCurrent, migrateToLatest } from './migrate.ts';

const SNAPSHOT = new URL('../../test/fixtures/schema-snapshot.json', import.meta.url);

/**
 * Tables of the database's own schema → "column type [null] [default]" lines, sorted, without Kysely's own
 * bookkeeping tables. On PostgreSQL, Kysely lists the tables of every schema: the test schemas of other test files,
 * or of another checkout's run on the same server, must not count.
 */
async function describeSchema(db: DB): Promise<Record<string, string[]>> {
  const own = await currentSchema(db);
  const tables = (await db.introspection.getTables()).filter((t) => own === undefined || t.schema === own);
  const schema: Record<string, string[]> = {};
  for (const table of tables.filter((t) => !t.name.startsWith('kysely_')).sort((a, b) => a.name.localeCompare(b.name))) {
    schema[table.name] = table.columns.map((c) => `${c.name} ${c.dataType}${c.isNullable ? ' null' : ''}${c.hasDefaultValue ? ' default' : ''}`).sort();
  }
  return schema;
}

for (const dialect of DIALECTS) {
  describe(`migrations [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    test('migrate an empty database to the checked-in schema snapshot; a second run does nothing', async () => {
      const database = await openTestDatabase(dialect);
      try {
        assert.equal(await isSchemaCurrent(database.db), false);
        const applied = await migrateToLatest(database.db);
        assert.ok(applied.length > 0);
        assert.deepEqual(await migrateToLatest(database.db), []);
        assert.equal(await isSchemaCurrent(database.db), true);

        const actual = await describeSchema(database.db);
        const snapshots = existsSync(SNAPSHOT) ? (JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Record<string, unknown>) : {};
        if (process.env.UPDATE_SCHEMA_SNAPSHOT === '1') {
          writeFileSync(SNAPSHOT, `${JSON.stringify({ ...snapshots, [dialect]: actual }, null, 2)}\n`);
        }
        assert.deepEqual(actual, snapshots[dialect], 'schema differs from test/fixtures/schema-snapshot.json (UPDATE_SCHEMA_SNAPSHOT=1 rewrites it)');
      } finally {
        await database.close();
      }
    });

    test('a database that ran a migration unknown here (a newer release) is refused, not taken as current', async () => {
      const database = await openTestDatabase(dialect);
      try {
        await migrateToLatest(database.db);
        const db = database.db as unknown as Kysely<{ kysely_migration: { name: string; timestamp: string } }>;
        await db.insertInto('kysely_migration').values({ name: '2999-01-01T0000-from-the-future', timestamp: new Date().toISOString() }).execute();
        await assert.rejects(migrateToLatest(database.db), /2999-01-01T0000-from-the-future/);
      } finally {
        await database.close();
      }
    });
  });
}
