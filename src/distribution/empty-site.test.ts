/** A new site with nothing published yet still serves feeds that parse and sitemaps that validate. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { feedparser, npmParseJsonFeed, npmParseXmlFeed, xmllintErrors } from '../../test/support/feed-consumers.ts';
import { distributionPaths } from './paths.ts';

for (const dialect of DIALECTS) {
  describe(`feeds and sitemaps of an empty site [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const text = async (path: string, status = 200) => {
      const response = await fetch(server.origin + path);
      assert.equal(response.status, status, path);
      return response.text();
    };

    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    test('feeds without entries parse cleanly', async () => {
      for (const format of ['rss', 'atom'] as const) {
        const body = await text(distributionPaths.siteFeed(format));
        const fp = feedparser(body);
        assert.equal(fp.bozo, 0, fp.bozoException);
        assert.equal(fp.title, 'The World News');
        assert.equal(npmParseXmlFeed(body).items.length, 0);
      }
      const json = await text(distributionPaths.siteFeed('json'));
      assert.deepEqual((JSON.parse(json) as { items: unknown[] }).items, []);
      assert.equal(npmParseJsonFeed(json).format, 'json');
    });

    test('the sitemap index lists the pages sitemap only, and it validates', async () => {
      const index = await text(distributionPaths.sitemapIndex());
      assert.equal(xmllintErrors(index, 'index'), '');
      assert.deepEqual([...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]), ['http://news.example.test/sitemaps/pages.xml']);
      assert.equal(xmllintErrors(await text(distributionPaths.sitemapPages()), 'urlset'), '');
      await text(distributionPaths.sitemapPage(1), 404);
      await text(distributionPaths.newsSitemap(), 404);
    });
  });
}
