/**
 * Compressed cached pages over real HTTP: the miss and the hits send one compressed copy per coding, made once and
 * counted in the cache's bytes; identity hits stay the stored bytes; weak ETags for compressed bodies, 304s on both
 * the hit-first path and Fastify's; HEAD uncompressed. Then the page cache's own bookkeeping of the copies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { seedArticle } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { sample, scrape } from '../../test/support/metrics.ts';
import { rawRequest, type RawAnswer } from '../../test/support/raw-http.ts';
import { eventually } from '../../test/support/webhooks.ts';
import { createPageCache, type CachedPage } from './page-cache.ts';

/** Headers that differ between two answers of the same stored page only by framing or the cache's verdict. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'date', 'connection', 'keep-alive', 'x-page-cache']);
const comparable = (answer: RawAnswer) => Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !FRAMING.has(name)));

async function cacheBytes(origin: string): Promise<number> {
  return sample(await scrape(origin), 'broadsheet_page_cache_bytes') ?? NaN;
}

/** Waits until `path` is answered from the page cache (uncompressed request), and returns that answer. */
async function kept(origin: string, path: string): Promise<RawAnswer> {
  return eventually(async () => {
    const answer = await rawRequest(origin, path);
    return answer.headers['x-page-cache'] === 'HIT' ? answer : undefined;
  });
}

