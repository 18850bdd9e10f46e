/** The in-process page cache: purges by surrogate key, the purge token, the byte bound and the query-string share. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPageCache, QUERY_SHARE, type CachedPage } from './page-cache.ts';

const page = (keys: string[], bytes = 100): CachedPage => ({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.alloc(bytes, 'x'), keys });

describe('page cache', () => {
  test('a purge drops exactly the pages tagged with one of its keys', () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    cache.store('/articles/a', page(['site', 'article-1']), cache.begin());
    cache.store('/articles/b', page(['site', 'article-2']), cache.begin());
    cache.store('/', page(['site', 'front', 'article-1', 'article-2']), cache.begin());
    cache.purge(['article-2']);
    assert.ok(cache.lookup('/articles/a'));
    assert.equal(cache.lookup('/articles/b'), undefined);
    assert.equal(cache.lookup('/'), undefined);
    cache.purge(['site']);
    assert.equal(cache.stats().entries, 0);
  });

  test('a page whose request began before a purge is not kept', () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    const token = cache.begin();
    cache.purge(['article-9']);
    assert.equal(cache.store('/articles/a', page(['article-1']), token), false);
    assert.equal(cache.lookup('/articles/a'), undefined);
    assert.equal(cache.store('/articles/a', page(['article-1']), cache.begin()), true);
  });

  test('the least recently used pages go first once the bytes are spent', () => {
    const cache = createPageCache({ maxBytes: 10 * (10_000 + 1024) });
    for (let i = 0; i < 12; i++) cache.store(`/articles/${i}`, page([`article-${i}`], 10_000), cache.begin());
    assert.equal(cache.lookup('/articles/0'), undefined);
    assert.ok(cache.lookup('/articles/11'));
    assert.ok(cache.stats().bytes <= 10 * (10_000 + 1024));
  });

  test('made-up searches cannot push article pages out: addresses with a query string have their own share', () => {
    const maxBytes = 1_000_000;
    const cache = createPageCache({ maxBytes });
    for (let i = 0; i < 20; i++) cache.store(`/articles/${i}`, page([`article-${i}`], 10_000), cache.begin());
    for (let i = 0; i < 1_000; i++) cache.store(`/search?q=flood${i}`, page(['search'], 10_000), cache.begin());
    for (let i = 0; i < 20; i++) assert.ok(cache.lookup(`/articles/${i}`), `article ${i} still cached`);
    const searches = Array.from({ length: 1_000 }, (_, i) => cache.lookup(`/search?q=flood${i}`)).filter(Boolean).length;
    assert.ok(searches > 0 && searches * (10_000 + 1024) <= maxBytes * QUERY_SHARE, `${searches} searches kept`);
    cache.purge(['search']);
    assert.equal(cache.lookup('/search?q=flood999'), undefined);
  });
});
