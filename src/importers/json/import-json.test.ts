import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { migrateToLatest } from '../../db/migrate.ts';
import type { OpenDatabase } from '../../db/database.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../../test/support/databases.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { startTestServer } from '../../../test/support/app.ts';
import { COMMENT_WITH_CDATA_END, LEGACY_PATHS, NOW, THREAD, legacyPathPicture, seedExportSite, seedLegacyPaths, sitePicture } from '../../../test/support/export-seed.ts';
import { exportJson } from '../export/export-json.ts';
import { writeExport } from '../export/output.ts';
import { formatReport } from '../report.ts';
import { importJsonFile, JsonImportError, JSON_REPORT_KINDS } from './import-json.ts';
import { MAX_EXPORT_BYTES } from './read.ts';

const SITE = { name: 'The World News', url: 'https://news.example' };

for (const dialect of DIALECTS) {
  describe(`JSON export → import round trip [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-json-'));
    const file = join(dir, 'site.json');
    const clock = new TestClock(NOW);
    let source: OpenDatabase;
    let target: OpenDatabase;
    const taxonomy = async (database: OpenDatabase) => ({
      sections: await database.db.selectFrom('sections').select(['slug', 'name', 'description', 'position']).orderBy('slug').execute(),
      authors: await database.db.selectFrom('authors').select(['slug', 'name', 'bio', 'created_at']).orderBy('slug').execute(),
      tags: await database.db.selectFrom('tags').select(['slug', 'name']).orderBy('slug').execute(),
    });

    before(async () => {
      [source, target] = await Promise.all([openTestDatabase(dialect), openTestDatabase(dialect)]);
      await migrateToLatest(source.db);
      await migrateToLatest(target.db);
      await seedLegacyPaths(source.db, await seedExportSite(source.db, clock), '2025-03-04T05:06:07.000Z');
      await source.db.updateTable('sections').set({ description: 'News from abroad', position: 2 }).where('slug', '=', 'world').execute();
    });
    after(async () => {
      await source.close();
      await target.close();
    });

    test('the export is the documented format, written an article at a time, emails included', async () => {
      const chunks: string[] = [];
      const counts = await exportJson(source.db, clock, SITE, { write: async (text) => void chunks.push(text) });
      assert.deepEqual(counts, { articles: 5, pages: 1, comments: THREAD.length });
      assert.ok(chunks.length >= 6 + 2, 'one write per article, plus the head and the tail');
      const doc = JSON.parse(chunks.join(''));
      assert.equal(doc.format, 'broadsheet-export');
      assert.equal(doc.version, 1);
      assert.equal(doc.exported_at, NOW);
      assert.deepEqual(doc.site, SITE);
      assert.deepEqual(doc.tags.map((t: { slug: string }) => t.slug).sort(), ['economie', 'tides']);
      const lead = doc.articles.find((a: { slug: string }) => a.slug === 'москва-принимает-саммит');
      assert.deepEqual(lead.authors, ['grace-hopper', 'zoe-angstrom']);
      assert.equal(lead.section, 'world');
      assert.deepEqual(lead.old_slugs, ['moscow-summit-old']);
      assert.deepEqual(lead.legacy_paths.map((p: { path: string; source: string }) => [p.path, p.source]).sort(), [['/2026/11/20/moscow-summit', 'wxr'], ['/?p=12', 'wxr'], ['/moscow-summit', 'ghost']]);
      assert.deepEqual(doc.sections.find((s: { slug: string }) => s.slug === 'world').legacy_paths, [{ path: '/category/world-news', source: 'wxr', created_at: '2025-03-04T05:06:07.000Z' }]);
      assert.deepEqual(doc.tags.find((t: { slug: string }) => t.slug === 'tides').legacy_paths.map((p: { path: string }) => p.path), ['/?tag=tides']);
      assert.deepEqual(doc.authors.find((a: { slug: string }) => a.slug === 'grace-hopper').legacy_paths.map((p: { path: string }) => p.path), ['/?author=7']);
      assert.deepEqual(doc.tags.find((t: { slug: string }) => t.slug === 'economie').legacy_paths, []);
      assert.equal(lead.comments.length, THREAD.length);
      assert.equal(lead.comments[0].author_email, 'reader1@example.net');
      assert.deepEqual(Object.keys(lead.comments[0]).sort(), ['author_email', 'author_name', 'author_url', 'body', 'created_at', 'edited_at', 'erased_at', 'id', 'parent_id', 'status']);
      assert.equal(doc.articles.find((a: { kind: string }) => a.kind === 'page').slug, 'about');
    });

    test('importing the export into an empty database gives the same site', async () => {
      await writeExport(file, (sink) => exportJson(source.db, clock, SITE, sink).then(() => undefined));
      const report = await importJsonFile({ db: target.db, clock }, file);
      assert.deepEqual(report.problems, []);
      assert.deepEqual([report.articles.imported, report.pages.imported, report.comments.imported], [5, 1, THREAD.length]);
      assert.deepEqual([report.sections.imported, report.authors.imported, report.tags.imported], [2, 3, 2]);
      assert.deepEqual(await sitePicture(target.db), await sitePicture(source.db));
      assert.deepEqual(await taxonomy(target), await taxonomy(source));
      const [from, to] = await Promise.all([source, target].map((d) => d.db.selectFrom('articles').select(['slug', 'created_at', 'updated_at']).orderBy('slug').execute()));
      assert.deepEqual(to, from, 'creation and update times are the exported ones');
      const redirect = await target.db.selectFrom('slug_redirects').innerJoin('articles', 'articles.id', 'slug_redirects.article_id').select(['old_slug', 'articles.slug']).execute();
      assert.deepEqual(redirect, [{ old_slug: 'moscow-summit-old', slug: 'москва-принимает-саммит' }]);
      const keyed = await target.db.selectFrom('comments').select(['import_source', 'import_key']).where('body', '=', COMMENT_WITH_CDATA_END).executeTakeFirstOrThrow();
      assert.equal(keyed.import_source, 'json');
      assert.match(formatReport(report, JSON_REPORT_KINDS), /^articles +5 +0 +0$/m);
      assert.deepEqual(await legacyPathPicture(target.db), await legacyPathPicture(source.db), 'old addresses, their importer and date, on the new ids');
      assert.equal((await legacyPathPicture(target.db)).length, LEGACY_PATHS.length);
    });

    test('the old addresses of the export answer 301 in a fresh database it was imported into', async () => {
      const server = await startTestServer(dialect, { clock });
      try {
        await migrateToLatest(server.database.db);
        // Ids in the new database differ from the exported ones: a section and a tag come first.
        await server.database.db.insertInto('sections').values({ slug: 'filler', name: 'Filler', description: '', position: 9 }).execute();
        await server.database.db.insertInto('tags').values({ slug: 'filler', name: 'Filler' }).execute();
        const report = await importJsonFile({ db: server.database.db, clock }, file);
        assert.deepEqual(report.problems, []);
        for (const [path, , , , location] of LEGACY_PATHS) {
          const response = await fetch(server.origin + path, { redirect: 'manual' });
          assert.equal(response.status, 301, path);
          assert.equal(response.headers.get('location'), location, path);
          await response.arrayBuffer();
        }
      } finally {
        await server.close();
      }
    });

    test('importing the same file again updates articles and adds no comment twice', async () => {
      const before = await sitePicture(target.db);
      const report = await importJsonFile({ db: target.db, clock }, file);
      assert.deepEqual([report.articles.updated, report.pages.updated, report.comments.updated, report.comments.imported], [5, 1, THREAD.length, 0]);
      assert.deepEqual([report.sections.updated, report.authors.updated, report.tags.updated], [2, 3, 2]);
      assert.deepEqual(await sitePicture(target.db), before);
    });

    test('a dry run reports and writes nothing', async () => {
      const empty = await openTestDatabase(dialect);
      try {
        await migrateToLatest(empty.db);
        const report = await importJsonFile({ db: empty.db, clock }, file, { dryRun: true });
        assert.equal(report.articles.imported, 5);
        assert.equal((await empty.db.selectFrom('articles').select('id').execute()).length, 0);
        assert.equal((await empty.db.selectFrom('authors').select('id').execute()).length, 0);
      } finally {
        await empty.close();
      }
    });

    test('a file that is not a Broadsheet export of this version is refused before anything is written', async () => {
      const cases: [string, string, RegExp][] = [
        ['notes.json', 'just notes', /not JSON/],
        ['ghost.json', JSON.stringify({ db: [{ data: { posts: [] } }] }), /not a Broadsheet export/],
        ['future.json', JSON.stringify({ format: 'broadsheet-export', version: 2, articles: [{ headline: 'x' }] }), /version 2/],
        ['nolist.json', JSON.stringify({ format: 'broadsheet-export', version: 1 }), /no "articles"/],
        ['empty.json', '', /empty/],
      ];
      const count = async () => (await target.db.selectFrom('articles').select('id').execute()).length;
      const articles = await count();
      for (const [name, body, reason] of cases) {
        writeFileSync(join(dir, name), body);
        await assert.rejects(importJsonFile({ db: target.db, clock }, join(dir, name)), (e: unknown) => e instanceof JsonImportError && reason.test(e.reason), name);
      }
      await assert.rejects(importJsonFile({ db: target.db, clock }, join(dir, 'missing.json')), /file not found/);
      const huge = join(dir, 'huge.json');
      writeFileSync(huge, '');
      truncateSync(huge, MAX_EXPORT_BYTES + 1); // sparse: no disk used
      await assert.rejects(importJsonFile({ db: target.db, clock }, huge), (e: unknown) => e instanceof JsonImportError && /larger than 512 MB/.test(e.reason));
      rmSync(huge);
      assert.equal(await count(), articles);
    });

    test('an article that cannot be imported is reported and skipped; the others import', async () => {
      const empty = await openTestDatabase(dialect);
      try {
        await migrateToLatest(empty.db);
        const doc = JSON.parse(readFileSync(file, 'utf8'));
        doc.articles[1].status = 'archived';
        doc.articles[2].headline = '   ';
        doc.articles[2].comments = [{ ...doc.articles[0].comments[0], id: 9001 }];
        doc.articles[0].comments.push({ id: 'x' });
        doc.articles[1].legacy_paths = [{ path: '/?p=99', source: 'wxr' }];
        const broken = join(dir, 'broken.json');
        writeFileSync(broken, JSON.stringify(doc));
        const report = await importJsonFile({ db: empty.db, clock }, broken);
        assert.equal(report.articles.imported, 3);
        assert.deepEqual(report.articles.reasons, { 'invalid article': 2 });
        assert.deepEqual(report.comments.reasons, { 'invalid comment': 1, 'article not imported': 1 });
        assert.equal(report.comments.imported, THREAD.length);
        assert.equal(report.problems.length, 3);
        assert.match(report.problems.join('\n'), /status "archived"/);
        assert.equal(await empty.db.selectFrom('legacy_paths').select('path').where('path', '=', '/?p=99').executeTakeFirst(), undefined, 'a skipped article brings no old address');
      } finally {
        await empty.close();
      }
    });
  });
}
