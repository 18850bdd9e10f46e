/**
 * Article feeds over real HTTP, read by real consumers (python3-feedparser, @rowanmanning/feed-parser, feedsmith):
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, sections, tags and authors; only what readers may see; exact
 * headlines; absolute links; RFC 822 / RFC 3339 dates; bylines without email; featured image; full text or excerpt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { addArticle, addFeaturedImage, TRICKY_HEADLINE } from '../../../test/support/distribution-seed.ts';
import { feedparser, npmParseJsonFeed, npmParseXmlFeed } from '../../../test/support/feed-consumers.ts';
import { distributionPaths, FEED_TYPES, type FeedFormat } from '../paths.ts';

const SITE = 'http://news.example.test';
const RFC_822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const minutes = (clock: TestClock, n: number): string => new Date(clock.now().getTime() + n * 60_000).toISOString();

interface JsonFeed {
  version: string;
  title: string;
  language: string;
  feed_url: string;
  items: { id: string; url: string; title: string; content_html?: string; content_text?: string; summary?: string; image?: string; date_published: string; date_modified: string; authors?: { name: string; url?: string }[]; tags?: string[] }[];
}

/** Fetches a feed; asserts 200 and its Content-Type. */
async function fetchFeed(server: TestServer, path: string, format: FeedFormat): Promise<string> {
  const response = await fetch(server.origin + path);
  assert.equal(response.status, 200, path);
  assert.equal(response.headers.get('content-type'), `${FEED_TYPES[format]}; charset=utf-8`, path);
  return response.text();
}

/** Entry titles of a feed as every consumer reads them; asserts they all agree and feedparser found nothing malformed. */
function titlesOf(body: string, format: FeedFormat): string[] {
  if (format === 'json') {
    const feed = JSON.parse(body) as JsonFeed;
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    const parsed = npmParseJsonFeed(body);
    assert.equal(parsed.format, 'json');
    assert.deepEqual((parsed.feed as { items: { title: string }[] }).items.map((i) => i.title), feed.items.map((i) => i.title));
    return feed.items.map((i) => i.title);
  }
  const fp = feedparser(body);
  assert.equal(fp.bozo, 0, fp.bozoException);
  assert.equal(fp.version, format === 'rss' ? 'rss20' : 'atom10');
  const npm = npmParseXmlFeed(body);
  assert.deepEqual(npm.items.map((i) => i.title), fp.entries.map((e) => e.title));
  return fp.entries.map((e) => e.title);
}

