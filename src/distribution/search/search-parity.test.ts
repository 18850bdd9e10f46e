import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { saveArticle } from '../../articles/service.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { POSTGRES_KIND } from '../../../test/support/databases.ts';
import { Client } from '../../../test/support/http.ts';
import { search } from '../../../test/support/search.ts';

interface CorpusFile {
  articles: { key: string; slug: string; headline: string; dek: string; bodyHtml: string; tags: string[]; publishedAt: string }[];
}

const CORPUS = JSON.parse(readFileSync(new URL('../../../test/fixtures/search-corpus/wxr-posts.json', import.meta.url), 'utf8')) as CorpusFile;

/** Queries over the demo articles and the WordPress posts: headline, tag, body and common words, several scripts. */
const QUERIES = ['putin', 'harbour', 'climate', 'council vote', 'image', 'gallery', 'template comments', 'content', 'περιεχόμενο', 'post format', 'markup html', 'the', 'block'];

describe(`search answers alike on SQLite and PostgreSQL (${POSTGRES_KIND}) for the same corpus`, () => {
  const servers: Partial<Record<'sqlite' | 'postgres', TestServer>> = {};

  before(async () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      // The same fixed time, so the demo loader gives both the same publication times.
      const clock = new TestClock('2026-12-01T12:00:00Z');
      const server = await startTestServer(dialect, { clock, env: { DEMO_CONTENT: 'true' } });
      servers[dialect] = server;
      for (const post of CORPUS.articles) {
        const { key, bodyHtml, ...fields } = post;
        await saveArticle({ db: server.database.db, clock }, { ...fields, bodyHtml, status: 'published', importSource: 'wxr-test', importKey: key });
      }
    }
  });
  after(async () => {
    await servers.sqlite?.close();
    await servers.postgres?.close();
  });

  test('the same result counts and the same top five articles for every query', async () => {
    for (const query of QUERIES) {
      const [sqlite, postgres] = await Promise.all([search(new Client(servers.sqlite!.origin), query), search(new Client(servers.postgres!.origin), query)]);
      assert.equal(sqlite.status, 200, query);
      assert.equal(postgres.status, 200, query);
      assert.ok(sqlite.slugs.length > 0, `"${query}" finds something`);
      assert.equal(postgres.count, sqlite.count, `count for "${query}"`);
      assert.deepEqual(postgres.slugs.slice(0, 5), sqlite.slugs.slice(0, 5), `top five for "${query}"`);
    }
  });

  test('a headline match leads: the seed article for "putin", a WordPress post for "markup html"', async () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const client = new Client(servers[dialect]!.origin);
      assert.equal((await search(client, 'putin')).slugs[0], 'xis-warm-embrace-of-putin-in-china-is-a-defiance-of-the-west', dialect);
      assert.match((await search(client, 'markup html')).slugs[0] ?? '', /^markup-/, dialect);
      assert.match((await search(client, 'gallery')).count, /^\d+ results/, dialect);
    }
  });
});
