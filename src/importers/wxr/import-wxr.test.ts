import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { migrateToLatest } from '../../db/migrate.ts';
import type { OpenDatabase } from '../../db/database.ts';
import { systemClock } from '../../lib/clock.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../../test/support/databases.ts';
import { importWxrFile, WxrError, type Tally } from './import-wxr.ts';

const FIXTURE = new URL('../../../test/fixtures/wxr/themeunittestdata.wordpress.xml', import.meta.url).pathname;
const XML = readFileSync(FIXTURE, 'utf8');

/** The fixture's items as raw text, counted with regular expressions independently of the importer's parser. */
const field = (item: string, name: string): string => item.match(new RegExp(`<wp:${name}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</wp:${name}>`))?.[1] ?? '';
const items = [...XML.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => m[1] ?? '');
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

    test('the theme test data: every post, page, attachment, author, category, tag and comment accounted for', async () => {
      const report = await importWxrFile(deps(), FIXTURE);
      const total = (t: Tally): number => t.imported + t.updated + t.skipped;
      // Items by type, counted from the XML text: posts and nav items report under articles, pages under pages,
      // attachments under media.
      const ofType = (type: string) => items.filter((i) => field(i, 'post_type') === type);
      assert.equal(total(report.articles), items.length - ofType('page').length - ofType('attachment').length);
      assert.equal(report.articles.reasons['post type nav_menu_item'], ofType('nav_menu_item').length);
      assert.equal(total(report.pages), ofType('page').length);
      assert.equal(total(report.media), ofType('attachment').length);
      assert.equal(report.authors.imported, [...XML.matchAll(/<wp:author>/g)].length);
      const categories = new Set([...XML.matchAll(/<wp:category_nicename>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?<\/wp:category_nicename>/g)].map((m) => m[1]));
      assert.equal(total(report.sections), categories.size);
      const tagNames = [...XML.matchAll(/<wp:tag_name>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?<\/wp:tag_name>/g)].map((m) => m[1]!);
      // A tag and a category kept as a tag may share a name but for case ("edge case", "Edge Case"): one tag.
      const tagRows = new Set((await database.db.selectFrom('tags').select('name').execute()).map((t) => t.name.toLowerCase()));
      for (const name of tagNames) assert.ok(tagRows.has(name.toLowerCase()), `tag ${name}`);

      // Refused items: posts and pages with nothing left to show (no content; only an empty Greek sub-page).
      assert.match(report.problems.join('\n'), /Edge Case: No Content.*body/);
      const refusedIds = new Set(report.problems.map((p) => /^(?:post|page) (\d+)/.exec(p)?.[1]));
      const postsAndPages = items.filter((i) => ['post', 'page'].includes(field(i, 'post_type')));
      const imported = postsAndPages.filter((i) => ['publish', 'future', 'draft', 'pending'].includes(field(i, 'status')) && !refusedIds.has(field(i, 'post_id')));
      assert.equal(report.articles.imported + report.pages.imported, imported.length);
      assert.equal((await counts()).articles, imported.length);

      // Comments: every one in the file is accounted for — imported with its status, skipped as a ping, or skipped
      // with its post.
      const commentsOf = (list: string[]) => list.flatMap((i) => [...i.matchAll(/<wp:comment>([\s\S]*?)<\/wp:comment>/g)].map((m) => m[1] ?? ''));
      assert.equal(report.comments.imported + report.comments.skipped, [...XML.matchAll(/<wp:comment>/g)].length);
      const xmlComments = commentsOf(imported);
      const pings = xmlComments.filter((c) => ['pingback', 'trackback'].includes(field(c, 'comment_type')));
      assert.equal(report.comments.skipped - (report.comments.reasons['its post was not imported'] ?? 0), pings.length);
      assert.equal(report.comments.reasons['its post was not imported'], commentsOf(items.filter((i) => !imported.includes(i))).length);
      const rows = await database.db.selectFrom('comments').select(['id', 'parent_id', 'article_id', 'author_email', 'status']).execute();
      const held = xmlComments.filter((c) => field(c, 'comment_approved') === '0' && !pings.includes(c)).length;
      assert.equal(rows.filter((r) => r.status === 'pending').length, held);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const threaded = rows.filter((r) => r.parent_id !== null);
      const replies = xmlComments.filter((c) => !pings.includes(c) && !/^0?$/.test(field(c, 'comment_parent')));
      assert.ok(replies.length > 0);
      assert.equal(threaded.length, replies.length);
      for (const r of threaded) assert.equal(byId.get(r.parent_id ?? 0)?.article_id, r.article_id);
      const articleCounts = await database.db.selectFrom('articles').select(['id', 'comment_count']).execute();
      for (const a of articleCounts) assert.equal(a.comment_count, rows.filter((r) => r.article_id === a.id && r.status === 'approved').length);

      // No email of the export reaches a public field.
      const authors = await database.db.selectFrom('authors').select(['name', 'bio']).execute();
      assert.ok(authors.every((a) => !a.name.includes('@') && !a.bio.includes('@')));

      const again = await importWxrFile(deps(), FIXTURE);
      assert.equal(again.articles.imported + again.pages.imported, 0);
      assert.equal(again.articles.updated + again.pages.updated, imported.length);
      assert.equal(again.comments.imported, 0);
      assert.equal(again.comments.updated, report.comments.imported);
      assert.equal(again.authors.imported + again.sections.imported + again.tags.imported, 0);
      assert.equal((await database.db.selectFrom('comments').select('id').execute()).length, rows.length);
    });

    test('the tricky posts of the theme test data, each as stated', async () => {
      const article = (key: string) => database.db.selectFrom('articles').selectAll().where('import_source', '=', 'wxr').where('import_key', '=', key).executeTakeFirstOrThrow();
      const bySlug = (slug: string) => database.db.selectFrom('articles').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
      // Markup in a title: the headline is the text the title showed.
      assert.equal((await bySlug('markup-title-with-markup')).headline, 'Markup: Title With Markup');
      // Entities in a title are decoded once, not shown as "&amp;".
      assert.match((await bySlug('title-with-special-characters')).headline, /\^&\*\(\)-_=\+\{\}\[\]\/\\;:'"\?,\.>$/);
      // No title: "(no title)", as WordPress's own admin shows it.
      assert.equal((await article('https://wpthemetestdata.wordpress.com/2007/09/04/14/')).headline, '(no title)');
      // Password-protected: kept as a draft, never shown until an editor decides.
      assert.equal((await bySlug('template-password-protected')).status, 'draft');
      // Scheduled: scheduled for its future time.
      const scheduled = await bySlug('scheduled');
      assert.equal(scheduled.status, 'scheduled');
      assert.ok(Date.parse(scheduled.published_at ?? '') > Date.parse('2030-01-01'));
      // Sticky: an ordinary article (no sticky posts in Broadsheet), which the report notes.
      assert.equal((await bySlug('template-sticky')).status, 'published');
      // A very long unbroken title is kept whole; its slug is the post_name.
      assert.equal((await bySlug('title-should-not-overflow-the-content-area')).headline.length, 85);
      assert.equal((await bySlug('title-should-not-overflow-the-content-area')).slug, 'title-should-not-overflow-the-content-area');
      // Non-ASCII slug (percent-encoded Greek): decoded before the slug rules, never left as %ce%b5….
      const greek = await database.db.selectFrom('articles').select(['slug', 'kind']).where('headline', '=', 'Επίπεδο 2 -Second Greek level').executeTakeFirstOrThrow();
      assert.equal(greek.kind, 'page');
      assert.doesNotMatch(greek.slug, /%/);
      // [caption] → figure with its caption; [gallery ids] → the attachments' images.
      const bodies = (await database.db.selectFrom('articles').select('body_html').execute()).map((r) => r.body_html);
      assert.ok(bodies.some((b) => /<figure><img [^>]*\/><figcaption>[^<]+<\/figcaption><\/figure>/.test(b)), 'a captioned figure');
      assert.ok(bodies.every((b) => !/\[(caption|gallery|embed)\b/.test(b)), 'no handled shortcode left as text');
      assert.ok(bodies.every((b) => !/<!--\s*\/?wp:/.test(b)), 'no block delimiter left');
    });

    test('a body longer than any article is refused by name, before any work on it; the rest imports', async () => {
      const file = join(dir, 'huge.xml');
      const huge = ITEM(41, 'publish').replace('First line', 'x'.repeat(2_100_000));
      writeFileSync(file, SMALL('http://wordpress.org/export/1.2', [huge, ITEM(42, 'publish')].join('\n')));
      const report = await importWxrFile(deps(), file, { dryRun: true });
      assert.deepEqual([report.articles.imported, report.articles.reasons], [1, { 'invalid post': 1 }]);
      assert.match(report.problems.join('\n'), /^post 41 “Post 41”: body: The body is longer than 2,000,000 characters\.$/m);
    });

    test('http:// namespaces, statuses, local dates, percent-encoded slugs, paragraphs and block comments', async () => {
      const file = join(dir, 'small.xml');
      writeFileSync(file, SMALL('http://wordpress.org/export/1.1', [ITEM(1, 'publish'), ITEM(2, 'future'), ITEM(3, 'pending'), ITEM(4, 'private'), ITEM(5, 'trash'), ITEM(6, 'draft', '<wp:post_password>pw</wp:post_password>')].join('\n')));
      const report = await importWxrFile(deps(), file);
      assert.equal(report.articles.imported, 5);
      assert.deepEqual(report.articles.reasons, { 'trash post': 1 });
      assert.match(report.notes.join('\n'), /post 4 “Post 4”: private: imported as unpublished/);
      const rows = await database.db.selectFrom('articles').select(['slug', 'status', 'published_at', 'body_html', 'dek', 'import_key']).where('import_source', '=', 'wxr').where('import_key', 'like', 'https://old.example/%').orderBy('import_key').execute();
      assert.deepEqual(rows.map((r) => r.status), ['published', 'scheduled', 'pending', 'unpublished', 'draft']);
      // Drafts and pending posts that never ran (zero GMT date) have no publication time.
      assert.deepEqual(rows.map((r) => r.published_at === null), [false, false, true, false, true]);
      const first = rows[0]!;
      assert.doesNotMatch(first.slug, /%|e6/i, 'post_name is percent-decoded before the slug rules apply');
      assert.equal(first.published_at, '2020-01-02T03:04:05.000Z');
      assert.equal(first.dek, 'The dek');
      assert.doesNotMatch(first.body_html, /wp:paragraph/);
      assert.match(first.body_html, /<p>First line\s*second line<\/p>\s*<p>Second paragraph<\/p>/);
      const byline = await database.db.selectFrom('authors').select('name').where('name', '=', 'Ada Lovelace').execute();
      assert.equal(byline.length, 1);
    });
  });
}
