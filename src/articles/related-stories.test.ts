/**
 * The article page's "Related stories": stories sharing a tag first, then the section's, newest first, at most four;
 * never the article itself, a page, a draft or an embargoed story; a related story's change purges the cached page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { signedInClients } from '../../test/support/comments.ts';
import { articleFields, saveArticleVia } from '../../test/support/webhooks.ts';
import { systemClock } from '../lib/clock.ts';
import { saveArticle, type ArticleInput } from './service.ts';
import { RELATED_WINDOW } from './store.ts';

/** Headlines and dates in the page's related list, in order. */
async function relatedOf(client: Client, path: string): Promise<{ headlines: string[]; dates: string[]; cache: string | null }> {
  const { response, html } = await client.get(path);
  assert.equal(response.status, 200, path);
  const page = parsePage(html);
  return {
    headlines: [...page.querySelectorAll('.related-stories li a')].map((a) => a.textContent ?? ''),
    dates: [...page.querySelectorAll('.related-stories li time')].map((t) => t.getAttribute('datetime') ?? ''),
    cache: response.headers.get('x-page-cache'),
  };
}

for (const dialect of DIALECTS) {
  describe(`related stories on the article page [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let strikeId: number;
    const deps = () => ({ db: server.database.db, clock: systemClock });
    /** A published story `days` days ago. */
    const story = (headline: string, days: number, more: Partial<ArticleInput> = {}) =>
      saveArticle(deps(), { status: 'published', headline, bodyHtml: `<p>${headline}.</p>`, publishedAt: new Date(Date.now() - days * 86_400_000).toISOString(), ...more });

    before(async () => {
      server = await startTestServer(dialect);
      ({ id: strikeId } = await story('Harbour strike ends', 1, { section: { name: 'World' }, tags: ['Harbour', 'Labour'] }));
      await story('Dockers vote on the deal', 5, { section: { name: 'Business' }, tags: ['Labour'] });
      await story('Harbour cranes return', 3, { section: { name: 'Business' }, tags: ['Harbour'] });
      for (let day = 2; day <= 7; day++) await story(`World story ${day}`, day, { section: { name: 'World' } });
      await story('A harbour draft', 0, { status: 'draft', section: { name: 'World' }, tags: ['Harbour'] });
      await story('An embargoed harbour story', -1, { status: 'scheduled', section: { name: 'World' }, tags: ['Harbour'] });
      await story('About the harbour desk', 0, { kind: 'page', section: { name: 'World' }, tags: ['Harbour'] });
      await story('Alone in Science', 1, { section: { name: 'Science' }, tags: ['Comets'] });
    });
    after(() => server.close());

    test('stories sharing a tag come first, then the section’s, newest first, four at most, each once', async () => {
      const related = await relatedOf(new Client(server.origin), '/articles/harbour-strike-ends');
      // Shared tags: cranes (3 days) and dockers (5 days); then the World section's newest two.
      assert.deepEqual(related.headlines, ['Harbour cranes return', 'Dockers vote on the deal', 'World story 2', 'World story 3']);
      assert.equal(related.dates.length, 4);
      assert.ok(related.dates.every((d) => !Number.isNaN(Date.parse(d))), related.dates.join());
    });

    test('a story in the section lists the section’s others and the tagged story, never itself', async () => {
      const related = await relatedOf(new Client(server.origin), '/articles/world-story-4');
      assert.deepEqual(related.headlines, ['Harbour strike ends', 'World story 2', 'World story 3', 'World story 5']);
    });

    test('a story with nothing related has no related block; the list leaves out drafts, embargoed stories and pages', async () => {
      const { html } = await new Client(server.origin).get('/articles/alone-in-science');
      assert.equal(parsePage(html).querySelector('.related-stories'), null);
      for (const path of ['/articles/harbour-strike-ends', '/articles/harbour-cranes-return']) {
        const { headlines } = await relatedOf(new Client(server.origin), path);
        for (const hidden of ['A harbour draft', 'An embargoed harbour story', 'About the harbour desk']) assert.ok(!headlines.includes(hidden), `${path} lists ${hidden}`);
      }
    });

    test('unpublishing a related story in the newsroom purges the cached page that links it', async () => {
      const client = new Client(server.origin);
      const path = '/articles/harbour-cranes-return';
      assert.ok((await relatedOf(client, path)).headlines.includes('Harbour strike ends'));
      assert.equal((await relatedOf(client, path)).cache, 'HIT');
      const { editor } = await signedInClients(server.database.db, systemClock, server.origin, ['editor']);
      const unpublished = await saveArticleVia(editor, `/admin/articles/${strikeId}`, 'unpublish', articleFields({ headline: 'Harbour strike ends', slug: 'harbour-strike-ends', section: 'world', tags: 'Harbour, Labour' }));
      assert.equal(unpublished.response.status, 303);
      const after = await relatedOf(client, path);
      assert.equal(after.cache, 'MISS');
      assert.ok(!after.headlines.includes('Harbour strike ends'), after.headlines.join());
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`related stories look for shared tags among the ${RELATED_WINDOW} newest only [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
      const deps = { db: server.database.db, clock: systemClock };
      const at = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
      await saveArticle(deps, { status: 'published', headline: 'Comet seen again', bodyHtml: '<p>Comet.</p>', publishedAt: at(400), section: { name: 'Science' }, tags: ['Comets'] });
      await saveArticle(deps, { status: 'published', headline: 'Comet first seen', bodyHtml: '<p>Comet.</p>', publishedAt: at(401), section: { name: 'Culture' }, tags: ['Comets'] });
      // The window's worth of newer stories, none about comets: the older comet story falls outside it.
      for (let i = 0; i < RELATED_WINDOW; i++) await saveArticle(deps, { status: 'published', headline: `Council story ${i}`, bodyHtml: '<p>Council.</p>', publishedAt: at(i / 10), section: { name: 'Politics' } });
    });
    after(() => server.close());

    test('an old story sharing a tag outside the window is not listed; inside it, it is', async () => {
      const outside = await relatedOf(new Client(server.origin), '/articles/comet-seen-again');
      assert.deepEqual(outside.headlines, [], 'nothing shares a tag among the newest, and its section has nothing else');
      // One more comet story among the newest: found.
      await saveArticle({ db: server.database.db, clock: systemClock }, { status: 'published', headline: 'Comet fades', bodyHtml: '<p>Comet.</p>', publishedAt: new Date(Date.now() - 1000).toISOString(), section: { name: 'Culture' }, tags: ['Comets'] });
      const inside = await relatedOf(new Client(server.origin), '/articles/comet-seen-again?fresh');
      assert.deepEqual(inside.headlines, ['Comet fades']);
    });
  });
}
