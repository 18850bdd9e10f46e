import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { systemClock } from '../../lib/clock.ts';
import { LocalDiskStorage } from '../../media/storage.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { eventually } from '../../../test/support/webhooks.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { importWxrFile } from './import-wxr.ts';
import { uploadsPath } from '../attachments.ts';

const BLOCKS = new URL('../../../test/fixtures/wxr/64-block-test-data.xml', import.meta.url).pathname;

/** A small export with an attachment, a featured image, shortcodes, held/spam comments and dated permalinks. */
const EXPORT = (commentStatus: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Harbour Times</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_id>7</wp:author_id><wp:author_login>ada</wp:author_login><wp:author_email>ada@secret.example</wp:author_email><wp:author_display_name><![CDATA[Ada <b>Lovelace</b> &amp; Co]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>harbour</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Harbour</wp:cat_name></wp:category>
<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug>tides</wp:tag_slug><wp:tag_name>Tides</wp:tag_name></wp:tag>
<item><title>Bridge reopens</title><link>https://old.example/2019/04/01/bridge-reopens/</link><guid isPermaLink="false">https://old.example/?p=10</guid><dc:creator>ada</dc:creator>
<content:encoded><![CDATA[The bridge reopened on Monday.

[caption id="attachment_11" align="aligncenter" width="300"]<img src="https://old.example/wp-content/uploads/2019/04/bridge.png" alt="The bridge" width="300" height="200" /> The bridge at dawn[/caption]

[gallery ids="11"]

[embed]https://video.example/watch?v=1[/embed]

[pullquote]Kept as text[/pullquote]]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>10</wp:post_id><wp:post_date>2019-04-01 09:30:00</wp:post_date><wp:post_date_gmt>2019-04-01 08:30:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status><wp:post_name>bridge-reopens</wp:post_name><wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="harbour"><![CDATA[Harbour]]></category><category domain="post_tag" nicename="tides"><![CDATA[Tides]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>11</wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Reader One</wp:comment_author><wp:comment_author_email>one@readers.example</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url><wp:comment_date>2019-04-01 10:00:00</wp:comment_date><wp:comment_date_gmt>2019-04-01 09:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Great news, see <a href="https://maps.example/bridge">the map</a>.]]></wp:comment_content><wp:comment_approved>${commentStatus}</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_author>Mallory</wp:comment_author><wp:comment_author_email>m@readers.example</wp:comment_author_email><wp:comment_author_url>javascript:alert(1)</wp:comment_author_url><wp:comment_date>2019-04-01 10:05:00</wp:comment_date><wp:comment_date_gmt>2019-04-01 09:05:00</wp:comment_date_gmt><wp:comment_content><![CDATA[A fair point.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>4</wp:comment_id><wp:comment_author>Reply</wp:comment_author><wp:comment_author_email>r@readers.example</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url><wp:comment_date>2019-04-01 10:06:00</wp:comment_date><wp:comment_date_gmt>2019-04-01 09:06:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Agreed.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>3</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Spammer</wp:comment_author><wp:comment_author_email>spam@spam.example</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url><wp:comment_date>2019-04-01 11:00:00</wp:comment_date><wp:comment_date_gmt>2019-04-01 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Cheap pills]]></wp:comment_content><wp:comment_approved>spam</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
</item>
<item><title>bridge.png</title><link>https://old.example/2019/04/01/bridge-reopens/bridge/</link><guid isPermaLink="false">https://old.example/wp-content/uploads/2019/04/bridge.png</guid>
<content:encoded><![CDATA[]]></content:encoded><wp:post_id>11</wp:post_id><wp:post_date>2019-04-01 09:00:00</wp:post_date><wp:post_date_gmt>2019-04-01 08:00:00</wp:post_date_gmt>
<wp:post_name>bridge</wp:post_name><wp:status>inherit</wp:status><wp:post_parent>10</wp:post_parent><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>https://old.example/wp-content/uploads/2019/04/bridge.png</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>The bridge at dawn</wp:meta_value></wp:postmeta></item>
<item><title>About us</title><link>https://old.example/about/</link><guid isPermaLink="false">https://old.example/?page_id=12</guid><dc:creator>ada</dc:creator>
<content:encoded><![CDATA[We cover the harbour.]]></content:encoded><wp:post_id>12</wp:post_id><wp:post_date>2019-01-01 00:00:00</wp:post_date><wp:post_date_gmt>2019-01-01 00:00:00</wp:post_date_gmt>
<wp:comment_status>closed</wp:comment_status><wp:post_name>about</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
<item><title>Unfinished</title><link>https://old.example/?p=13</link><guid isPermaLink="false">https://old.example/?p=13</guid><dc:creator>ada</dc:creator>
<content:encoded><![CDATA[Not yet.]]></content:encoded><wp:post_id>13</wp:post_id><wp:post_date>2019-05-01 00:00:00</wp:post_date><wp:post_date_gmt>2019-05-01 00:00:00</wp:post_date_gmt>
<wp:post_name>unfinished</wp:post_name><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>`;

for (const dialect of DIALECTS) {
  describe(`WXR import on a running site [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    // The site's clock: a running site learns of an import from another process within its change-watch period.
    const siteClock = new TestClock(new Date().toISOString());
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-wxr-site-'));
    const uploads = join(dir, 'uploads');
    const exportFile = join(dir, 'export.xml');
    const get = (path: string) => fetch(`${server.origin}${path}`, { redirect: 'manual' });

    before(async () => {
      server = await startTestServer(dialect, { clock: siteClock, env: { MEDIA_DIR: join(dir, 'media') } });
      mkdirSync(join(uploads, '2019/04'), { recursive: true });
      await sharp({ create: { width: 600, height: 400, channels: 3, background: '#3366aa' } }).png().toFile(join(uploads, '2019/04/bridge.png'));
    });
    after(() => server.close());

    const importExport = (commentStatus: string) => {
      writeFileSync(exportFile, EXPORT(commentStatus));
      return importWxrFile({ db: server.database.db, clock: systemClock }, exportFile, { uploadsDir: uploads, storage: new LocalDiskStorage(join(dir, 'media')) });
    };

    test('images are copied from --uploads, the featured image set, shortcodes converted, comments kept with their status', async () => {
      const report = await importExport('0');
      assert.deepEqual([report.articles.imported, report.pages.imported, report.media.imported], [2, 1, 1]);
      assert.deepEqual(report.notes, ['unknown shortcode [pullquote] left as text in 1 item']);
      const article = await server.database.db.selectFrom('articles').selectAll().where('slug', '=', 'bridge-reopens').executeTakeFirstOrThrow();
      assert.ok(article.featured_media_id !== null);
      assert.equal(article.featured_alt, 'The bridge at dawn');
      assert.match(article.body_html, /<figure><img src="https:\/\/old\.example\/wp-content\/uploads\/2019\/04\/bridge\.png" alt="The bridge" width="300" height="200" \/><figcaption>The bridge at dawn<\/figcaption><\/figure>/);
      assert.match(article.body_html, /<figure><img src="https:\/\/old\.example\/wp-content\/uploads\/2019\/04\/bridge\.png" alt="The bridge at dawn" \/><\/figure>/, 'gallery of attachment 11');
      assert.match(article.body_html, /<a href="https:\/\/video\.example\/watch\?v=1">/);
      assert.match(article.body_html, /\[pullquote\]Kept as text\[\/pullquote\]/);
      const attachment = await server.database.db.selectFrom('import_attachments').selectAll().executeTakeFirstOrThrow();
      assert.equal(attachment.url, 'https://old.example/wp-content/uploads/2019/04/bridge.png');
      assert.equal(attachment.article_id, article.id);
      assert.equal(attachment.media_id, article.featured_media_id);

      const comments = await server.database.db.selectFrom('comments').select(['id', 'status', 'body', 'author_name', 'author_url', 'parent_id']).orderBy('id').execute();
      assert.deepEqual(comments.map((c) => [c.author_name, c.status]), [['Reader One', 'pending'], ['Mallory', 'approved'], ['Reply', 'approved'], ['Spammer', 'spam']]);
      assert.match(comments[0]!.body, /the map \(https:\/\/maps\.example\/bridge\)/);
      // A website the comment form refuses is dropped; the comment and its reply's thread are kept.
      assert.equal(comments[1]!.author_url, '');
      assert.equal(comments[2]!.parent_id, comments[1]!.id);
      assert.match(report.problems.join('\n'), /comment 3: website dropped/);
      assert.equal(article.comment_count, 2);
      const byline = await server.database.db.selectFrom('authors').select('name').where('slug', '=', 'ada').executeTakeFirstOrThrow();
      assert.equal(byline.name, 'Ada Lovelace & Co');
      const page = await server.database.db.selectFrom('articles').select(['kind', 'comment_status']).where('slug', '=', 'about').executeTakeFirstOrThrow();
      assert.deepEqual(page, { kind: 'page', comment_status: 'closed' });

      // The article page shows the featured image from media, and no commenter email anywhere.
      const html = await (await get('/articles/bridge-reopens')).text();
      assert.match(html, /<img[^>]+src="\/media\//);
      assert.doesNotMatch(html, /one@readers\.example|spam@spam\.example|ada@secret\.example/);
    });

    test('importing again updates: a comment approved since is approved, nothing is duplicated, no image copied twice', async () => {
      const again = await importExport('1');
      assert.deepEqual([again.articles.imported, again.articles.updated, again.media.imported, again.media.updated, again.comments.imported, again.comments.updated], [0, 2, 0, 1, 0, 4]);
      assert.equal((await server.database.db.selectFrom('media').select('id').execute()).length, 1);
      const comments = await server.database.db.selectFrom('comments').select('status').orderBy('id').execute();
      assert.deepEqual(comments.map((c) => c.status), ['approved', 'approved', 'approved', 'spam']);
      const article = await server.database.db.selectFrom('articles').select('comment_count').where('slug', '=', 'bridge-reopens').executeTakeFirstOrThrow();
      assert.equal(article.comment_count, 3);
      // The page cached before the import is replaced once the site has looked for outside changes (every 30 s).
      siteClock.advance(30_000);
      await eventually(async () => (/Great news/.test(await (await get('/articles/bridge-reopens')).text()) ? true : undefined), 2000);
    });

    test('a symbolic link in the uploads folder that leads outside it is never followed', async () => {
      const outside = join(dir, 'outside');
      mkdirSync(outside, { recursive: true });
      await sharp({ create: { width: 20, height: 20, channels: 3, background: '#00ff00' } }).png().toFile(join(outside, 'secret.png'));
      const linked = join(dir, 'linked-uploads');
      mkdirSync(join(linked, '2019'), { recursive: true });
      symlinkSync(outside, join(linked, '2019', '04'));
      const other = join(dir, 'linked.xml');
      writeFileSync(other, EXPORT('1').replace(/bridge\.png/g, 'secret.png'));
      const report = await importWxrFile({ db: server.database.db, clock: systemClock }, other, { dryRun: true, uploadsDir: linked, storage: new LocalDiskStorage(join(dir, 'media')) });
      assert.match(report.notes.join('\n'), /1 attachment recorded by URL only: file not in the uploads folder/);
      assert.equal(uploadsPath(linked, 'https://old.example/wp-content/uploads/..%2f..%2f..%2fetc%2fpasswd'), undefined, 'an encoded slash cannot climb out');
    });

    test('old WordPress addresses redirect with 301; a draft’s old address stays unknown', async () => {
      const cases: [string, string][] = [
        ['/?p=10', '/articles/bridge-reopens'],
        ['/2019/04/01/bridge-reopens/', '/articles/bridge-reopens'],
        ['/2019/04/bridge-reopens', '/articles/bridge-reopens'],
        ['/bridge-reopens/', '/articles/bridge-reopens'],
        ['/?attachment_id=11', '/articles/bridge-reopens'],
        ['/?page_id=12', '/pages/about'],
        ['/about/', '/pages/about'],
        ['/category/harbour/', '/section/harbour'],
        ['/?cat=3', '/section/harbour'],
        ['/?tag=tides', '/tag/tides'],
        ['/author/ada/', '/author/ada'],
        ['/?author=7', '/author/ada'],
      ];
      for (const [old, now] of cases) {
        const response = await get(old);
        assert.equal(response.status, 301, `${old} → ${response.status}`);
        assert.equal(response.headers.get('location'), now, old);
      }
      assert.equal((await get('/unfinished/')).status, 404);
      assert.equal((await get('/?p=13')).status, 200, 'the front page, not a hint that post 13 exists');
    });

    test('the block-editor test export: every item accounted for, no block delimiter left in any body', async () => {
      const xml = readFileSync(BLOCKS, 'utf8');
      const types = [...xml.matchAll(/<wp:post_type>(?:<!\[CDATA\[)?(\w+)/g)].map((m) => m[1]);
      const report = await importWxrFile({ db: server.database.db, clock: systemClock }, BLOCKS);
      const total = (t: { imported: number; updated: number; skipped: number }) => t.imported + t.updated + t.skipped;
      assert.equal(total(report.articles), types.filter((t) => t !== 'page' && t !== 'attachment').length);
      assert.equal(total(report.pages), types.filter((t) => t === 'page').length);
      assert.equal(total(report.media), types.filter((t) => t === 'attachment').length);
      assert.equal(report.comments.imported, [...xml.matchAll(/<wp:comment>/g)].length);
      const bodies = await server.database.db.selectFrom('articles').select('body_html').where('import_source', '=', 'wxr').execute();
      assert.ok(bodies.length >= report.articles.imported);
      for (const { body_html } of bodies) assert.doesNotMatch(body_html, /<!--\s*\/?wp:/);
    });
  });
}
