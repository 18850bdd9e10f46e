import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { saveArticle } from '../../articles/service.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { Client } from '../../../test/support/http.ts';
import { percentEncode, search } from '../../../test/support/search.ts';

const NAUGHTY = JSON.parse(readFileSync(new URL('../../../test/fixtures/naughty/blns.json', import.meta.url), 'utf8')) as string[];

/** Search syntax of FTS5 and tsquery, and SQL, that must be read as plain words. */
const SYNTAX = [
  'AND',
  'OR',
  'NOT',
  'harbour AND',
  'NOT harbour',
  'harbour OR bridge',
  'NEAR(harbour bridge)',
  'NEAR(harbour bridge, 2)',
  'harbour*',
  '*',
  '^harbour',
  'headline:harbour',
  '{headline body}: harbour',
  '"harbour',
  '"harbour bridge"',
  '""',
  '(harbour',
  'harbour)',
  '-harbour',
  '+harbour',
  "harbour' & 'bridge",
  'harbour & !bridge',
  'harbour <-> bridge',
  'harbour:*A',
  "'",
  '\\',
  "' OR 1=1 --",
  "'; DROP TABLE article_search; --",
  'harbour") OR rowid > 0 --',
  '%',
  '_',
  '\u0000',
  'harbour\u0000bridge',
];

for (const dialect of DIALECTS) {
  describe(`search input is plain words [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let client: Client;
    const clock = new TestClock('2026-12-01T12:00:00Z');

    before(async () => {
      server = await startTestServer(dialect, { clock });
      client = new Client(server.origin);
      await saveArticle({ db: server.database.db, clock }, { headline: 'Harbour bridge reopens', bodyHtml: '<p>And not near the old quay: "traffic" flows.</p>', status: 'published', publishedAt: '2026-12-01T10:00:00Z' });
    });
    after(() => server.close());

    test('search syntax and SQL in the query are words or nothing: a page, never an error', async () => {
      for (const query of SYNTAX) {
        const answer = await search(client, query);
        assert.equal(answer.status, 200, JSON.stringify(query));
        assert.ok(answer.slugs.length <= 1, JSON.stringify(query));
        if (!query.includes('\u0000')) assert.equal(answer.document.getElementById('search-page-q')?.getAttribute('value'), query, JSON.stringify(query));
      }
      // Operators are words too: "and", "not", "near" are in this article's body.
      assert.deepEqual((await search(client, 'NOT near AND')).slugs, ['harbour-bridge-reopens']);
      assert.deepEqual((await search(client, '"harbour" AND -bridge*')).slugs, ['harbour-bridge-reopens']);
    });

    test('every naughty string answers 200 with a page', async () => {
      for (const query of NAUGHTY) {
        const answer = await search(client, query);
        assert.equal(answer.status, 200, JSON.stringify(query));
        assert.ok(answer.document.querySelector('main h1'), JSON.stringify(query));
      }
    });

    test('empty, huge and repeated parameters', async () => {
      const long = `harbour ${'bridge '.repeat(1500)}`;
      assert.ok(long.length > 10_000);
      const answer = await search(client, long);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.slugs, ['harbour-bridge-reopens']);
      const words = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
      assert.equal((await search(client, words)).status, 200);
      for (const path of ['/search?q', '/search?q=&q=harbour', '/search?q=harbour&q=x', '/search?q[]=harbour', '/search?q[a]=1', '/search?q=harbour&page=2&page=x', `/search?q=${percentEncode('harbour')}&page=%00`, '/search?q=%ZZ', '/search?q=%E0%A4%A']) {
        const { response, html } = await client.get(path);
        assert.ok(response.status === 200 || response.status === 400, path);
        assert.ok(!html.includes('SqliteError') && !/syntax error|tsquery/i.test(html), path);
      }
      assert.equal((await client.get('/search?q=harbour&q=x')).response.status, 200);
    });
  });
}