for (const dialect of DIALECTS) {
  describe(`compressed cached pages [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const clock = new TestClock('2026-12-01T08:00:00Z');
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, { clock });
    });
    after(() => server.close());

    test('a page is compressed once per coding: the miss and every hit send the same copy, counted in the cache bytes', async () => {
      const article = await seedArticle(server.database.db, clock, 'Compressed harbour story');
      const before = await cacheBytes(server.origin);
      const miss = await rawRequest(server.origin, article.path, { 'accept-encoding': 'gzip;q=0.5, br' });
      assert.equal(miss.status, 200);
      assert.equal(miss.headers['x-page-cache'], 'MISS');
      assert.equal(miss.headers['content-encoding'], 'br');
      assert.equal(miss.headers.vary, 'accept-encoding');
      assert.ok(miss.body.length < miss.decoded.length / 2, `${miss.body.length} bytes compressed of ${miss.decoded.length}`);

      const identity = await kept(server.origin, article.path);
      assert.equal(identity.headers['content-encoding'], undefined);
      assert.equal(identity.headers.vary, 'accept-encoding', 'an uncompressed answer says it depends on Accept-Encoding too');
      assert.deepEqual(miss.decoded, identity.body, 'the miss compressed the very bytes it stored');
      const etag = identity.headers.etag!;
      assert.match(etag, /^"[\w-]{22}"$/);
      assert.equal(miss.headers.etag, `W/${etag}`);
      const withCopy = await cacheBytes(server.origin);
      assert.equal(withCopy - before, identity.body.length + miss.body.length + 1024, 'body, brotli copy and entry overhead');

      const hits = await Promise.all(Array.from({ length: 5 }, () => rawRequest(server.origin, article.path, { 'accept-encoding': 'br' })));
      for (const hit of hits) {
        assert.equal(hit.headers['x-page-cache'], 'HIT');
        assert.deepEqual(hit.body, miss.body, 'the kept copy, byte for byte');
        assert.equal(hit.headers['content-length'], String(miss.body.length));
        assert.deepEqual(comparable(hit), comparable(miss), 'the headers of the miss');
      }
      assert.equal(await cacheBytes(server.origin), withCopy, 'no second brotli copy');

      const gzipped = await Promise.all(Array.from({ length: 3 }, () => rawRequest(server.origin, article.path, { 'accept-encoding': 'gzip, deflate' })));
      for (const hit of gzipped) {
        assert.equal(hit.headers['content-encoding'], 'gzip');
        assert.deepEqual(hit.decoded, identity.body);
        assert.deepEqual(hit.body, gzipped[0]!.body, 'one gzip copy');
        assert.equal(hit.headers.etag, `W/${etag}`);
      }
      assert.equal(await cacheBytes(server.origin), withCopy + gzipped[0]!.body.length, 'the gzip copy, made by the first gzip hit, counted once');

      // Uncompressed hits are the stored bytes, with nothing recompressed.
      const again = await rawRequest(server.origin, article.path, { 'accept-encoding': 'identity' });
      assert.deepEqual(again.body, identity.body);
      assert.equal(again.headers.etag, etag);
    });

    test('conditional requests: 304 for either form of the tag, carrying the form the 200 would; HEAD is never compressed', async () => {
      const article = await seedArticle(server.database.db, clock, 'Revalidated harbour story');
      const identity = await kept(server.origin, article.path);
      const etag = identity.headers.etag!;
      for (const ifNoneMatch of [etag, `W/${etag}`]) {
        const compressed = await rawRequest(server.origin, article.path, { 'accept-encoding': 'br', 'if-none-match': ifNoneMatch });
        assert.equal(compressed.status, 304, ifNoneMatch);
        assert.equal(compressed.headers.etag, `W/${etag}`);
        assert.equal(compressed.headers['content-encoding'], undefined);
        assert.equal(compressed.body.length, 0);
        const plain = await rawRequest(server.origin, article.path, { 'if-none-match': ifNoneMatch });
        assert.equal(plain.status, 304, ifNoneMatch);
        assert.equal(plain.headers.etag, etag);
      }
      assert.equal((await rawRequest(server.origin, article.path, { 'accept-encoding': 'br', 'if-none-match': '"other"' })).status, 200);

      // The same through Fastify (inject() does not pass through the HTTP server's hit answerer).
      const injected = await server.app.inject({ url: article.path, headers: { 'accept-encoding': 'br' } });
      assert.equal(injected.headers['x-page-cache'], 'HIT');
      assert.equal(injected.headers['content-encoding'], 'br');
      assert.equal(injected.headers.etag, `W/${etag}`);
      assert.deepEqual(injected.rawPayload, (await rawRequest(server.origin, article.path, { 'accept-encoding': 'br' })).body);
      const injected304 = await server.app.inject({ url: article.path, headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
      assert.equal(injected304.statusCode, 304);
      assert.equal(injected304.headers.etag, `W/${etag}`);
      assert.equal(injected304.headers['content-encoding'], undefined);

      const head = await rawRequest(server.origin, article.path, { 'accept-encoding': 'br' }, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-encoding'], undefined);
      assert.equal(head.headers.etag, etag);
      assert.equal(head.headers['content-length'], String(identity.body.length));
    });
  });
}

describe('page cache: compressed copies', () => {
  const page = (): CachedPage => ({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.alloc(10_000, 'x'), keys: ['site', 'article-1'], encoded: {} });

  test('a copy is counted in the bytes and keeps the page purgeable by its keys', () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    const stored = page();
    cache.store('/articles/a', stored, cache.begin());
    const bytes = cache.stats().bytes;
    assert.equal(cache.keepEncoded('/articles/a', stored.body, 'br', Buffer.alloc(700)), true);
    assert.equal(cache.stats().bytes, bytes + 700);
    assert.equal(cache.lookup('/articles/a')?.encoded?.br?.length, 700);
    cache.purge(['article-1']);
    assert.equal(cache.lookup('/articles/a'), undefined);
    assert.equal(cache.stats().bytes, 0);
  });

  test('a copy finished after its page was purged or rendered anew is not kept', () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    const old = page();
    cache.store('/articles/a', old, cache.begin());
    cache.purge(['article-1']);
    assert.equal(cache.keepEncoded('/articles/a', old.body, 'br', Buffer.alloc(700)), false);
    assert.equal(cache.lookup('/articles/a'), undefined, 'not brought back');
    const fresh = page();
    cache.store('/articles/a', fresh, cache.begin());
    assert.equal(cache.keepEncoded('/articles/a', old.body, 'gzip', Buffer.alloc(700)), false);
    assert.equal(cache.lookup('/articles/a')?.encoded?.gzip, undefined);
  });

  test('a page whose copies would overflow its share is dropped, not kept over budget', () => {
    const cache = createPageCache({ maxBytes: 16_000 });
    const stored = page();
    cache.store('/articles/a', stored, cache.begin());
    assert.equal(cache.keepEncoded('/articles/a', stored.body, 'br', Buffer.alloc(5_000)), false);
    assert.equal(cache.lookup('/articles/a'), undefined);
    assert.equal(cache.stats().bytes, 0);
  });
});
