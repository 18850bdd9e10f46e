import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importCaptureFile } from '../importers/import-capture.ts';
import { systemClock } from '../lib/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { SEED_CREDIT, SEED_HEADLINE, SEED_PARAGRAPHS, SEED_PATH, SEED_SLUG } from '../../test/support/seed.ts';

for (const dialect of DIALECTS) {
  describe(`article page over HTTP [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
      await importCaptureFile({ db: server.database.db, clock: systemClock }, SEED_PATH, { siteName: server.config.siteName, section: 'World' });
    });
    after(() => server.close());

    test('the seed article: title, one h1, 22 paragraphs as articleBody, then the credit', async () => {
      const { response, html } = await new Client(server.origin).get(`/articles/${SEED_SLUG}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
      const page = parsePage(html);
      assert.equal(page.querySelector('title')?.textContent, `${SEED_HEADLINE} - The World News`);
      const h1s = page.querySelectorAll('h1');
      assert.equal(h1s.length, 1);
      assert.equal(h1s[0]!.textContent, SEED_HEADLINE);

      const bodies = page.querySelectorAll('[itemprop="articleBody"]');
      assert.equal(bodies.length, 1);
      const children = [...bodies[0]!.children];
      assert.deepEqual(children.map((el) => el.tagName), Array(22).fill('P'));
      assert.deepEqual(children.map((el) => el.textContent), SEED_PARAGRAPHS);
      assert.doesNotMatch(bodies[0]!.textContent ?? '', /Add a Comment|contributed research/);

      const credit = page.querySelector('.article-credits .credit');
      assert.equal(credit?.textContent, SEED_CREDIT);
      // The credit follows the body in document order.
      assert.ok(bodies[0]!.compareDocumentPosition(credit as Node) & 4 /* DOCUMENT_POSITION_FOLLOWING */);

      const time = page.querySelector('.dateline time[datetime]');
      assert.ok(time && !Number.isNaN(Date.parse(time.getAttribute('datetime')!)));
      assert.match(page.querySelector('.byline')?.textContent ?? '', /^By /);
      assert.equal(page.querySelector('.kicker a')?.getAttribute('href'), '/section/world');
      assert.equal(page.querySelector('link[rel="canonical"]')?.getAttribute('href'), `http://news.example.test/articles/${SEED_SLUG}`);
    });

    test('the article is listed on the front page and its section page', async () => {
      const client = new Client(server.origin);
      for (const path of ['/', '/section/world']) {
        const { response, html } = await client.get(path);
        assert.equal(response.status, 200, path);
        assert.ok(parsePage(html).querySelector(`a[href="/articles/${SEED_SLUG}"]`), `${path} links the article`);
      }
    });

    test('odd addresses and cursors never break a page or put request text on it', async () => {
      const client = new Client(server.origin);
      for (const query of ['?before=2026-11-29T10:00:00.000Z_1&before=x', '?before=2026-11-29T10:00:00.000Z_2147483648', '?before=2026-11-29T10:00:00.000Z_99999999999999999999', '?before=garbage']) {
        const { response } = await client.get(`/section/world${query}`);
        assert.equal(response.status, 200, query);
      }
      const echo = await client.get('/section/%22%20has%20moved.%20Log%20in%20at%20evil.example');
      assert.equal(echo.response.status, 404);
      assert.doesNotMatch(echo.html, /evil\.example|has moved\./);
      for (const [path, status] of [['/articles/%ZZ', 400], [`/articles/${'a'.repeat(600)}`, 414], ['/articles/%00', 404]] as const) {
        const { response, html } = await client.get(path);
        assert.equal(response.status, status, path);
        assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
        assert.ok(!html.includes('\u0000'));
      }
      const reload = await client.get(`/articles/${SEED_SLUG}/comments`);
      assert.equal(reload.response.status, 303);
      assert.equal(reload.response.headers.get('location'), `/articles/${SEED_SLUG}#respond`);
    });

    test('pages carry security headers: strict CSP without inline scripts, no framing, nosniff', async () => {
      const { response } = await new Client(server.origin).get(`/articles/${SEED_SLUG}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
    });

    test('unknown article, section, author and tag give the 404 page', async () => {
      const client = new Client(server.origin);
      for (const path of ['/articles/no-such-story', '/section/nope', '/author/nobody', '/tag/none', '/no/route/here']) {
        const { response, html } = await client.get(path);
        assert.equal(response.status, 404, path);
        assert.equal(parsePage(html).querySelector('h1')?.textContent, 'Page not found');
      }
    });
  });
}
