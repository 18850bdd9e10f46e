/**
 * A reusable query gives what building the query afresh gives, call after call with other values and list lengths,
 * on both databases; a builder whose statement depends on a value (not only on its options) is refused at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../test/support/databases.ts';
import type { DB, OpenDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { reusableQuery } from './reusable-query.ts';

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