for (const dialect of DIALECTS) {
  describe(`article feeds [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-02T09:00:00.000Z');
    let tricky: { id: number; slug: string };
    let tram: { id: number; slug: string };
    const world = { name: 'World', slug: 'world' };

    before(async () => {
      server = await startTestServer(dialect, { clock });
      tricky = await addArticle(server, clock, {
        headline: TRICKY_HEADLINE,
        dek: 'Cod & haddock <both> "fresh"',
        bodyHtml: '<p>Fried <a href="/section/world">by the harbour</a> today.</p><p>Second paragraph.</p>',
        section: world,
        authors: [{ name: 'Ada Lovelace', slug: 'ada-lovelace' }],
        tags: ['Food & Drink'],
        publishedAt: minutes(clock, -120),
      });
      await addFeaturedImage(server, clock, tricky.id, { alt: 'Boats at dawn', caption: 'The harbour & its boats' });
      tram = await addArticle(server, clock, { headline: 'Council approves tram line', section: { name: 'City', slug: 'city' }, authors: [{ name: 'Ben Okri', slug: 'ben-okri' }], tags: ['Transport'], publishedAt: minutes(clock, -60) });
      await addArticle(server, clock, { headline: 'Embargoed budget leak', status: 'scheduled', publishedAt: minutes(clock, 120), section: world, authors: [{ name: 'Secret Writer', slug: 'secret-writer' }], tags: ['Budget secrets'] });
      await addArticle(server, clock, { headline: 'Draft about harbours', status: 'draft', section: world, authors: [{ name: 'Draft Author', slug: 'draft-author' }], tags: ['Transport'] });
      await addArticle(server, clock, { headline: 'Withdrawn story', status: 'unpublished', publishedAt: minutes(clock, -180), section: world, tags: ['Transport'] });
    });
    after(() => server.close());

    test('the site feed in every format: consumers read it, headlines round-trip exactly, only public articles, newest first', async () => {
      for (const format of ['rss', 'atom', 'json'] as const) {
        const body = await fetchFeed(server, distributionPaths.siteFeed(format), format);
        assert.deepEqual(titlesOf(body, format), ['Council approves tram line', TRICKY_HEADLINE], format);
      }
    });

    test('RSS 2.0 entries: absolute links, RFC 822 dates, byline names, categories, the featured image as enclosure, full text with absolute links', async () => {
      const body = await fetchFeed(server, '/feed.xml', 'rss');
      const pubDates = [...body.matchAll(/<pubDate>([^<]+)<\/pubDate>/g)].map((m) => m[1]!);
      assert.deepEqual(pubDates, [new Date(minutes(clock, -60)).toUTCString(), new Date(minutes(clock, -120)).toUTCString()]);
      for (const date of pubDates) assert.match(date, RFC_822);
      const entry = feedparser(body).entries.find((e) => e.title === TRICKY_HEADLINE)!;
      assert.equal(entry.link, `${SITE}/articles/${tricky.slug}`);
      assert.deepEqual(entry.authors.map((a) => a.name), ['Ada Lovelace']);
      assert.ok(entry.authors.every((a) => !a.email));
      // RSS 2.0's <author> is for an email address: bylines travel as Dublin Core creators.
      assert.doesNotMatch(body, /<author>/);
      assert.match(body, /<dc:creator>Ada Lovelace<\/dc:creator>/);
      assert.match(body, /<rss [^>]*xmlns:dc="http:\/\/purl\.org\/dc\/elements\/1\.1\/"/);
      assert.deepEqual(entry.tags, ['World', 'Food & Drink']);
      assert.equal(entry.summaryText, 'Cod & haddock <both> "fresh"', 'the dek, as HTML-escaped text');
      assert.match(entry.content[0] ?? '', new RegExp(`<a href="${SITE}/section/world">by the harbour</a>`));
      const [enclosure] = entry.enclosures;
      assert.equal(enclosure?.type, 'image/jpeg');
      assert.ok(enclosure.href.startsWith(`${SITE}/media/`), enclosure.href);
      const file = await fetch(server.origin + new URL(enclosure.href).pathname);
      assert.equal(file.status, 200);
      assert.equal(Number(enclosure.length), (await file.arrayBuffer()).byteLength, 'enclosure length is the file size in bytes');
    });

    test('Atom 1.0 and JSON Feed 1.1 entries: RFC 3339 dates, authors with their pages and no email, image, language', async () => {
      const atom = feedparser(await fetchFeed(server, '/feed.atom', 'atom'));
      const entry = atom.entries.find((e) => e.title === TRICKY_HEADLINE)!;
      assert.match(entry.published, RFC_3339);
      assert.match(entry.updated, RFC_3339);
      assert.equal(new Date(entry.published).toISOString(), minutes(clock, -120));
      assert.deepEqual(entry.authors, [{ name: 'Ada Lovelace', href: `${SITE}/author/ada-lovelace` }]);
      assert.ok(entry.id.startsWith('tag:news.example.test,'), entry.id);
      assert.equal(entry.enclosures[0]?.href.startsWith(`${SITE}/media/`), true);
      assert.equal(entry.enclosures[0]?.type, 'image/jpeg');

      const json = JSON.parse(await fetchFeed(server, '/feed.json', 'json')) as JsonFeed;
      assert.equal(json.language, 'en');
      assert.equal(json.feed_url, `${SITE}/feed.json`);
      const item = json.items.find((i) => i.title === TRICKY_HEADLINE)!;
      assert.equal(item.url, `${SITE}/articles/${tricky.slug}`);
      assert.match(item.date_published, RFC_3339);
      assert.match(item.date_modified, RFC_3339);
      assert.deepEqual(item.authors, [{ name: 'Ada Lovelace', url: `${SITE}/author/ada-lovelace` }]);
      assert.equal(item.summary, 'Cod & haddock <both> "fresh"');
      assert.ok(item.image?.startsWith(`${SITE}/media/`));
      assert.match(item.content_html ?? '', /Second paragraph/);
      for (const i of json.items) assert.ok(i.id && (i.content_html || i.content_text), 'JSON Feed 1.1: every item has an id and content');
    });

    test('section, tag and author feeds hold only their public articles, in every format', async () => {
      const tags = await server.database.db.selectFrom('tags').select(['name', 'slug']).execute();
      const slugOf = (name: string) => tags.find((t) => t.name === name)!.slug;
      const cases = [
        { path: (f: FeedFormat) => distributionPaths.sectionFeed('world', f), titles: [TRICKY_HEADLINE] },
        { path: (f: FeedFormat) => distributionPaths.sectionFeed('city', f), titles: ['Council approves tram line'] },
        { path: (f: FeedFormat) => distributionPaths.tagFeed(slugOf('Food & Drink'), f), titles: [TRICKY_HEADLINE] },
        { path: (f: FeedFormat) => distributionPaths.tagFeed(slugOf('Transport'), f), titles: ['Council approves tram line'] },
        { path: (f: FeedFormat) => distributionPaths.authorFeed('ada-lovelace', f), titles: [TRICKY_HEADLINE] },
      ];
      for (const { path, titles } of cases) {
        for (const format of ['rss', 'atom', 'json'] as const) assert.deepEqual(titlesOf(await fetchFeed(server, path(format), format), format), titles, path(format));
      }
      const atom = feedparser(await fetchFeed(server, distributionPaths.sectionFeed('city', 'atom'), 'atom'));
      assert.equal(atom.title, 'The World News: City');
      assert.equal(atom.entries[0]?.link, `${SITE}/articles/${tram.slug}`);
    });

    test('unknown sections, tags and authors, and those with nothing public yet, answer 404; odd addresses never 500', async () => {
      const notFound = [
        '/section/nowhere/feed.xml',
        '/tag/nothing/feed.atom',
        '/author/nobody/feed.json',
        '/author/draft-author/feed.xml',
        '/author/secret-writer/feed.atom',
        `/tag/${encodeURIComponent('budget-secrets')}/feed.json`,
        '/articles/no-such-article/comments/feed.xml',
      ];
      for (const path of notFound) assert.equal((await fetch(server.origin + path)).status, 404, path);
      const odd = ['/section/%E0%A4%A/feed.xml', `/tag/${'x'.repeat(600)}/feed.atom`, '/author/%2e%2e%2fadmin/feed.json', '/section/a%00b/feed.xml', "/tag/'%22%3Cscript%3E/feed.xml", '/feed.xml?format=%ZZ'];
      for (const path of odd) {
        const { status } = await fetch(server.origin + path);
        assert.ok(status < 500, `${path} answered ${status}`);
      }
    });

    test('FEED_CONTENT=excerpt: summaries only, in every format', async () => {
      const excerpts = await startTestServer(dialect, { clock, env: { FEED_CONTENT: 'excerpt' }, shareDatabaseOf: server });
      try {
        const rss = await fetchFeed(excerpts, '/feed.xml', 'rss');
        assert.doesNotMatch(rss, /content:encoded|Second paragraph/);
        const entries = feedparser(rss).entries;
        assert.equal(entries.find((e) => e.title === TRICKY_HEADLINE)?.summaryText, 'Cod & haddock <both> "fresh"');
        assert.equal(entries.find((e) => e.title === 'Council approves tram line')?.summaryText, 'Council approves tram line: the story.', 'no dek: the first paragraph');
        assert.doesNotMatch(await fetchFeed(excerpts, '/feed.atom', 'atom'), /<content|Second paragraph/);
        const json = JSON.parse(await fetchFeed(excerpts, '/feed.json', 'json')) as JsonFeed;
        assert.deepEqual(json.items.map((i) => [i.content_html, i.content_text]), [[undefined, 'Council approves tram line: the story.'], [undefined, 'Cod & haddock <both> "fresh"']]);
      } finally {
        await excerpts.close();
      }
    });

    test('a scheduled article joins the feeds at its time, never before', async () => {
      assert.doesNotMatch(await fetchFeed(server, '/feed.xml', 'rss'), /Embargoed/);
      clock.advance(121 * 60_000);
      assert.deepEqual(titlesOf(await fetchFeed(server, '/feed.xml', 'rss'), 'rss'), ['Embargoed budget leak', 'Council approves tram line', TRICKY_HEADLINE]);
      assert.deepEqual(titlesOf(await fetchFeed(server, distributionPaths.authorFeed('secret-writer', 'atom'), 'atom'), 'atom'), ['Embargoed budget leak']);
    });
  });
}
