/**
 * Conditional GET on feeds and sitemaps over real HTTP: ETag and Last-Modified on every answer, 304 for a matching
 * If-None-Match or a recent enough If-Modified-Since, and a full answer again once the content changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { moderateComments } from '../comments/moderation.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { addComment } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { addArticle } from '../../test/support/distribution-seed.ts';
import { distributionPaths } from './paths.ts';

/** Uncompressed (fetch asks for gzip unless told otherwise): a compressed answer's ETag is weak (src/web/compression.test.ts). */
const get = (server: TestServer, path: string, headers: Record<string, string> = {}) => fetch(server.origin + path, { headers: { 'accept-encoding': 'identity', ...headers } });

for (const dialect of DIALECTS) {
  describe(`conditional GET of feeds and sitemaps [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-02T09:00:00.000Z');
    let article: { id: number; slug: string };

    before(async () => {
      server = await startTestServer(dialect, { clock });
      article = await addArticle(server, clock, { headline: 'First story', section: { name: 'World', slug: 'world' } });
    });
    after(() => server.close());

    const paths = [
      distributionPaths.siteFeed('rss'),
      distributionPaths.siteFeed('atom'),
      distributionPaths.siteFeed('json'),
      distributionPaths.sectionFeed('world', 'atom'),
      distributionPaths.sitemapIndex(),
      distributionPaths.sitemapPage(1),
      distributionPaths.sitemapPages(),
      distributionPaths.newsSitemap(),
    ];

    test('304 Not Modified on If-None-Match (strong, weak, in a list, *) and on If-Modified-Since; cacheable by shared caches', async () => {
      for (const path of paths) {
        const first = await get(server, path);
        assert.equal(first.status, 200, path);
        const etag = first.headers.get('etag')!;
        const lastModified = first.headers.get('last-modified')!;
        assert.match(etag, /^"[\w-]+"$/, path);
        assert.ok(!Number.isNaN(Date.parse(lastModified)), path);
        assert.match(first.headers.get('cache-control') ?? '', /^public, max-age=\d+$/, path);
        for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
          const again = await get(server, path, { 'if-none-match': ifNoneMatch });
          assert.equal(again.status, 304, `${path} If-None-Match: ${ifNoneMatch}`);
          assert.equal(again.headers.get('etag'), etag);
          assert.equal(await again.text(), '');
        }
        assert.equal((await get(server, path, { 'if-modified-since': lastModified })).status, 304, `${path} If-Modified-Since`);
        const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
        assert.equal((await get(server, path, { 'if-modified-since': earlier })).status, 200, `${path} older If-Modified-Since`);
        // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
        assert.equal((await get(server, path, { 'if-none-match': '"stale"', 'if-modified-since': lastModified })).status, 200, path);
        assert.equal((await get(server, path, { 'if-modified-since': 'not a date' })).status, 200, path);
      }
    });

    test('a newly published article changes ETag and Last-Modified, so the old validators get the full content', async () => {
      const before = await Promise.all(paths.map(async (path) => ({ path, response: await get(server, path) })));
      clock.advance(60_000);
      await addArticle(server, clock, { headline: 'Second story', section: { name: 'World', slug: 'world' }, publishedAt: clock.now().toISOString() });
      for (const { path, response } of before) {
        const etag = response.headers.get('etag')!;
        const lastModified = response.headers.get('last-modified')!;
        const fresh = await get(server, path, { 'if-none-match': etag });
        assert.equal(fresh.status, 200, path);
        assert.notEqual(fresh.headers.get('etag'), etag, path);
        assert.equal((await get(server, path, { 'if-modified-since': lastModified })).status, 200, path);
      }
    });

    test('an article moved out of a section changes that section feed\'s Last-Modified too', async () => {
      const path = distributionPaths.sectionFeed('world', 'rss');
      const before = await get(server, path);
      const lastModified = before.headers.get('last-modified')!;
      clock.advance(60_000);
      const other = await server.database.db.insertInto('sections').values({ slug: 'elsewhere', name: 'Elsewhere' }).returning('id').executeTakeFirstOrThrow();
      await server.database.db.updateTable('articles').set({ section_id: other.id, updated_at: clock.now().toISOString() }).where('id', '=', article.id).execute();
      const after = await get(server, path, { 'if-modified-since': lastModified });
      assert.equal(after.status, 200);
      assert.ok(Date.parse(after.headers.get('last-modified')!) > Date.parse(lastModified));
    });

    test('the comments feed changes when a comment held earlier is approved later', async () => {
      const path = distributionPaths.commentsFeed(article.slug);
      const held = await addComment(server.database.db, article.id, { status: 'pending', createdAt: clock.now().toISOString() });
      clock.advance(60_000);
      const first = await get(server, path);
      assert.equal(first.status, 200);
      const lastModified = first.headers.get('last-modified')!;
      assert.equal((await get(server, path, { 'if-modified-since': lastModified })).status, 304);
      clock.advance(60_000);
      await moderateComments({ db: server.database.db, clock, notifier: { held() {}, approved() {} } }, [held], 'approve', { userId: null });
      const after = await get(server, path, { 'if-modified-since': lastModified });
      assert.equal(after.status, 200, 'approval is a change even though the comment was written before');
      assert.match(await after.text(), /<item>/);
    });
  });
}
