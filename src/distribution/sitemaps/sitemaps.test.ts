/**
 * Sitemaps and robots.txt over real HTTP, every file checked by xmllint against the sitemaps.org 0.9 schemas with
 * the Google News and image extensions: the index, article pages split at SITEMAP_PAGE_SIZE, listing pages, the
 * 48-hour news sitemap (moved through time with a TestClock), and nothing readers cannot see.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from 'linkedom';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { addArticle, addFeaturedImage, TRICKY_HEADLINE } from '../../../test/support/distribution-seed.ts';
import { xmllintErrors } from '../../../test/support/feed-consumers.ts';
import { distributionPaths } from '../paths.ts';

const SITE = 'http://news.example.test';
const HOUR = 3_600_000;

/** Fetches a sitemap, asserts 200, XML type and xmllint validity; returns its parsed document. */
async function sitemap(server: TestServer, path: string, kind: 'index' | 'urlset'): Promise<Document> {
  const response = await fetch(server.origin + path);
  assert.equal(response.status, 200, path);
  assert.equal(response.headers.get('content-type'), 'application/xml; charset=utf-8', path);
  const xml = await response.text();
  assert.equal(xmllintErrors(xml, kind), '', `${path} validates`);
  return new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
}

const texts = (parent: Document | Element, tag: string): string[] => [...parent.getElementsByTagName(tag)].map((e) => e.textContent ?? '');
/** `<url>` entries as loc → the text of `tag` inside it. */
const byLoc = (doc: Document, tag: string): Record<string, string | undefined> => Object.fromEntries([...doc.getElementsByTagName('url')].map((u) => [texts(u, 'loc')[0], texts(u, tag)[0]]));

