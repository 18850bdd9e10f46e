import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { apiRequest, newsroomUser, tokenFor } from '../../test/support/api.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, csrfTokenOf, parsePage } from '../../test/support/http.ts';
import { signIn } from '../../test/support/newsroom.ts';
import { systemClock } from '../lib/clock.ts';
import { createUser } from '../newsroom/accounts.ts';
import { saveArticle } from './service.ts';

const SITE = 'http://news.example.test';
const PASSWORD = 'pages test password';

/** The parsed JSON-LD objects of a page. */
function jsonLdOf(page: Document): { '@type': string; url?: string }[] {
  return [...page.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent ?? ''));
}

for (const dialect of DIALECTS) {
  describe(`pages (About us, Contact) [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let token: string;
    const reader = () => new Client(server.origin);

    before(async () => {
      server = await startTestServer(dialect);
      const deps = { db: server.database.db, clock: systemClock };
      // Section, tag and byline on the page too: being in a section or under a tag must not list it.
      const common = { status: 'published' as const, section: { name: 'World' }, tags: ['Harbour'], authors: [{ name: 'Jane Doe' }] };
      await saveArticle(deps, { ...common, headline: 'Harbour reopens after storm', bodyHtml: '<p>Boats returned to the harbour on Monday.</p>', dateline: 'DOVER' });
      await saveArticle(deps, { ...common, kind: 'page', headline: 'About us', bodyHtml: '<p>The World News is an independent harbour newspaper.</p>', commentStatus: 'closed' });
      await saveArticle(deps, { status: 'published', kind: 'page', headline: 'Contact', bodyHtml: '<p>Write to the newsroom.</p>' });
      token = await tokenFor(server.database.db, systemClock, await newsroomUser(server.database.db, systemClock, 'editor'), ['content:read']);
    });
    after(() => server.close());

    test('a published page: 200 at /pages/slug, page template without byline, dateline or kicker, WebPage JSON-LD', async () => {
      const { response, html } = await reader().get('/pages/about-us');
      assert.equal(response.status, 200);
      const page = parsePage(html);
      assert.equal(page.querySelector('h1')?.textContent, 'About us');
      assert.match(page.querySelector('.article-body')?.textContent ?? '', /independent harbour newspaper/);
      for (const absent of ['.byline', '.dateline', '.kicker', '.article-tags', '#comments']) assert.equal(page.querySelector(absent), null, absent);
      assert.equal(page.querySelector('link[rel="canonical"]')?.getAttribute('href'), `${SITE}/pages/about-us`);
      assert.equal(page.querySelector('meta[property="og:type"]')?.getAttribute('content'), 'website');
      assert.equal(page.querySelector('meta[property^="article:"]'), null);
      const types = jsonLdOf(page).map((d) => d['@type']);
      assert.ok(types.includes('WebPage'), types.join());
      assert.ok(!types.includes('NewsArticle'), types.join());
      assert.equal(jsonLdOf(page).find((d) => d['@type'] === 'WebPage')?.url, `${SITE}/pages/about-us`);
    });

    test('a page with comments open shows its comments section; the article keeps its NewsArticle', async () => {
      const contact = parsePage((await reader().get('/pages/contact')).html);
      assert.ok(contact.querySelector('#comments'), 'comments section on an open page');
      const { response, html } = await reader().get('/articles/harbour-reopens-after-storm');
      assert.equal(response.status, 200);
      assert.ok(jsonLdOf(parsePage(html)).some((d) => d['@type'] === 'NewsArticle'));
    });

    test('a wrong guess never 404s: /articles/ of a page and /pages/ of an article answer 301, query kept', async () => {
      const toPage = await reader().get('/articles/about-us?ref=footer');
      assert.equal(toPage.response.status, 301);
      assert.equal(toPage.response.headers.get('location'), '/pages/about-us?ref=footer');
      const toArticle = await reader().get('/pages/harbour-reopens-after-storm');
      assert.equal(toArticle.response.status, 301);
      assert.equal(toArticle.response.headers.get('location'), '/articles/harbour-reopens-after-storm');
      assert.equal((await reader().get('/pages/no-such-page')).response.status, 404);
    });

    test('never listed: front page, section, tag and author archives, feeds and the news sitemap', async () => {
      for (const path of ['/', '/section/world', '/tag/harbour', '/author/jane-doe', '/feed.xml', '/feed.json', '/section/world/feed.atom', '/tag/harbour/feed.xml', '/author/jane-doe/feed.xml', '/sitemaps/news.xml']) {
        const { response, html } = await reader().get(path);
        assert.equal(response.status, 200, path);
        assert.match(html, /harbour-reopens-after-storm/, `${path} lists the article`);
        assert.doesNotMatch(html, /about-us|\/pages\//, `${path} lists no page`);
      }
    });

    test('in the article sitemap and in search results, at its /pages/ address', async () => {
      const sitemap = (await reader().get('/sitemaps/articles-1.xml')).html;
      assert.match(sitemap, /<loc>http:\/\/news\.example\.test\/pages\/about-us<\/loc>/);
      assert.match(sitemap, /<loc>http:\/\/news\.example\.test\/articles\/harbour-reopens-after-storm<\/loc>/);
      const results = parsePage((await reader().get('/search?q=independent')).html);
      assert.deepEqual([...results.querySelectorAll('.search-result h2 a')].map((a) => a.getAttribute('href')), ['/pages/about-us']);
    });

    test('content API: kind on every article, pages only with ?kind=page, url at /pages/', async () => {
      const list = await apiRequest(server.origin, 'GET', '/api/v1/articles', { token });
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.data.map((a: { slug: string; kind: string }) => [a.slug, a.kind]), [['harbour-reopens-after-storm', 'article']]);
      const pages = await apiRequest(server.origin, 'GET', '/api/v1/articles?kind=page&fields=slug,kind,url', { token });
      assert.equal(pages.status, 200);
      assert.deepEqual(pages.body.data, [
        { slug: 'contact', kind: 'page', url: `${SITE}/pages/contact` },
        { slug: 'about-us', kind: 'page', url: `${SITE}/pages/about-us` },
      ]);
      const one = await apiRequest(server.origin, 'GET', '/api/v1/articles/about-us?fields=kind,url', { token });
      assert.deepEqual(one.body.data, { kind: 'page', url: `${SITE}/pages/about-us` });
      assert.equal((await apiRequest(server.origin, 'GET', '/api/v1/articles?kind=pages', { token })).status, 400);
    });

    test('the newsroom creates a page (comments closed by default), lists it by kind, and can make it an article', async () => {
      await createUser({ db: server.database.db, clock: systemClock, secret: 's' }, { email: 'pages.editor@example.com', displayName: 'Page Editor', role: 'editor', password: PASSWORD });
      const editor = new Client(server.origin);
      assert.equal((await signIn(editor, 'pages.editor@example.com', PASSWORD)).response.status, 303);

      const form = parsePage((await editor.get('/admin/articles/new?kind=page')).html);
      assert.equal(form.querySelector('h1')?.textContent, 'New page');
      assert.equal(form.querySelector('#kind option[selected]')?.getAttribute('value'), 'page');
      assert.equal(form.querySelector('#comment_status option[selected]')?.getAttribute('value'), 'closed');
      const fields = { headline: 'Corrections policy', dek: '', slug: '', body_html: '<p>We correct errors promptly.</p>', dateline: '', section: '', tags: '', authors: '', credits: '', publish_at: '', version: '' };
      const created = await editor.postForm('/admin/articles', { ...fields, kind: 'page', comment_status: 'closed', action: 'publish', _csrf: csrfTokenOf(form) });
      assert.equal(created.response.status, 303);
      const id = Number(/\/admin\/articles\/(\d+)/.exec(created.response.headers.get('location') ?? '')?.[1]);

      const published = parsePage((await reader().get('/pages/corrections-policy')).html);
      assert.equal(published.querySelector('h1')?.textContent, 'Corrections policy');
      assert.equal(published.querySelector('#comments'), null);
      assert.doesNotMatch((await reader().get('/')).html, /corrections-policy/);

      const editorPage = parsePage((await editor.get(`/admin/articles/${id}`)).html);
      assert.equal(editorPage.querySelector('#kind option[selected]')?.getAttribute('value'), 'page');
      assert.equal(editorPage.querySelector('.editor-status a[href^="/pages/"]')?.getAttribute('href'), '/pages/corrections-policy');
      const listed = parsePage((await editor.get('/admin?kind=page')).html);
      const rows = [...listed.querySelectorAll('.admin-table tbody tr')];
      assert.deepEqual(rows.map((r) => r.querySelector('td[data-label="Kind"]')?.textContent), ['page', 'page', 'page']);
      assert.ok(listed.querySelector('a.view-link[href="/pages/corrections-policy"]'));

      // Made an article, it moves to /articles/ (the /pages/ address redirects) and onto the front page.
      const version = editorPage.querySelector('input[name="version"]')?.getAttribute('value') ?? '';
      const changed = await editor.postForm(`/admin/articles/${id}`, { ...fields, kind: 'article', comment_status: 'closed', version, action: 'publish', _csrf: csrfTokenOf(editorPage) });
      assert.equal(changed.response.status, 303);
      assert.equal((await reader().get('/articles/corrections-policy')).response.status, 200);
      assert.equal((await reader().get('/pages/corrections-policy')).response.headers.get('location'), '/articles/corrections-policy');
      assert.match((await reader().get('/')).html, /\/articles\/corrections-policy/);
    });
  });
}
