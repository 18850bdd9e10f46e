/**
 * A reusable query gives what building the query afresh gives, call after call with other values and list lengths,
 * on both databases; a builder whose statement depends on a value (not only on its options) is refused at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { DIALECTS, POSTGRES_KIND, inSchema, openTestDatabase } from '../../test/support/databases.ts';
import type { DB, OpenDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { prepareReusableStatements, reusableQuery } from './reusable-query.ts';
import type { Database } from './schema.ts';

const sectionsByName = reusableQuery('test.sections', (db: DB, options: { order: 'asc' | 'desc' }, values: { slugs: readonly string[]; after: number }) =>
  db.selectFrom('sections').select(['id', 'slug']).where('slug', 'in', [...values.slugs]).where('id', '>', values.after).orderBy('slug', options.order),
);

/** Breaks the rule: the value decides the statement. */
const branching = reusableQuery('test.branching', (db: DB, _options: Record<string, never>, values: { id: number }) =>
  values.id > 2 ? db.selectFrom('sections').select('id').where('id', '=', values.id) : db.selectFrom('sections').select('slug').where('id', '=', values.id),
);

for (const dialect of DIALECTS) {
  describe(`reusable queries [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let database: OpenDatabase;
    before(async () => {
      database = await openTestDatabase(dialect);
      await migrateToLatest(database.db);
      await database.db.insertInto('sections').values(['a', 'b', 'c', 'd', 'e'].map((slug) => ({ slug, name: slug.toUpperCase() }))).execute();
    });
    after(() => database.close());

    test('each call runs with its own values, as the query built afresh would', async () => {
      const db = database.db;
      const calls: [{ order: 'asc' | 'desc' }, { slugs: string[]; after: number }][] = [
        [{ order: 'asc' }, { slugs: ['a', 'c'], after: 0 }],
        [{ order: 'asc' }, { slugs: ['b', 'e'], after: 0 }],
        [{ order: 'asc' }, { slugs: ['b', 'e'], after: 2 }],
        [{ order: 'desc' }, { slugs: ['a', 'c'], after: 0 }],
        [{ order: 'asc' }, { slugs: ['a', 'b', 'd'], after: 1 }],
        [{ order: 'asc' }, { slugs: ['c', 'd', 'e'], after: 0 }],
      ];
      for (const [options, values] of [...calls, ...calls]) {
        const fresh = await db.selectFrom('sections').select(['id', 'slug']).where('slug', 'in', values.slugs).where('id', '>', values.after).orderBy('slug', options.order).execute();
        assert.deepEqual(await sectionsByName(db, options, values), fresh, JSON.stringify([options, values]));
      }
    });

    test('a builder whose statement depends on a value is refused on its first call', async () => {
      await assert.rejects(branching(database.db, {}, { id: 3 }), /depends on its values/);
    });
  });
}

describe('reusable queries as prepared statements [postgres/server]', { skip: !process.env.TEST_DATABASE_URL && 'needs a PostgreSQL server (TEST_DATABASE_URL)' }, () => {
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  let pool: pg.Pool;
  let db: DB;
  before(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    // One connection, so the statements it prepared can be listed on it.
    pool = new pg.Pool({ connectionString: inSchema(url, schema), max: 1 });
    pool.on('connect', prepareReusableStatements);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrateToLatest(db);
    await db.insertInto('sections').values(['a', 'b', 'c'].map((slug) => ({ slug, name: slug.toUpperCase() }))).execute();
  });
  after(async () => {
    await db.destroy();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  });

  test('run after run (past the sixth, on a generic plan) they give what the query built afresh gives; other statements stay unnamed', async () => {
    for (let run = 0; run < 8; run++) {
      for (const values of [{ slugs: ['a', 'c'], after: 0 }, { slugs: ['b', 'c'], after: run % 3 }]) {
        const fresh = await db.selectFrom('sections').select(['id', 'slug']).where('slug', 'in', values.slugs).where('id', '>', values.after).orderBy('slug', 'asc').execute();
        assert.deepEqual(await sectionsByName(db, { order: 'asc' }, values), fresh, JSON.stringify(values));
      }
    }
    const prepared = await sql<{ name: string; statement: string; generic_plans: number }>`select name, statement, generic_plans from pg_prepared_statements`.execute(db);
    assert.equal(prepared.rows.length, 1, JSON.stringify(prepared.rows));
    assert.match(prepared.rows[0]!.name, /^reusable_\d+$/);
    assert.match(prepared.rows[0]!.statement, /from "sections" where "slug" in \(\$1, \$2\)/);
    assert.ok(prepared.rows[0]!.generic_plans > 0, 'PostgreSQL kept a generic plan');
  });
});
