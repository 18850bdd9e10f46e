/**
 * Compressed responses over real HTTP: the coding chosen from Accept-Encoding, stylesheets (fingerprinted, immutable),
 * the JSON API, feeds with their conditional GET, pages rendered per reader and pages with the page cache off; images,
 * tiny bodies and HEAD left alone.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { seedArticle } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { rawRequest } from '../../test/support/raw-http.ts';
import { OWN_COMMENTS_COOKIE } from '../comments/commenter-cookies.ts';
import { distributionPaths } from '../distribution/paths.ts';
import { negotiateCoding } from './compression.ts';

describe('negotiateCoding', () => {
  const cases: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['deflate', undefined],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['*', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['GZIP', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['gzip;q=0.8, br;q=0.9', 'br'],
  ];
  for (const [header, expected] of cases) test(`${JSON.stringify(header)} → ${expected ?? 'identity'}`, () => assert.equal(negotiateCoding(header), expected));
});

for (const dialect of DIALECTS) {
  describe(`compressed responses [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const clock = new TestClock('2026-12-01T08:00:00Z');
    let server: TestServer;
    let uncached: TestServer;
    let article: { id: number; path: string };
    before(async () => {
      server = await startTestServer(dialect, { clock });
      uncached = await startTestServer(dialect, { clock, env: { PAGE_CACHE_MB: '0' }, shareDatabaseOf: server });
      article = await seedArticle(server.database.db, clock, 'Compressed responses story');
    });
    after(async () => {
      await uncached.close();
      await server.close();
    });

    test('stylesheets: fingerprinted by their content, immutable, sent in the coding asked for', async () => {
      const page = await rawRequest(server.origin, article.path);
      const links = [...page.body.toString().matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(links.length >= 1, 'the page links a stylesheet');
      // Every file the page takes from /assets/ (stylesheet, icon) has a fingerprinted address.
      const assets = [...page.body.toString().matchAll(/<link rel="[^"]+" href="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      assert.ok(assets.some((href) => href.startsWith('/assets/favicon.svg?v=')), assets.join());
      for (const href of assets) {
        const file = await rawRequest(server.origin, href);
        assert.equal(file.headers['cache-control'], 'public, max-age=31536000, immutable', href);
        assert.equal(new URL(href, server.origin).searchParams.get('v'), createHash('sha256').update(file.body).digest('hex').slice(0, 12), href);
        // Without its fingerprint the same file is kept an hour, not for good.
        const unversioned = await rawRequest(server.origin, href.split('?')[0]!);
        assert.equal(unversioned.status, 200);
        assert.equal(unversioned.headers['cache-control'], 'public, max-age=3600', href.split('?')[0]);
      }
      for (const href of links) {
        const plain = await rawRequest(server.origin, href);
        assert.equal(plain.status, 200);
        assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
        // The version in the address is the content's hash: a changed file gets a new address.
        const version = new URL(href, server.origin).searchParams.get('v');
        assert.equal(version, createHash('sha256').update(plain.body).digest('hex').slice(0, 12), href);
        for (const coding of ['br', 'gzip']) {
          const compressed = await rawRequest(server.origin, href, { 'accept-encoding': coding });
          assert.equal(compressed.headers['content-encoding'], coding, href);
          assert.equal(compressed.headers.vary, 'accept-encoding');
          assert.equal(compressed.headers['cache-control'], 'public, max-age=31536000, immutable');
          assert.deepEqual(compressed.decoded, plain.body);
          assert.ok(compressed.body.length < plain.body.length / 3, `${coding} ${compressed.body.length} of ${plain.body.length} bytes`);
          assert.match(compressed.headers.etag ?? '', /^W\//);
        }
      }
    });

    test('images, tiny bodies and HEAD are sent as they are', async () => {
      for (const path of ['/assets/logo.png', '/robots.txt']) {
        const answer = await rawRequest(server.origin, path, { 'accept-encoding': 'br, gzip' });
        assert.equal(answer.status, 200, path);
        assert.equal(answer.headers['content-encoding'], undefined, path);
        assert.ok(path.endsWith('.png') || answer.body.length < 1024, `${path}: ${answer.body.length} bytes`);
      }
      const head = await rawRequest(uncached.origin, article.path, { 'accept-encoding': 'br' }, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-encoding'], undefined);
    });

    test('the JSON API and feeds are compressed; a feed revalidates with either form of its ETag', async () => {
      const api = await rawRequest(server.origin, distributionPaths.openApi(), { 'accept-encoding': 'gzip' });
      assert.equal(api.status, 200);
      assert.equal(api.headers['content-encoding'], 'gzip');
      assert.equal(JSON.parse(api.decoded.toString()).openapi.startsWith('3.'), true);

      for (const origin of [server.origin, uncached.origin]) {
        for (const path of [distributionPaths.siteFeed('rss'), distributionPaths.siteFeed('json'), distributionPaths.sitemapIndex()]) {
          const plain = await rawRequest(origin, path);
          const compressed = await rawRequest(origin, path, { 'accept-encoding': 'br' });
          assert.equal(compressed.headers['content-encoding'], plain.body.length >= 1024 ? 'br' : undefined, path);
          assert.deepEqual(compressed.decoded, plain.body, path);
          const etag = plain.headers.etag!;
          assert.match(etag, /^"/, `${path}: uncompressed, a strong tag`);
          if (compressed.headers['content-encoding']) assert.equal(compressed.headers.etag, `W/${etag}`, path);
          for (const ifNoneMatch of [etag, `W/${etag}`]) {
            const revalidated = await rawRequest(origin, path, { 'accept-encoding': 'br', 'if-none-match': ifNoneMatch });
            assert.equal(revalidated.status, 304, `${path} ${ifNoneMatch}`);
            assert.equal(revalidated.headers.etag, `W/${etag}`, 'the tag a compressed 200 carries');
            assert.equal((await rawRequest(origin, path, { 'if-none-match': ifNoneMatch })).headers.etag, etag);
          }
        }
      }
    });

    test('pages rendered for one reader, and every page with the page cache off, are compressed too', async () => {
      const personal = await rawRequest(server.origin, article.path, { 'accept-encoding': 'br', cookie: `${OWN_COMMENTS_COOKIE}=1` });
      assert.equal(personal.headers['x-page-cache'], 'BYPASS');
      assert.equal(personal.headers['content-encoding'], 'br');
      assert.match(personal.decoded.toString(), /Compressed responses story/);

      const plain = await rawRequest(uncached.origin, article.path);
      const compressed = await rawRequest(uncached.origin, article.path, { 'accept-encoding': 'gzip' });
      assert.equal(compressed.headers['x-page-cache'], 'BYPASS');
      assert.equal(compressed.headers['content-encoding'], 'gzip');
      assert.equal(compressed.headers.vary, 'accept-encoding');
      assert.match(compressed.headers.etag ?? '', /^W\/"[\w-]{22}"$/);
      assert.match(plain.headers.etag ?? '', /^"[\w-]{22}"$/);
      assert.match(compressed.decoded.toString(), /<h1[^>]*>Compressed responses story<\/h1>/);
    });
  });
}
