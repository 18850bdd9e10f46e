import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { Client, parsePage } from '../../../test/support/http.ts';
import { loadReaderPages, MARKUP_DEK, MARKUP_HEADLINE, type ReaderPages } from '../../../test/support/reader-pages.ts';

const SITE = 'http://news.example.test';
/** ISO-8601 date-time with an explicit zone (Z or ±hh:mm), as Google's Article structured data requires. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Json = Record<string, any>;

/** `<meta property|name>` contents by key (repeated keys keep every value in order). */
function metaOf(page: Document): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const el of page.querySelectorAll('head meta[property], head meta[name]')) {
    const key = el.getAttribute('property') ?? el.getAttribute('name')!;
    map.set(key, [...(map.get(key) ?? []), el.getAttribute('content') ?? '']);
  }
  return map;
}

function jsonLdOf(page: Document): Json[] {
  return [...page.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent ?? ''));
}

function assertSiteUrl(value: unknown, what: string): void {
  assert.equal(typeof value, 'string', what);
  assert.equal(new URL(value as string).origin, SITE, `${what} is absolute on the site: ${value}`);
}

for (const dialect of DIALECTS) {
  describe(`page metadata over HTTP [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let content: ReaderPages;
    let client: Client;
    /** GETs a path of the site (absolute site URLs are mapped onto the test server). */
    const get = (pathOrUrl: string) => client.get(pathOrUrl.startsWith(SITE) ? pathOrUrl.slice(SITE.length) : pathOrUrl);

    before(async () => {
      server = await startTestServer(dialect);
      content = await loadReaderPages(server);
      client = new Client(server.origin);
    });
    after(() => server.close());

    test('article page: canonical, description, Open Graph and Twitter card, markup in the headline kept as text', async () => {
      const { html } = await get(content.marked.path);
      const page = parsePage(html);
      const canonical = `${SITE}${content.marked.path}`;
      assert.equal(page.querySelector('link[rel="canonical"]')?.getAttribute('href'), canonical);
      const meta = metaOf(page);
      const one = (key: string) => {
        assert.equal(meta.get(key)?.length, 1, key);
        return meta.get(key)![0]!;
      };
      assert.equal(one('description'), MARKUP_DEK);
      assert.equal(one('og:type'), 'article');
      assert.equal(one('og:title'), MARKUP_HEADLINE);
      assert.equal(one('og:description'), MARKUP_DEK);
      assert.equal(one('og:url'), canonical);
      assert.equal(one('og:site_name'), 'The World News');
      assert.equal(one('og:locale'), 'en_US');
      assert.equal(one('og:image:alt'), 'Boats "leaving" <the> harbour');
      assert.match(one('article:published_time'), ISO_WITH_ZONE);
      assert.match(one('article:modified_time'), ISO_WITH_ZONE);
      assert.equal(one('article:section'), 'World');
      assert.deepEqual(meta.get('article:tag'), content.tags.map((t) => t.name));
      assert.deepEqual(meta.get('article:author'), content.authors.map((a) => `${SITE}/author/${a.slug}`));
      assert.equal(one('twitter:card'), 'summary_large_image');
      assert.equal(one('twitter:image'), one('og:image'));

      // og:image is a real image of the stated size.
      assertSiteUrl(one('og:image'), 'og:image');
      const image = await fetch(server.origin + new URL(one('og:image')).pathname);
      assert.equal(image.status, 200);
      const size = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
      assert.deepEqual([String(size.width), String(size.height)], [one('og:image:width'), one('og:image:height')]);

      // Nothing in the head escaped its element: exactly the tags put there, one title.
      assert.equal(page.querySelectorAll('title').length, 1);
      assert.equal(page.querySelectorAll('script:not([type="application/ld+json"])').length, 0, 'no executable script from the headline');
      assert.equal(page.querySelector('h1')?.textContent, MARKUP_HEADLINE);
    });

    test('article page: NewsArticle and BreadcrumbList JSON-LD with every field, absolute URLs and zoned dates', async () => {
      const { html } = await get(content.marked.path);
      const canonical = `${SITE}${content.marked.path}`;
      const blocks = jsonLdOf(parsePage(html));
      assert.deepEqual(blocks.map((b) => b['@type']), ['NewsArticle', 'BreadcrumbList']);
      for (const b of blocks) assert.equal(b['@context'], 'https://schema.org');
      // `<` never appears raw inside a JSON-LD block, so `</script>` and `<!--` cannot break out.
      for (const raw of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) assert.doesNotMatch(raw[1]!, /</);

      const news = blocks[0]!;
      assert.equal(news.headline, MARKUP_HEADLINE);
      assert.equal(news.description, MARKUP_DEK);
      assert.ok(Array.isArray(news.image) && news.image.length > 0, 'image is a non-empty array');
      for (const url of news.image) {
        assertSiteUrl(url, 'image');
        assert.equal((await fetch(server.origin + new URL(url).pathname)).status, 200, url);
      }
      assert.match(news.datePublished, ISO_WITH_ZONE);
      assert.match(news.dateModified, ISO_WITH_ZONE);
      assert.ok(news.dateModified >= news.datePublished);
      assert.deepEqual(
        news.author,
        content.authors.map((a) => ({ '@type': 'Person', name: a.name, url: `${SITE}/author/${a.slug}` })),
      );
      for (const author of news.author) assert.equal((await get(author.url)).response.status, 200, author.url);
      assert.equal(news.publisher['@type'], 'Organization');
      assert.equal(news.publisher.name, 'The World News');
      assert.equal(news.publisher.logo['@type'], 'ImageObject');
      assertSiteUrl(news.publisher.logo.url, 'publisher.logo.url');
      const logo = await fetch(server.origin + new URL(news.publisher.logo.url).pathname);
      assert.equal(logo.status, 200);
      assert.equal(logo.headers.get('content-type'), 'image/png');
      const logoSize = await sharp(Buffer.from(await logo.arrayBuffer())).metadata();
      assert.deepEqual([logoSize.width, logoSize.height], [news.publisher.logo.width, news.publisher.logo.height]);
      assert.ok(logoSize.width! >= 112 && logoSize.height! >= 112, 'Google asks for a logo of at least 112×112');
      assert.deepEqual(news.mainEntityOfPage, { '@type': 'WebPage', '@id': canonical });
      assert.equal(news.isAccessibleForFree, true);
      assert.equal(news.inLanguage, 'en');

      const crumbs = blocks[1]!.itemListElement as Json[];
      assert.deepEqual(
        crumbs.map((c) => [c['@type'], c.position, c.name, c.item]),
        [
          ['ListItem', 1, 'Home', `${SITE}/`],
          ['ListItem', 2, 'World', `${SITE}/section/world`],
          ['ListItem', 3, MARKUP_HEADLINE, canonical],
        ],
      );
    });

    test('article page with comments: the lede as description, site and comments feeds, no commenter email in any metadata', async () => {
      const { html } = await get(content.seed.path);
      const page = parsePage(html);
      assert.ok(page.querySelector(`#comment-${content.commentIds[0]}`), 'the comments are on the page');
      assert.match(metaOf(page).get('description')?.[0] ?? '', /^Days after returning from a trip to Europe/);
      assert.deepEqual(
        [...page.querySelectorAll('link[rel="alternate"]')].map((l) => [l.getAttribute('type'), l.getAttribute('href')]),
        [
          ['application/rss+xml', '/feed.xml'],
          ['application/atom+xml', '/feed.atom'],
          ['application/feed+json', '/feed.json'],
          ['application/rss+xml', `${content.seed.path}/comments/feed.xml`],
        ],
      );
      const news = jsonLdOf(page)[0]!;
      assert.deepEqual(news.author, [{ '@type': 'Organization', name: 'The World News', url: `${SITE}/` }], 'no byline: the publication');
      const head = page.querySelector('head')!.outerHTML;
      for (const email of content.commenterEmails) {
        assert.ok(!head.includes(email), `${email} not in <head>`);
        assert.ok(!JSON.stringify(jsonLdOf(page)).includes(email), `${email} not in JSON-LD`);
        assert.ok(!html.includes(email), `${email} nowhere on the page`);
      }
    });

    test('front, section, tag and author pages: canonical, description, website card and their own feeds', async () => {
      const [jane] = content.authors;
      const [, ports] = content.tags;
      const cases = [
        { path: '/', description: 'Latest news from The World News.', feeds: ['/feed.xml', '/feed.atom', '/feed.json'] },
        { path: '/section/world', description: 'The latest World stories from The World News.', feeds: ['/section/world/feed.xml', '/section/world/feed.atom', '/section/world/feed.json'] },
        { path: `/tag/${ports!.slug}`, description: `Stories about ${ports!.name} from The World News.`, feeds: ['xml', 'atom', 'json'].map((ext) => `/tag/${ports!.slug}/feed.${ext}`) },
        { path: `/author/${jane!.slug}`, description: 'Jane covers the coast.', feeds: ['xml', 'atom', 'json'].map((ext) => `/author/${jane!.slug}/feed.${ext}`) },
      ];
      for (const { path, description, feeds } of cases) {
        const { response, html } = await get(path);
        assert.equal(response.status, 200, path);
        const page = parsePage(html);
        const meta = metaOf(page);
        assert.equal(page.querySelector('link[rel="canonical"]')?.getAttribute('href'), `${SITE}${path}`, path);
        assert.deepEqual(meta.get('description'), [description], path);
        assert.deepEqual(meta.get('og:type'), ['website'], path);
        assert.deepEqual(meta.get('og:url'), [`${SITE}${path}`], path);
        assert.deepEqual(meta.get('og:site_name'), ['The World News'], path);
        assert.deepEqual(meta.get('twitter:card'), ['summary'], path);
        assert.deepEqual(
          [...page.querySelectorAll('link[rel="alternate"]')].map((l) => [l.getAttribute('type'), l.getAttribute('href')]),
          feeds.map((href, i) => [['application/rss+xml', 'application/atom+xml', 'application/feed+json'][i], href]),
          path,
        );
        assert.deepEqual(jsonLdOf(page).map((b) => b['@type']), path === '/' ? ['NewsMediaOrganization'] : [], path);
      }
    });

    test('every autodiscovery link answers with a feed of its stated type', async () => {
      const pages = ['/', '/section/world', `/tag/${content.tags[1]!.slug}`, `/author/${content.authors[0]!.slug}`, content.seed.path, content.marked.path];
      for (const path of pages) {
        const links = [...parsePage((await get(path)).html).querySelectorAll('link[rel="alternate"]')];
        assert.ok(links.length >= 3, path);
        for (const link of links) {
          const href = link.getAttribute('href')!;
          const { response } = await get(href);
          assert.equal(response.status, 200, `${path} → ${href}`);
          assert.equal(response.headers.get('content-type')?.split(';')[0], link.getAttribute('type'), `${path} → ${href}`);
        }
      }
    });

    test('an older page of a listing is its own canonical; request text never reaches the head', async () => {
      const cursor = '2026-11-29T10:00:00.000Z_5';
      const { html } = await get(`/section/world?before=${cursor}&x="><script>`);
      const page = parsePage(html);
      assert.equal(page.querySelector('link[rel="canonical"]')?.getAttribute('href'), `${SITE}/section/world?before=${encodeURIComponent(cursor)}`);
      assert.deepEqual(metaOf(page).get('og:url'), [`${SITE}/section/world?before=${encodeURIComponent(cursor)}`]);
      const junk = parsePage((await get('/section/world?before=%22%3E%3Cscript%3E')).html);
      assert.equal(junk.querySelector('link[rel="canonical"]')?.getAttribute('href'), `${SITE}/section/world`, 'a bad cursor is the first page');
    });
  });
}
