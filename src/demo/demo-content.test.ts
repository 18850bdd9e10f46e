import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { SEED_HEADLINE, SEED_SLUG } from '../../test/support/seed.ts';
import { systemClock } from '../lib/clock.ts';
import { loadDemoContent } from './load-demo.ts';

const DEMO = JSON.parse(readFileSync(new URL('../../content/demo/articles.json', import.meta.url), 'utf8')) as {
  sections: { slug: string }[];
  authors: { slug: string; name: string }[];
  articles: { slug: string; headline: string; section: string; authors: string[] }[];
};

for (const dialect of DIALECTS) {
  describe(`demo content [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let client: Client;
    before(async () => {
      server = await startTestServer(dialect, { env: { DEMO_CONTENT: 'true' } });
      client = new Client(server.origin);
    });
    after(() => server.close());

    test('an empty database gets the seed as lead story plus every demo article, once', async () => {
      const count = async () => (await server.database.db.selectFrom('articles').select('id').execute()).length;
      assert.equal(await count(), DEMO.articles.length + 1);
      assert.equal(await loadDemoContent({ db: server.database.db, clock: systemClock, config: server.config, secret: 'x' }), 0);
      assert.equal(await count(), DEMO.articles.length + 1);
      const front = parsePage((await client.get('/')).html);
      assert.equal(front.querySelector('.story-lead .story-headline a')?.textContent, SEED_HEADLINE);
      assert.equal(front.querySelectorAll('h1').length, 1);
    });

    test('every section, author and demo article page renders with its stories', async () => {
      for (const section of DEMO.sections) {
        const { response, html } = await client.get(`/section/${section.slug}`);
        assert.equal(response.status, 200, section.slug);
        const expected = DEMO.articles.filter((a) => a.section === section.slug).map((a) => `/articles/${a.slug}`);
        const links = [...parsePage(html).querySelectorAll('.story-headline a')].map((a) => a.getAttribute('href'));
        for (const href of expected) assert.ok(links.includes(href), `${section.slug} lists ${href}`);
      }
      for (const author of DEMO.authors) {
        const { response, html } = await client.get(`/author/${author.slug}`);
        assert.equal(response.status, 200);
        assert.equal(parsePage(html).querySelector('h1')?.textContent, author.name);
        assert.equal(parsePage(html).querySelectorAll('.story').length, DEMO.articles.filter((a) => a.authors.includes(author.slug)).length);
      }
      for (const article of DEMO.articles) {
        const { response, html } = await client.get(`/articles/${article.slug}`);
        assert.equal(response.status, 200, article.slug);
        const page = parsePage(html);
        assert.equal(page.querySelector('h1')?.textContent, article.headline);
        const bylineLinks = [...page.querySelectorAll('.byline a')].map((a) => a.getAttribute('href'));
        assert.deepEqual(bylineLinks, article.authors.map((slug) => `/author/${slug}`));
        for (const tag of page.querySelectorAll('.article-tags a')) {
          const { response: tagPage } = await client.get(tag.getAttribute('href')!);
          assert.equal(tagPage.status, 200);
        }
      }
    });

    test('the seed article carries a demo thread with a reply and no commenter email', async () => {
      const { html } = await client.get(`/articles/${SEED_SLUG}`);
      const page = parsePage(html);
      assert.equal(page.querySelectorAll('.comment-list > li').length, 2);
      assert.equal(page.querySelectorAll('.comment-replies > li').length, 1);
      assert.doesNotMatch(html, /@example\.com/);
    });
  });
}