for (const dialect of DIALECTS) {
  describe(`sitemaps and robots.txt [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-02T09:00:00.000Z');
    const ago = (hours: number) => new Date(clock.now().getTime() - hours * HOUR).toISOString();
    const articles: { slug: string; publishedAt: string }[] = [];
    const revisedAt = '2026-12-02T08:50:00.000Z';
    const world = { name: 'World', slug: 'world' };

    before(async () => {
      server = await startTestServer(dialect, { clock, env: { SITEMAP_PAGE_SIZE: '2' } });
      const publish = async (headline: string, hours: number, extra: object = {}) => {
        const saved = await addArticle(server, clock, { headline, publishedAt: ago(hours), ...extra });
        articles.push({ slug: saved.slug, publishedAt: ago(hours) });
        return saved;
      };
      await publish('Three days old', 72, { section: world, tags: ['Harbours'], authors: [{ name: 'Ada Lovelace', slug: 'ada-lovelace' }] });
      const revised = await publish('Fifty hours old, revised since', 50, { section: { name: 'City', slug: 'city' } });
      await server.database.db.updateTable('articles').set({ revised_at: revisedAt }).where('id', '=', revised.id).execute();
      await publish('Forty-seven hours old', 47);
      await publish('An hour old', 1, { section: world, tags: ['Harbours'] });
      const tricky = await publish(TRICKY_HEADLINE, 0.5, { section: world, authors: [{ name: 'Ada Lovelace', slug: 'ada-lovelace' }] });
      await addFeaturedImage(server, clock, tricky.id, { alt: 'Boats at dawn', caption: 'The harbour & its boats' });
      await addArticle(server, clock, { headline: 'Embargoed', status: 'scheduled', publishedAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString(), tags: ['Secret tag'], authors: [{ name: 'Secret Writer', slug: 'secret-writer' }] });
      await addArticle(server, clock, { headline: 'A draft', status: 'draft', authors: [{ name: 'Draft Author', slug: 'draft-author' }] });
      await addArticle(server, clock, { headline: 'Withdrawn', status: 'unpublished', publishedAt: ago(3) });
    });
    after(() => server.close());

    test('robots.txt names the sitemap index by absolute URL and keeps crawlers out of the newsroom', async () => {
      const response = await fetch(server.origin + distributionPaths.robots());
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(await response.text(), `User-agent: *\nDisallow: /admin\n\nSitemap: ${SITE}/sitemap.xml\n`);
    });

    test('the index lists article pages split at the page size, every visible article once, oldest first, with lastmod', async () => {
      const index = await sitemap(server, distributionPaths.sitemapIndex(), 'index');
      const pages = [1, 2, 3].map((n) => `${SITE}${distributionPaths.sitemapPage(n)}`);
      assert.deepEqual(texts(index, 'loc'), [...pages, `${SITE}/sitemaps/pages.xml`, `${SITE}/sitemaps/news.xml`]);
      const listed: string[] = [];
      const lastmods: Record<string, string | undefined> = {};
      for (const n of [1, 2, 3]) {
        const page = await sitemap(server, distributionPaths.sitemapPage(n), 'urlset');
        const locs = texts(page, 'loc');
        assert.ok(locs.length <= 2, `page ${n} holds at most SITEMAP_PAGE_SIZE URLs`);
        listed.push(...locs);
        Object.assign(lastmods, byLoc(page, 'lastmod'));
      }
      assert.deepEqual(listed, articles.map((a) => `${SITE}/articles/${a.slug}`));
      assert.equal(lastmods[listed[1]!], revisedAt, 'lastmod is the revision time when there is one');
      assert.equal(lastmods[listed[0]!], articles[0]!.publishedAt);
      assert.deepEqual(texts(index, 'lastmod').slice(0, 3), [revisedAt, articles[3]!.publishedAt, articles[4]!.publishedAt]);
      for (const path of ['/sitemaps/articles-4.xml', '/sitemaps/articles-0.xml', '/sitemaps/articles-01.xml', '/sitemaps/articles-x.xml', '/sitemaps/articles-.xml', '/sitemaps/articles-99999999999.xml']) {
        assert.equal((await fetch(server.origin + path)).status, 404, path);
      }
    });

    test('featured images are image:image entries with absolute addresses', async () => {
      const page = await sitemap(server, distributionPaths.sitemapPage(3), 'urlset');
      const url = [...page.getElementsByTagName('url')].find((u) => texts(u, 'loc')[0] === `${SITE}/articles/${articles[4]!.slug}`)!;
      const [image] = texts(url, 'image:loc');
      assert.match(image ?? '', new RegExp(`^${SITE}/media/.+\\.jpg$`));
      assert.equal((await fetch(server.origin + new URL(image!).pathname)).status, 200);
      assert.deepEqual(texts(url, 'image:caption'), ['The harbour & its boats']);
    });

    test('the pages sitemap: front page, every section, and only tags and authors with something public', async () => {
      const pages = await sitemap(server, distributionPaths.sitemapPages(), 'urlset');
      const tagSlug = (await server.database.db.selectFrom('tags').select('slug').where('name', '=', 'Harbours').executeTakeFirstOrThrow()).slug;
      assert.deepEqual(texts(pages, 'loc'), [`${SITE}/`, `${SITE}/section/city`, `${SITE}/section/world`, `${SITE}/tag/${tagSlug}`, `${SITE}/author/ada-lovelace`]);
      const lastmods = byLoc(pages, 'lastmod');
      assert.equal(lastmods[`${SITE}/`], articles[4]!.publishedAt);
      assert.equal(lastmods[`${SITE}/tag/${tagSlug}`], articles[3]!.publishedAt);
    });

    test('the news sitemap holds the last 48 hours, newest first, with publication name and language, date and exact title', async () => {
      const news = await sitemap(server, distributionPaths.newsSitemap(), 'urlset');
      const recent = articles.slice(2).reverse();
      assert.deepEqual(texts(news, 'loc'), recent.map((a) => `${SITE}/articles/${a.slug}`));
      assert.deepEqual(texts(news, 'news:title'), [TRICKY_HEADLINE, 'An hour old', 'Forty-seven hours old']);
      assert.deepEqual(texts(news, 'news:publication_date'), recent.map((a) => a.publishedAt));
      assert.deepEqual([...new Set(texts(news, 'news:name'))], ['The World News']);
      assert.deepEqual([...new Set(texts(news, 'news:language'))], ['en']);

      const british = await startTestServer(dialect, { clock, env: { SITE_LANGUAGE: 'en-GB', SITE_NAME: 'The Harbour & Times' }, shareDatabaseOf: server });
      try {
        const other = await sitemap(british, distributionPaths.newsSitemap(), 'urlset');
        assert.deepEqual([...new Set(texts(other, 'news:language'))], ['en'], 'Google News takes the ISO 639 code');
        assert.deepEqual([...new Set(texts(other, 'news:name'))], ['The Harbour & Times']);
      } finally {
        await british.close();
      }
    });

    test('as time passes, the embargoed article appears at its time and old ones leave the news sitemap', async () => {
      clock.advance(2 * HOUR + 60_000);
      const news = await sitemap(server, distributionPaths.newsSitemap(), 'urlset');
      assert.deepEqual(texts(news, 'news:title'), ['Embargoed', TRICKY_HEADLINE, 'An hour old']);
      clock.advance(48 * HOUR);
      assert.equal((await fetch(server.origin + distributionPaths.newsSitemap())).status, 404, 'no news, no news sitemap (a <urlset> needs a <url>)');
      const index = await sitemap(server, distributionPaths.sitemapIndex(), 'index');
      assert.ok(!texts(index, 'loc').includes(`${SITE}/sitemaps/news.xml`), 'an empty news sitemap is left out of the index');
      assert.equal(texts(index, 'loc').filter((l) => l.includes('/sitemaps/articles-')).length, 3, 'six visible articles, two per page');
    });
  });
}
