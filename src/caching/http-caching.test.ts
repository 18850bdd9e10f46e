/** HTTP caching of reader pages over real HTTP: headers, 304s, the page cache, its invalidation, and the purge hook. */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { readerOn, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { addComment, seedArticle, signedInClients } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { submitForm } from '../../test/support/newsroom.ts';
import { sample, scrape } from '../../test/support/metrics.ts';
import { articleFields, articleIdFrom, eventually, saveArticleVia } from '../../test/support/webhooks.ts';
import { OWN_COMMENTS_COOKIE } from '../comments/commenter-cookies.ts';
import type { Role } from '../db/schema.ts';

/**
 * Uncompressed, as a client that accepts no content coding asks (fetch asks for gzip unless told otherwise; compressed
 * answers are page-encodings.test.ts's).
 */
const IDENTITY = { 'accept-encoding': 'identity' };

/** A GET without cookies, returning the headers that matter here and the page's h1. */
async function anonymous(origin: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(origin + path, { headers: { ...IDENTITY, ...headers }, redirect: 'manual' });
  const html = await response.text();
  return { status: response.status, html, headers: Object.fromEntries(response.headers), h1: parsePage(html).querySelector('h1')?.textContent?.trim() ?? '', header: (name: string) => response.headers.get(name) };
}

/** The response headers of an anonymous GET of `path`, by lower-case name. */
async function headersOf(origin: string, path: string): Promise<Record<string, string>> {
  const response = await fetch(origin + path, { headers: IDENTITY });
  await response.arrayBuffer();
  return Object.fromEntries(response.headers);
}

/** Waits until the page cache answers `path` (a page rendered while a purge or an embargo sweep ran is not kept). */
async function kept(origin: string, path: string): Promise<void> {
  await eventually(async () => ((await anonymous(origin, path)).header('x-page-cache') === 'HIT' ? true : undefined));
}

/** A local server recording the purge requests it receives. */
async function purgeReceiver() {
  const received: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((request, response) => {
    received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    response.end('purged');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { received, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

for (const dialect of DIALECTS) {
  describe(`HTTP caching of reader pages [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const clock = new TestClock('2026-12-01T08:00:00Z');
    let server: TestServer;
    let clients: Record<Role, Client>;
    let receiver: Awaited<ReturnType<typeof purgeReceiver>>;

    before(async () => {
      receiver = await purgeReceiver();
      server = await startTestServer(dialect, { clock, env: { PURGE_URL: `${receiver.origin}/purge{path}` } });
      clients = await signedInClients(server.database.db, clock, server.origin);
      await useOpenCommentSettings(server.database.db);
      assert.equal((await submitForm(clients.admin, '/admin/taxonomy', '/admin/sections', { name: 'Local', slug: 'local', description: '', position: '1' })).response.status, 303);
    });
    after(async () => {
      await server.close();
      await receiver.close();
    });

    test('an anonymous article page is shareable: s-maxage, strong ETag, surrogate keys; then served from the page cache, and 304 on revalidation', async () => {
      const article = await seedArticle(server.database.db, clock, 'Cached harbour story');
      const first = await anonymous(server.origin, article.path);
      assert.equal(first.status, 200);
      assert.equal(first.header('cache-control'), 'public, max-age=0, s-maxage=60, stale-while-revalidate=60, stale-if-error=86400');
      assert.equal(first.header('x-page-cache'), 'MISS');
      assert.deepEqual(first.header('surrogate-key')?.split(' ').sort(), ['site', `article-${article.id}`].sort());
      assert.equal(first.header('cache-tag'), first.header('surrogate-key')?.replaceAll(' ', ','));
      assert.equal(first.header('set-cookie'), null, 'an anonymous page sets no cookie');
      const etag = first.header('etag')!;
      assert.match(etag, /^"[\w-]{22}"$/, 'a strong ETag');

      await kept(server.origin, article.path);
      const second = await anonymous(server.origin, article.path);
      assert.equal(second.header('x-page-cache'), 'HIT');
      assert.equal(second.html, first.html, 'the same bytes');
      assert.equal(second.header('etag'), etag);
      assert.equal(second.header('content-type'), 'text/html; charset=utf-8');
      assert.match(second.header('content-security-policy') ?? '', /default-src 'self'/, 'security headers on a hit too');
      // A hit is answered by the HTTP server before Fastify (cache-hits.ts): every header of the rendered answer, as sent.
      const hitHeaders = await headersOf(server.origin, article.path);
      assert.equal(hitHeaders['x-page-cache'], 'HIT');
      const comparable = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !['date', 'x-page-cache', 'keep-alive', 'connection'].includes(name)));
      assert.equal(first.headers['x-page-cache'], 'MISS');
      assert.deepEqual(comparable(hitHeaders), comparable(first.headers));

      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const revalidated = await anonymous(server.origin, article.path, { 'if-none-match': ifNoneMatch });
        assert.equal(revalidated.status, 304, ifNoneMatch);
        assert.equal(revalidated.html, '');
        assert.equal(revalidated.header('etag'), etag);
      }
      assert.equal((await anonymous(server.origin, article.path, { 'if-none-match': '"stale"' })).status, 200);
      const head = await fetch(server.origin + article.path, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('etag'), etag);
      assert.equal(head.headers.get('x-page-cache'), 'HIT');
      assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(first.html)));
      assert.equal(await head.text(), '');
    });

    test('a reader with a commenter or newsroom cookie is never served from, nor stored in, a shared cache', async () => {
      const article = await seedArticle(server.database.db, clock, 'Personal pages story');
      await anonymous(server.origin, article.path);
      await kept(server.origin, article.path);

      // The reader posts a comment held for moderation: their page shows it, the shared one must not.
      await useOpenCommentSettings(server.database.db, { holdFirstTime: true });
      const { client, hidden } = await readerOn(server.origin, article.path);
      const posted = await client.postForm(`${article.path}/comments`, { ...hidden, author: 'Held Reader', email: 'held@example.org', comment: 'Awaiting a moderator' });
      assert.equal(posted.response.status, 303);
      await useOpenCommentSettings(server.database.db);
      const own = await client.get(article.path);
      assert.equal(own.response.headers.get('cache-control'), 'private, no-store');
      assert.equal(own.response.headers.get('x-page-cache'), 'BYPASS');
      assert.equal(own.response.headers.get('surrogate-key'), null);
      assert.match(own.html, /Awaiting a moderator/);
      const shared = await anonymous(server.origin, article.path);
      assert.doesNotMatch(shared.html, /Awaiting a moderator/);
      assert.equal(shared.header('x-page-cache'), 'HIT', 'the personal page was not stored over the shared one');

      for (const cookie of [`${OWN_COMMENTS_COOKIE}=x`, 'bs_comment_author={"author":"A"}', 'bs_session=whatever']) {
        const page = await anonymous(server.origin, article.path, { cookie });
        assert.equal(page.header('cache-control'), 'private, no-store', cookie);
        assert.notEqual(page.header('x-page-cache'), 'HIT', cookie);
      }
      const admin = await clients.editor.get('/admin');
      assert.match(admin.response.headers.get('cache-control') ?? '', /no-store/);
      assert.equal(admin.response.headers.get('surrogate-key'), null);
    });

    test('pages that are not 200 are not kept; listings name their list and every article they show', async () => {
      const missing = await anonymous(server.origin, '/articles/no-such-story');
      assert.equal(missing.status, 404);
      assert.equal(missing.header('surrogate-key'), null);
      assert.notEqual((await anonymous(server.origin, '/articles/no-such-story')).header('x-page-cache'), 'HIT');

      const article = await seedArticle(server.database.db, clock, 'Front page story');
      const front = await anonymous(server.origin, '/');
      const keys = front.header('surrogate-key')?.split(' ') ?? [];
      assert.ok(keys.includes('front') && keys.includes('site') && keys.includes(`article-${article.id}`), keys.join(' '));
      const search = await anonymous(server.origin, '/search?q=harbour');
      assert.ok(search.header('surrogate-key')?.split(' ').includes('search'));
    });

    test('publishing, editing and unpublishing through the newsroom reach readers at once and purge the CDN by address', async () => {
      const created = await saveArticleVia(clients.editor, '/admin/articles/new', 'publish', articleFields({ headline: 'Bridge reopens', section: 'local' }));
      assert.equal(created.response.status, 303);
      const id = articleIdFrom(created.response);
      const path = '/articles/bridge-reopens';
      assert.equal((await anonymous(server.origin, path)).h1, 'Bridge reopens');
      assert.match((await anonymous(server.origin, '/')).html, /Bridge reopens/);
      // Both come to be kept (a page rendered while the publication's own purge ran is not).
      for (const address of [path, '/', '/feed.xml', '/sitemap.xml']) await kept(server.origin, address);

      receiver.received.length = 0;
      assert.equal((await saveArticleVia(clients.editor, `/admin/articles/${id}`, 'publish', articleFields({ headline: 'Bridge reopens after repairs', section: 'local', slug: 'bridge-reopens' }))).response.status, 303);
      const edited = await anonymous(server.origin, path);
      assert.equal(edited.h1, 'Bridge reopens after repairs');
      assert.equal(edited.header('x-page-cache'), 'MISS');
      assert.match((await anonymous(server.origin, '/')).html, /Bridge reopens after repairs/);
      assert.match((await anonymous(server.origin, '/feed.xml')).html, /Bridge reopens after repairs/);
      assert.equal((await anonymous(server.origin, '/feed.xml')).header('cache-control'), 'public, max-age=300', 'a feed keeps its own lifetime');
      const expected = [`PURGE /purge${path}`, 'PURGE /purge/', 'PURGE /purge/feed.xml', 'PURGE /purge/section/local', 'PURGE /purge/section/local/feed.atom', 'PURGE /purge/sitemaps/news.xml'];
      const purged = () => receiver.received.map((r) => `${r.method} ${r.url}`);
      await eventually(async () => (expected.every((e) => purged().includes(e)) ? true : undefined)).catch(() => assert.fail(`expected ${expected.join(', ')}; got ${purged().join(', ')}`));

      assert.equal((await saveArticleVia(clients.editor, `/admin/articles/${id}`, 'unpublish', articleFields({ headline: 'Bridge reopens after repairs', section: 'local', slug: 'bridge-reopens' }))).response.status, 303);
      assert.equal((await anonymous(server.origin, path)).status, 404);
      assert.doesNotMatch((await anonymous(server.origin, '/')).html, /Bridge reopens/);
    });

    test('a comment approved by a moderator shows to readers at once; one withdrawn disappears', async () => {
      const article = await seedArticle(server.database.db, clock, 'Moderated story');
      const commentId = await addComment(server.database.db, article.id, { status: 'pending', name: 'Patient Reader', body: 'Worth the wait' });
      assert.doesNotMatch((await anonymous(server.origin, article.path)).html, /Worth the wait/);
      await kept(server.origin, article.path);

      const approve = await submitForm(clients.editor, '/admin/comments', `/admin/comments/${commentId}/approve`, { status: 'pending', page: '1' });
      assert.equal(approve.response.status, 303);
      const shown = await eventually(async () => {
        const page = await anonymous(server.origin, article.path);
        return /Worth the wait/.test(page.html) ? page : undefined;
      }, 1000);
      assert.equal(shown.header('x-page-cache'), 'MISS');

      assert.equal((await submitForm(clients.editor, '/admin/comments?status=approved', `/admin/comments/${commentId}/spam`, { status: 'approved', page: '1' })).response.status, 303);
      await eventually(async () => (/Worth the wait/.test((await anonymous(server.origin, article.path)).html) ? undefined : true), 1000);
    });

    test('a scheduled article appears on cached pages the moment its time comes (before the scheduler runs), and the CDN is told', async () => {
      const publishAt = new Date(clock.now().getTime() + 60_000).toISOString().slice(0, 16);
      const scheduled = await saveArticleVia(clients.editor, '/admin/articles/new', 'schedule', articleFields({ headline: 'Embargo lifts at nine', publish_at: publishAt }));
      assert.equal(scheduled.response.status, 303);
      const embargoed = { slug: 'embargo-lifts-at-nine' };
      await kept(server.origin, '/');
      assert.doesNotMatch((await anonymous(server.origin, '/')).html, /Embargo lifts at nine/);
      assert.equal((await anonymous(server.origin, `/articles/${embargoed.slug}`)).status, 404);
      receiver.received.length = 0;
      clock.advance(60_000);
      const front = await anonymous(server.origin, '/');
      assert.match(front.html, /Embargo lifts at nine/);
      assert.notEqual(front.header('x-page-cache'), 'HIT');
      assert.equal((await anonymous(server.origin, `/articles/${embargoed.slug}`)).status, 200);
      await eventually(async () => (receiver.received.some((r) => r.url === `/purge/articles/${embargoed.slug}`) ? true : undefined));
    });

    test('/metrics counts what the page cache did and what it holds', async () => {
      const article = await seedArticle(server.database.db, clock, 'Counted story');
      const before = await scrape(server.origin);
      await kept(server.origin, article.path);
      await anonymous(server.origin, article.path);
      await anonymous(server.origin, article.path, { cookie: 'bs_comments=x' });
      const after = await scrape(server.origin);
      const delta = (result: string) => sample(after, `broadsheet_page_cache_requests_total{result="${result}"}`)! - sample(before, `broadsheet_page_cache_requests_total{result="${result}"}`)!;
      assert.ok(delta('hit') >= 2, `hits ${delta('hit')}`);
      assert.ok(delta('miss') >= 1, `misses ${delta('miss')}`);
      assert.ok(delta('bypass') >= 1, `bypasses ${delta('bypass')}`);
      assert.ok(sample(after, 'broadsheet_page_cache_entries')! >= 1);
      assert.ok(sample(after, 'broadsheet_page_cache_bytes')! > 1024);
    });

    test('a new section is in the navigation of pages already cached', async () => {
      const article = await seedArticle(server.database.db, clock, 'Navigation story');
      await anonymous(server.origin, article.path);
      await kept(server.origin, article.path);
      const saved = await submitForm(clients.admin, '/admin/taxonomy', '/admin/sections', { name: 'Weather', slug: 'weather', description: '', position: '9' });
      assert.equal(saved.response.status, 303);
      const page = await anonymous(server.origin, article.path);
      assert.equal(page.header('x-page-cache'), 'MISS');
      assert.ok(parsePage(page.html).querySelector('a[href="/section/weather"]'), 'the new section is in the navigation');
    });
  });
}

describe('caching switches', () => {
  test('PAGE_CACHE_MB=0 keeps the headers but no pages; SHARED_CACHE_SECONDS=0 keeps pages out of shared caches', async () => {
    const clock = new TestClock('2026-12-01T08:00:00Z');
    const server = await startTestServer('sqlite', { clock, env: { PAGE_CACHE_MB: '0', SHARED_CACHE_SECONDS: '0' } });
    try {
      const article = await seedArticle(server.database.db, clock, 'Uncached story');
      for (let i = 0; i < 2; i += 1) {
        const page = await anonymous(server.origin, article.path);
        assert.equal(page.header('x-page-cache'), 'BYPASS');
        assert.equal(page.header('cache-control'), 'private, no-cache');
        assert.ok(page.header('etag'));
        assert.ok(page.header('surrogate-key'));
      }
    } finally {
      await server.close();
    }
  });

  test('without {path}, the purge hook sends one PURGE naming the surrogate keys', async () => {
    const clock = new TestClock('2026-12-01T08:00:00Z');
    const receiver = await purgeReceiver();
    const server = await startTestServer('sqlite', { clock, env: { PURGE_URL: `${receiver.origin}/xkey` } });
    try {
      const clients = await signedInClients(server.database.db, clock, server.origin, ['editor', 'admin']);
      assert.equal((await submitForm(clients.admin, '/admin/taxonomy', '/admin/sections', { name: 'World', slug: 'world', description: '', position: '1' })).response.status, 303);
      const created = await saveArticleVia(clients.editor, '/admin/articles/new', 'publish', articleFields({ headline: 'Keyed purge story', section: 'world' }));
      assert.equal(created.response.status, 303);
      const id = articleIdFrom(created.response);
      const purge = await eventually(async () => receiver.received.find((r) => r.url === '/xkey' && String(r.headers['surrogate-key']).split(' ').includes(`article-${id}`)));
      assert.equal(purge.method, 'PURGE');
      const keys = String(purge.headers['surrogate-key']).split(' ');
      for (const key of [`article-${id}`, 'front', 'search', 'sitemap']) assert.ok(keys.includes(key), `${key} in ${keys.join(' ')}`);
      assert.ok(keys.some((k) => /^section-\d+$/.test(k)), 'the section list');
      assert.equal(purge.headers['xkey-purge'], purge.headers['surrogate-key']);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
