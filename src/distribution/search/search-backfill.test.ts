import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Migrator } from 'kysely';
import { currentSchema } from '../../db/dialect.ts';
import { MIGRATIONS } from '../../db/migrate.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../../test/support/databases.ts';
import { indexEntry } from '../../../test/support/search.ts';
import { indexArticle } from './index.ts';
import { searchArticles } from './service.ts';

const STORED = [
  { slug: 'old-mill', headline: 'Old mill reopens as a museum', dek: 'Fünf Säle, one café', body_html: '<p>Visitors &amp; locals queued at the <em>mill</em>&#39;s door.</p><p>Next: the weir.</p>', status: 'published', tags: ['Heritage sites'] },
  { slug: 'draft-plan', headline: 'Draft plan for the weir', dek: '', body_html: '<p>Not yet.</p>', status: 'draft', tags: [] },
  { slug: 'hindi', headline: 'हिन्दी समाचार', dek: '', body_html: '<p>ΣΟΦΟΣ σοφός</p>', status: 'published', tags: ['Ελλάδα'] },
] as const;

for (const dialect of DIALECTS) {
  describe(`search migration backfill [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    test('articles stored before the migration are indexed by it exactly as the app indexes them', async () => {
      const database = await openTestDatabase(dialect);
      try {
        const db = database.db;
        const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS }, migrationTableSchema: await currentSchema(db) });
        assert.equal((await migrator.migrateTo('2026-11-29T1700-moderation')).error, undefined);
        const ids: number[] = [];
        for (const [n, a] of STORED.entries()) {
          const { tags, ...row } = a;
          const { id } = await db
            .insertInto('articles')
            .values({ ...row, published_at: a.status === 'published' ? '2026-11-01T10:00:00.000Z' : null, created_at: '2026-11-01T09:00:00.000Z', updated_at: '2026-11-01T09:00:00.000Z' })
            .returning('id')
            .executeTakeFirstOrThrow();
          ids.push(id);
          for (const [position, name] of tags.entries()) {
            const tag = await db.insertInto('tags').values({ slug: `t${n}-${position}`, name }).returning('id').executeTakeFirstOrThrow();
            await db.insertInto('article_tags').values({ article_id: id, tag_id: tag.id, position }).execute();
          }
        }
        assert.equal((await migrator.migrateTo('2026-11-29T1800-search')).error, undefined);

        const backfilled = await Promise.all(ids.map((id) => indexEntry(database, id)));
        assert.ok(backfilled.every(Boolean));
        for (const id of ids) await indexArticle(db, id);
        assert.deepEqual(await Promise.all(ids.map((id) => indexEntry(database, id))), backfilled);

        // Searching runs today's queries, which need the later columns (articles.kind).
        assert.equal((await migrator.migrateTo('2026-11-29T1900-migration')).error, undefined);

        const deps = { db, dialect: database.dialect, clock: new TestClock('2026-12-01T00:00:00Z') };
        const slugs = async (query: string) => (await searchArticles(deps, query, 1)).results.map((r) => r.article.slug);
        assert.deepEqual(await slugs('cafe'), ['old-mill']);
        assert.deepEqual(await slugs('heritage mill'), ['old-mill']);
        assert.deepEqual(await slugs('locals weir'), ['old-mill']);
        assert.deepEqual(await slugs('weir'), ['old-mill']);
        assert.deepEqual(await slugs('हिन्दी'), ['hindi']);
        assert.deepEqual(await slugs('σοφοσ ελλαδα'), ['hindi']);
      } finally {
        await database.close();
      }
    });
  });
}
