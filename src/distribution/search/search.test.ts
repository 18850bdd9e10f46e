import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { saveArticle, type ArticleInput } from '../../articles/service.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { Client, parsePage } from '../../../test/support/http.ts';
import { search } from '../../../test/support/search.ts';

const NOW = '2026-12-01T12:00:00.000Z';
const HOUR = 3_600_000;
const at = (hoursFromNow: number) => new Date(Date.parse(NOW) + hoursFromNow * HOUR).toISOString();

for (const dialect of DIALECTS) {
  describe(`site search [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let client: Client;
    const clock = new TestClock(NOW);
    const save = (input: Partial<ArticleInput> & { headline: string }) =>
      saveArticle({ db: server.database.db, clock }, { status: 'published', bodyHtml: '<p>Nothing to see.</p>', publishedAt: at(-5), ...input });

    before(async () => {
      // No page cache: these tests save articles through the service directly, without the site events that
      // invalidate it (caching/http-caching.test.ts covers that).
      server = await startTestServer(dialect, { clock, env: { PAGE_CACHE_MB: '0' } });
      client = new Client(server.origin);
      await save({ headline: 'Harbour bridge reopens after repairs', bodyHtml: '<p>Traffic flows again across the span.</p>', publishedAt: at(-3) });
      await save({ headline: 'Council budget approved', bodyHtml: '<p>The harbour authority gets more money this year.</p>', publishedAt: at(-1) });
      await save({
        headline: '<script>alert("x")</script> Budget vote delayed',
        bodyHtml: '<p>Fish &amp; chips &lt;img src=x onerror=alert(1)&gt; and, again, the budget.</p>',
        publishedAt: at(-2),
      });
      await save({ headline: 'Lab results', bodyHtml: '<p>Scientists report progress.</p>', tags: ['Quantum Computing'] });
      await save({ headline: 'Café culture returns to the old town', bodyHtml: '<p>Terraces are full again.</p>', section: { name: 'Life' }, authors: [{ name: 'Ana Ruiz' }] });
      for (let n = 1; n <= 23; n++) {
        await save({ headline: `Lighthouse log ${n}`, bodyHtml: `<p>The keeper wrote entry ${n}.</p>`, publishedAt: at(-10 - n) });
      }
    });
    after(() => server.close());

    test('a headline match ranks above a newer body match; the count and the marked words are shown', async () => {
      const answer = await search(client, 'harbour');
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.slugs, ['harbour-bridge-reopens-after-repairs', 'council-budget-approved']);
      assert.equal(answer.count, '2 results');
      const [first, second] = [...answer.document.querySelectorAll('.search-result')];
      assert.deepEqual([...first!.querySelectorAll('.story-headline mark')].map((m) => m.textContent), ['Harbour']);
      assert.deepEqual([...second!.querySelectorAll('.search-excerpt mark')].map((m) => m.textContent), ['harbour']);
      assert.equal(second!.querySelector('.search-excerpt')?.textContent, 'The harbour authority gets more money this year.');
      assert.equal(answer.document.querySelector('meta[name="robots"]')?.getAttribute('content'), 'noindex, nofollow');
    });

    test('stored text is shown as text: a headline with <script> and a body with an <img> tag', async () => {
      const answer = await search(client, 'budget vote');
      assert.deepEqual(answer.slugs, ['script-alert-x-script-budget-vote-delayed']);
      const result = answer.document.querySelector('.search-result')!;
      assert.equal(result.querySelector('.story-headline')?.textContent, '<script>alert("x")</script> Budget vote delayed');
      assert.deepEqual([...result.querySelectorAll('mark')].map((m) => m.textContent), ['Budget', 'vote', 'budget']);
      assert.equal(result.querySelector('.search-excerpt')?.textContent, 'Fish & chips <img src=x onerror=alert(1)> and, again, the budget.');
      assert.equal(result.querySelectorAll('script, img, b').length, 0);
      assert.ok(answer.html.includes('&lt;script>alert') || answer.html.includes('&lt;script&gt;alert'));
    });

    test('tags are searched; words match across case and accents', async () => {
      assert.deepEqual((await search(client, 'quantum')).slugs, ['lab-results']);
      assert.deepEqual((await search(client, 'COMPUTING quantum')).slugs, ['lab-results']);
      for (const query of ['cafe', 'CAFÉ', 'café culture']) {
        const answer = await search(client, query);
        assert.deepEqual(answer.slugs, ['cafe-culture-returns-to-the-old-town'], query);
        assert.equal(answer.document.querySelector('.search-result mark')?.textContent, 'Café', query);
      }
      const card = (await search(client, 'cafe')).document.querySelector('.search-result')!;
      assert.equal(card.querySelector('.kicker a')?.getAttribute('href'), '/section/life');
      assert.equal(card.querySelector('.story-byline')?.textContent, 'By Ana Ruiz');
    });

    test('every word must match; no match shows the empty state', async () => {
      assert.deepEqual((await search(client, 'harbour budget')).slugs, ['council-budget-approved']);
      const none = await search(client, 'harbour xylophonist');
      assert.equal(none.status, 200);
      assert.deepEqual(none.slugs, []);
      assert.match(none.document.querySelector('.search-none')?.textContent ?? '', /No articles match “harbour xylophonist”/);
      for (const path of ['/search', '/search?q=', '/search?q=%20%20', '/search?page=2']) {
        const { response, html } = await client.get(path);
        assert.equal(response.status, 200, path);
        assert.ok(html.includes('Type a word or two'), path);
      }
    });

    test('pages of ten, newest first among equals, with previous and next links', async () => {
      const pages = [await search(client, 'lighthouse'), await search(client, 'lighthouse', 2), await search(client, 'lighthouse', 3)];
      assert.deepEqual(pages.map((p) => p.slugs.length), [10, 10, 3]);
      assert.deepEqual(pages.flatMap((p) => p.slugs), Array.from({ length: 23 }, (_, i) => `lighthouse-log-${i + 1}`));
      assert.equal(pages[0]!.count, '23 results · page 1 of 3');
      const links = (p: (typeof pages)[number]) => [...p.document.querySelectorAll('.pagination a')].map((a) => `${a.getAttribute('rel')} ${a.getAttribute('href')}`);
      assert.deepEqual(links(pages[0]!), ['next /search?q=lighthouse&page=2']);
      assert.deepEqual(links(pages[1]!), ['prev /search?q=lighthouse', 'next /search?q=lighthouse&page=3']);
      assert.deepEqual(links(pages[2]!), ['prev /search?q=lighthouse&page=2']);
      assert.equal(pages[1]!.document.querySelector('.search-results')?.getAttribute('start'), '11');
      const past = await search(client, 'lighthouse', 4);
      assert.equal(past.status, 200);
      assert.deepEqual(past.slugs, []);
      assert.match(past.html, /No more results/);
      for (const page of ['0', '-1', 'abc', '1e3', '99999999999999999999', '2.5']) {
        const answer = await search(client, 'lighthouse', page);
        assert.equal(answer.status, 200, page);
        assert.equal(answer.slugs[0], 'lighthouse-log-1', page);
      }
    });

    test('drafts, pending, scheduled and unpublished articles are never found; publishing and the embargo time reveal them', async () => {
      const word = 'zephyrine';
      const key = (name: string) => ({ importSource: 'search-test', importKey: name });
      await save({ headline: `Draft ${word}`, status: 'draft', publishedAt: undefined, ...key('draft') });
      await save({ headline: `Pending ${word}`, status: 'pending', publishedAt: undefined, ...key('pending') });
      await save({ headline: `Scheduled ${word}`, status: 'scheduled', publishedAt: at(1), ...key('scheduled') });
      await save({ headline: `Embargoed ${word}`, status: 'published', publishedAt: at(2), ...key('embargoed') });
      await save({ headline: `Unpublished ${word}`, status: 'unpublished', publishedAt: at(-1), ...key('unpublished') });
      assert.deepEqual((await search(client, word)).slugs, []);

      await save({ headline: `Draft ${word}`, status: 'published', publishedAt: at(-0.5), ...key('draft') });
      assert.deepEqual((await search(client, word)).slugs, [`draft-${word}`]);

      clock.advance(1.5 * HOUR);
      assert.deepEqual((await search(client, word)).slugs, [`scheduled-${word}`, `draft-${word}`]);
      clock.advance(1 * HOUR);
      assert.deepEqual((await search(client, word)).slugs, [`embargoed-${word}`, `scheduled-${word}`, `draft-${word}`]);

      await save({ headline: `Embargoed ${word}`, status: 'unpublished', publishedAt: at(2), ...key('embargoed') });
      assert.deepEqual((await search(client, word)).slugs, [`scheduled-${word}`, `draft-${word}`]);
    });

    test('every page has the search form in its masthead; the results page keeps the query in its box', async () => {
      for (const path of ['/', '/articles/lab-results', '/section/life', '/search?q=cafe', '/articles/no-such-article']) {
        const { html } = await client.get(path);
        const form = parsePage(html).querySelector('.masthead form[role="search"]');
        assert.ok(form, path);
        assert.equal(form.getAttribute('action'), '/search', path);
        assert.equal(form.getAttribute('method'), 'get', path);
        assert.ok(form.querySelector('input[type="search"][name="q"]'), path);
      }
      const query = 'Fish & "chips" <b>bold</b>';
      const answer = await search(client, query);
      assert.equal(answer.document.getElementById('search-page-q')?.getAttribute('value'), query);
      assert.equal(answer.document.querySelectorAll('main b').length, 0);
    });
  });
}
