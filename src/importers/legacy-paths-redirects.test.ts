import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { findAuthorBySlug, findSectionBySlug, findTagBySlug } from '../articles/taxonomy-store.ts';
import { systemClock } from '../lib/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { addArticle } from '../../test/support/distribution-seed.ts';
import { parsePage } from '../../test/support/http.ts';
import { recordLegacyPaths, type LegacyTarget } from './legacy-paths.ts';
import { ghostAuthorPaths, ghostPostPaths, ghostTagPaths, wordpressAuthorPaths, wordpressPostPaths, wordpressTermPaths } from './legacy-paths-derive.ts';

const AT = '2026-11-29T12:00:00.000Z';
const MOSKVA = '%d0%bc%d0%be%d1%81%d0%ba%d0%b2%d0%b0';

for (const dialect of DIALECTS) {
  describe(`old addresses of imported content over HTTP [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let story: { id: number; slug: string };
    let other: { id: number; slug: string };
    let page: { id: number; slug: string };
    let draft: { id: number; slug: string };
    let embargoed: { id: number; slug: string };
    let section: LegacyTarget;
    let tag: LegacyTarget;
    let author: LegacyTarget;
    const record = (source: string, target: LegacyTarget, paths: readonly string[]): Promise<number> => recordLegacyPaths(server.database.db, source, target, paths, AT);
    const get = (path: string, method = 'GET'): Promise<Response> => fetch(server.origin + path, { method, redirect: 'manual' });

    /** Asserts a 301 to `location` with a CDN-cacheable answer, for GET and HEAD. */
    async function assertMoved(path: string, location: string): Promise<void> {
      for (const method of ['GET', 'HEAD']) {
        const response = await get(path, method);
        assert.equal(response.status, 301, `${method} ${path}`);
        assert.equal(response.headers.get('location'), location, `${method} ${path}`);
        assert.equal(response.headers.get('cache-control'), 'public, max-age=86400', `${method} ${path}`);
        await response.arrayBuffer();
      }
    }

    /** Asserts the site's ordinary not-found page. */
    async function assertNotFound(path: string): Promise<void> {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get('location'), null, path);
      assert.equal(parsePage(await response.text()).querySelector('.error-page h1')?.textContent, 'Page not found', path);
    }

    before(async () => {
      server = await startTestServer(dialect);
      const clock = systemClock;
      story = await addArticle(server, clock, { headline: 'Harbour bridge reopens', section: { name: 'World' }, tags: ['Harbours'], authors: [{ name: 'Jane Doe', slug: 'jane-doe' }] });
      other = await addArticle(server, clock, { headline: 'Ferry timetable changes' });
      page = await addArticle(server, clock, { headline: 'Our team', kind: 'page' });
      draft = await addArticle(server, clock, { headline: 'Unfinished draft', status: 'draft' });
      embargoed = await addArticle(server, clock, { headline: 'Embargoed budget', status: 'scheduled', publishedAt: new Date(Date.now() + 3_600_000).toISOString() });
      const db = server.database.db;
      section = { kind: 'section', id: (await findSectionBySlug(db, 'world'))!.id };
      tag = { kind: 'tag', id: (await findTagBySlug(db, 'harbours'))!.id };
      author = { kind: 'author', id: (await findAuthorBySlug(db, 'jane-doe'))!.id };
    });
    after(() => server.close());

    test('a WordPress post: its link on another host, the permalink presets and /?p=ID, with and without trailing slash', async () => {
      const paths = wordpressPostPaths({ link: 'https://old.example.com/2019/04/01/harbour-bridge/', postId: '123', postType: 'post', postDate: '2019-04-01 23:30:00', postName: 'harbour-bridge' });
      assert.equal(await record('wxr', { kind: 'article', id: story.id }, paths), 5); // the link and the Day and name preset are one
      const location = `/articles/${story.slug}`;
      for (const path of ['/2019/04/01/harbour-bridge/', '/2019/04/01/harbour-bridge', '/2019/04/harbour-bridge/', '/2019/04/harbour-bridge', '/harbour-bridge/', '/harbour-bridge', '/archives/123', '/Harbour-Bridge/', '/index.php/2019/04/01/harbour-bridge/']) {
        await assertMoved(path, location);
      }
      // Query parameters other than WordPress's stay off the redirect.
      await assertMoved('/2019/04/01/harbour-bridge/?utm_source=newsletter&utm_medium=email', location);
      await assertMoved('/?p=123', location);
      await assertMoved('/?p=123&utm_source=newsletter', location);
      await assertMoved('/index.php?p=123', location);
    });

    test('a percent-encoded non-ASCII slug, however it is encoded', async () => {
      const paths = wordpressPostPaths({ link: `https://old.example.com/2019/04/02/${MOSKVA}/`, postId: '124', postType: 'post', postDate: '2019-04-02 08:00:00', postName: MOSKVA });
      await record('wxr', { kind: 'article', id: other.id }, paths);
      const location = `/articles/${other.slug}`;
      for (const path of [`/2019/04/02/${MOSKVA}/`, `/2019/04/02/${MOSKVA.toUpperCase()}`, `/${MOSKVA}/`, `/${encodeURIComponent('МОСКВА')}`]) {
        await assertMoved(path, location);
      }
    });

    test('a WordPress page goes to its /pages/ address', async () => {
      const paths = wordpressPostPaths({ link: 'https://old.example.com/about/team/', postId: '7', postType: 'page', postDate: '2019-01-01 00:00:00', postName: 'team' });
      assert.equal(await record('wxr', { kind: 'article', id: page.id }, paths), 3);
      for (const path of ['/about/team/', '/about/team', '/team/', '/?page_id=7']) await assertMoved(path, `/pages/${page.slug}`);
    });

    test('a WordPress category, tag and author; /tag/ and /author/ addresses answer through the live route first', async () => {
      assert.equal(await record('wxr', section, wordpressTermPaths({ taxonomy: 'category', id: '4', slug: 'world-news', parent: '' })), 2);
      await assertMoved('/category/world-news/', '/section/world');
      await assertMoved('/category/world-news', '/section/world');
      await assertMoved('/?cat=4', '/section/world');
      assert.equal(await record('wxr', tag, wordpressTermPaths({ taxonomy: 'post_tag', id: '5', slug: 'harbour', parent: '' })), 2);
      await assertMoved('/?tag=harbour', '/tag/harbours');
      // The old tag slug differs from Broadsheet's: no tag "harbour" here, so the old address is looked up.
      await assertMoved('/tag/harbour/', '/tag/harbours');
      await assertMoved('/tag/harbour', '/tag/harbours');
      assert.equal(await record('wxr', author, wordpressAuthorPaths({ id: '2', login: 'jane' })), 2);
      await assertMoved('/?author=2', '/author/jane-doe');
      await assertMoved('/author/jane', '/author/jane-doe');
      // A tag that exists here is always the live page, whatever was recorded for its address.
      assert.equal(await record('wxr', section, ['/tag/harbours/']), 1);
      assert.equal((await get('/tag/harbours')).status, 200);
      assert.equal((await get('/tag/nothing-here')).status, 404);
    });

    test('Ghost: a post at /slug/; a tag that became a section is reached from its old /tag/ address', async () => {
      assert.equal(await record('ghost', { kind: 'article', id: other.id }, ghostPostPaths({ slug: 'ferry-times', url: 'https://blog.example.org/ferry-times/' })), 1);
      await assertMoved('/ferry-times/', `/articles/${other.slug}`);
      await assertMoved('/ferry-times', `/articles/${other.slug}`);
      // A primary tag imported as a section: /tag/world/ (no such tag here) → the section.
      assert.equal(await record('ghost', section, ghostTagPaths({ slug: 'world' })), 1);
      await assertMoved('/tag/world/', '/section/world');
      // The same address as the target's own (an author kept as an author): no redirect loop, the live page.
      assert.equal(await record('ghost', author, ghostAuthorPaths({ slug: 'jane-doe' })), 1);
      assert.equal((await get('/author/jane-doe')).status, 200);
      assert.equal((await get('/author/jane-doe/')).status, 301);
    });

    test('an unknown address is the ordinary 404; the front page with an unknown WordPress query is the front page', async () => {
      await assertNotFound('/2019/04/01/never-was/');
      await assertNotFound('/nothing/?p=123');
      const front = await get('/?p=999999');
      assert.equal(front.status, 200);
      assert.equal((await get('/?utm_source=x')).status, 200);
    });

    test('a draft or embargoed article is not revealed by its old address', async () => {
      await record('wxr', { kind: 'article', id: draft.id }, ['/draft-story/', '/?p=501']);
      await record('wxr', { kind: 'article', id: embargoed.id }, ['/budget-story/', '/?p=502']);
      await assertNotFound('/draft-story/');
      await assertNotFound('/budget-story/');
      // As for any unknown id: the front page, never the story's address.
      for (const path of ['/?p=501', '/?p=502']) {
        const response = await get(path);
        assert.equal(response.status, 200, path);
        assert.doesNotMatch(await response.text(), /Unfinished draft|Embargoed budget/);
      }
    });

    test('recording again re-points an address', async () => {
      await record('wxr', { kind: 'article', id: story.id }, ['https://old.example.com/moved-story/']);
      await assertMoved('/moved-story/', `/articles/${story.slug}`);
      assert.equal(await record('ghost', { kind: 'article', id: other.id }, ['/moved-story']), 1);
      await assertMoved('/moved-story/', `/articles/${other.slug}`);
      const row = await server.database.db.selectFrom('legacy_paths').select(['target_id', 'source']).where('path', '=', '/moved-story').execute();
      assert.deepEqual(row, [{ target_id: other.id, source: 'ghost' }]);
    });

    test('an address Broadsheet answers itself is never recorded', async () => {
      const live = ['/', 'https://old.example.com/', `/articles/${story.slug}`, '/section/world/', '/feed.xml', '/admin/', '/api/v1/articles', '/pages/x'];
      assert.equal(await record('wxr', { kind: 'article', id: other.id }, live), 0);
      const stored = ['/', '/articles', '/section/world', '/feed.xml', '/admin', '/api/v1/articles', '/pages/x'];
      assert.deepEqual(await server.database.db.selectFrom('legacy_paths').select('path').where('path', 'in', stored).execute(), []);
      assert.equal((await get('/')).status, 200);
    });

    test('only GET and HEAD are redirected', async () => {
      const response = await fetch(`${server.origin}/harbour-bridge/`, { method: 'POST', redirect: 'manual' });
      assert.equal(response.status, 404);
    });
  });
}
