import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { migrateToLatest } from '../../db/migrate.ts';
import type { OpenDatabase } from '../../db/database.ts';
import { systemClock } from '../../lib/clock.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../../test/support/databases.ts';
import { importWxrFile, WxrError } from './import-wxr.ts';

const FIXTURE = new URL('../../../test/fixtures/wxr/themeunittestdata.wordpress.xml', import.meta.url).pathname;
const XML = readFileSync(FIXTURE, 'utf8');

/** The fixture's items as raw text, counted with regular expressions independently of the importer's parser. */
const field = (item: string, name: string): string => item.match(new RegExp(`<wp:${name}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</wp:${name}>`))?.[1] ?? '';
const items = [...XML.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => m[1] ?? '');
const importable = items.filter((i) => field(i, 'post_type') === 'post' && ['publish', 'future', 'draft', 'pending'].includes(field(i, 'status')));
const replies = importable
  .flatMap((i) => [...i.matchAll(/<wp:comment>([\s\S]*?)<\/wp:comment>/g)].map((m) => m[1] ?? ''))
  .filter((c) => field(c, 'comment_approved') === '1' && !['pingback', 'trackback'].includes(field(c, 'comment_type')) && !/^0?$/.test(field(c, 'comment_parent')));

const SMALL = (ns: string, body: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="${ns}/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="${ns}/">
<channel><title>Small</title><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>ada</wp:author_login><wp:author_email>ada@secret.example</wp:author_email><wp:author_display_name><![CDATA[Ada Lovelace]]></wp:author_display_name></wp:author>
${body}</channel></rss>`;
const ITEM = (id: number, status: string, extra = ''): string => `<item><title>Post ${id}</title><guid isPermaLink="false">https://old.example/?p=${id}</guid><dc:creator>ada</dc:creator>
<content:encoded><![CDATA[<!-- wp:paragraph -->First line
second line

Second paragraph<!-- /wp:paragraph -->]]></content:encoded><excerpt:encoded><![CDATA[The <b>dek</b>]]></excerpt:encoded>
<wp:post_id>${id}</wp:post_id><wp:post_date>2020-01-02 03:04:05</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
<wp:post_name>%E6%97%A5%E6%9C%AC-${id}</wp:post_name><wp:status>${status}</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="world"><![CDATA[World]]></category><category domain="post_tag" nicename="t"><![CDATA[Tides]]></category>${extra}</item>`;

for (const dialect of DIALECTS) {
  describe(`WXR import [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let database: OpenDatabase;
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-wxr-'));
    const deps = () => ({ db: database.db, clock: systemClock });
    const counts = async () => ({
      articles: (await database.db.selectFrom('articles').select('id').execute()).length,
      comments: (await database.db.selectFrom('comments').select('id').execute()).length,
      tags: (await database.db.selectFrom('tags').select('id').execute()).length,
    });

    before(async () => {
      database = await openTestDatabase(dialect);
      await migrateToLatest(database.db);
    });
    after(() => database.close());

    test('a file that is not XML, or XML that is not a WordPress export, is refused with nothing written', async () => {
      const text = join(dir, 'notes.xml');
      writeFileSync(text, 'just some notes\n');
      await assert.rejects(importWxrFile(deps(), text), WxrError);
      const rss = join(dir, 'feed.xml');
      writeFileSync(rss, '<rss version="2.0"><channel><item><title>x</title></item></channel></rss>');
      await assert.rejects(importWxrFile(deps(), rss), WxrError);
      await assert.rejects(importWxrFile(deps(), join(dir, 'missing.xml')), WxrError);
      assert.deepEqual(await counts(), { articles: 0, comments: 0, tags: 0 });
    });

    test('--dry-run reports what it would import and writes nothing', async () => {
      const report = await importWxrFile(deps(), FIXTURE, { dryRun: true });
      assert.equal(report.dryRun, true);
      assert.ok(report.articles.imported > 0);
      assert.deepEqual(await counts(), { articles: 0, comments: 0, tags: 0 });
    });

    test('the theme test data: every published, scheduled, draft and pending post, once, with threaded comments', async () => {
      const report = await importWxrFile(deps(), FIXTURE);
      // Two posts have no body left after sanitising (no content; an image without alt text): reported, skipped.
      assert.equal(report.articles.reasons['invalid post'], 2);
      assert.match(report.problems.join('\n'), /Edge Case: No Content/);
      assert.equal(report.articles.imported + 2, importable.length);
      const imported = await counts();
      assert.equal(imported.articles, importable.length - 2);
      assert.equal(report.comments.reasons.pingback, 2);
      assert.equal(report.comments.reasons.trackback, 2);

      const rows = await database.db.selectFrom('comments').select(['id', 'parent_id', 'article_id', 'author_email', 'status']).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const threaded = rows.filter((r) => r.parent_id !== null);
      assert.ok(replies.length > 0);
      assert.equal(threaded.length, replies.length);
      for (const r of threaded) assert.equal(byId.get(r.parent_id ?? 0)?.article_id, r.article_id);
      const articleCounts = await database.db.selectFrom('articles').select(['id', 'comment_count']).execute();
      for (const a of articleCounts) assert.equal(a.comment_count, rows.filter((r) => r.article_id === a.id && r.status === 'approved').length);

      // Stated behaviours: an empty title becomes "(no title)"; a password-protected post is kept as a draft.
      const untitled = await database.db.selectFrom('articles').select(['headline', 'status']).where('import_key', '=', 'https://wpthemetestdata.wordpress.com/2007/09/04/14/').executeTakeFirstOrThrow();
      assert.equal(untitled.headline, '(no title)');
      const protectedPost = await database.db.selectFrom('articles').select(['status', 'slug']).where('slug', '=', 'template-password-protected').executeTakeFirstOrThrow();
      assert.equal(protectedPost.status, 'draft');
      // No email of the export reaches a public field.
      const authors = await database.db.selectFrom('authors').select(['name', 'bio']).execute();
      assert.ok(authors.every((a) => !a.name.includes('@') && !a.bio.includes('@')));

      const again = await importWxrFile(deps(), FIXTURE);
      assert.equal(again.articles.imported, 0);
      assert.equal(again.articles.updated, report.articles.imported);
      assert.equal(again.comments.imported, 0);
      assert.deepEqual(await counts(), imported);
    });

    test('http:// namespaces, statuses, local dates, percent-encoded slugs, paragraphs and block comments', async () => {
      const file = join(dir, 'small.xml');
      writeFileSync(file, SMALL('http://wordpress.org/export/1.1', [ITEM(1, 'publish'), ITEM(2, 'future'), ITEM(3, 'pending'), ITEM(4, 'private'), ITEM(5, 'trash'), ITEM(6, 'draft', '<wp:post_password>pw</wp:post_password>')].join('\n')));
      const report = await importWxrFile(deps(), file);
      assert.equal(report.articles.imported, 4);
      assert.deepEqual(report.articles.reasons, { 'private post': 1, 'trash post': 1 });
      const rows = await database.db.selectFrom('articles').select(['slug', 'status', 'published_at', 'body_html', 'dek', 'import_key']).where('import_source', '=', 'wxr').where('import_key', 'like', 'https://old.example/%').orderBy('import_key').execute();
      assert.deepEqual(rows.map((r) => r.status), ['published', 'scheduled', 'pending', 'draft']);
      const first = rows[0]!;
      assert.doesNotMatch(first.slug, /%|e6/i, 'post_name is percent-decoded before the slug rules apply');
      assert.equal(first.published_at, '2020-01-02T03:04:05.000Z');
      assert.equal(first.dek, 'The dek');
      assert.doesNotMatch(first.body_html, /wp:paragraph/);
      assert.match(first.body_html, /<p>First line<br \/?>\s*second line<\/p>\s*<p>Second paragraph<\/p>/);
      const byline = await database.db.selectFrom('authors').select('name').where('name', '=', 'Ada Lovelace').execute();
      assert.equal(byline.length, 1);
    });
  });
}
