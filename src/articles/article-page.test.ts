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
