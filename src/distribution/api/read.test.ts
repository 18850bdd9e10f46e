import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiRequest, newsroomUser, tokenFor } from '../../../test/support/api.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { addComment } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { saveArticle, type ArticleInput } from '../../articles/service.ts';
import { addRedirect } from '../../articles/store.ts';
import type { ArticleStatus } from '../../db/schema.ts';

const START = '2026-12-01T09:00:00.000Z';
const hoursAgo = (h: number) => new Date(Date.parse(START) - h * 3_600_000).toISOString();

for (const dialect of DIALECTS) {
  describe(`content API reads [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let key: string;
    const clock = new TestClock(START);
    const db = () => server.database.db;
    const get = (path: string) => apiRequest(server.origin, 'GET', path, { token: key });
    /** Visible articles, newest first: [id, published_at]. */
    const visible: { id: number; slug: string; publishedAt: string; section: string }[] = [];
    const hidden: { id: number; slug: string }[] = [];

    async function article(headline: string, status: ArticleStatus, publishedAt: string | undefined, extra: Partial<ArticleInput> = {}) {
      const saved = await saveArticle({ db: db(), clock }, { headline, bodyHtml: `<p>${headline}.</p>`, status, publishedAt, ...extra });
      return saved;
    }

    before(async () => {
      server = await startTestServer(dialect, { clock });
      const reader = await newsroomUser(db(), clock, 'contributor');
      key = await tokenFor(db(), clock, reader, ['content:read']);
      // 23 published articles; every third pair shares a publication time, so pages must break ties by id.
      for (let i = 0; i < 23; i++) {
        const section = i % 2 ? 'World' : 'Business';
        const publishedAt = hoursAgo(Math.floor(i / 3) * 5 + 1);
        const saved = await article(`Story number ${i}`, 'published', publishedAt, {
          section: { name: section },
          tags: i % 5 === 0 ? ['Harbour'] : ['Weather'],
          authors: [{ name: i % 4 === 0 ? 'Ada Reporter' : 'Ben Writer' }],
          credits: [`Credit line ${i}.`],
        });
        visible.push({ id: saved.id, slug: saved.slug, publishedAt, section: section.toLowerCase() });
      }
      visible.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.id - a.id);
      for (const [headline, status, at] of [
        ['Embargoed merger story', 'scheduled', new Date(Date.parse(START) + 3_600_000).toISOString()],
        ['Draft story', 'draft', undefined],
        ['Pending story', 'pending', undefined],
        ['Unpublished story', 'unpublished', hoursAgo(2)],
      ] as const) {
        const saved = await article(headline, status, at, { tags: ['Secret merger'], authors: [{ name: 'Hidden Hand' }], section: { name: 'World' } });
        hidden.push({ id: saved.id, slug: saved.slug });
      }
    });
    after(() => server.close());

    test('following next_cursor returns every published article exactly once, newest first', async () => {
      const seen: number[] = [];
      let path = '/api/v1/articles?limit=5&fields=id,published_at';
      let pages = 0;
      for (;;) {
        const response = await get(path);
        assert.equal(response.status, 200);
        assert.ok(response.body.data.length <= 5);
        seen.push(...response.body.data.map((a: { id: number }) => a.id));
        pages++;
        if (response.body.next_cursor === null) break;
        assert.equal(typeof response.body.next_cursor, 'string');
        path = `/api/v1/articles?limit=5&fields=id,published_at&cursor=${encodeURIComponent(response.body.next_cursor)}`;
      }
      assert.equal(pages, 5);
      assert.deepEqual(seen, visible.map((v) => v.id));
      assert.equal(new Set(seen).size, 23);
      const everything = await get('/api/v1/articles?limit=100');
      assert.equal(everything.body.data.length, 23);
      assert.equal(everything.body.next_cursor, null);
      assert.equal((await get('/api/v1/articles')).body.data.length, 20, 'default page size');
    });

    test('drafts, pending, unpublished and embargoed articles are invisible everywhere', async () => {
      const all = await get('/api/v1/articles?limit=100&fields=id');
      const ids = all.body.data.map((a: { id: number }) => a.id);
      for (const h of hidden) {
        assert.ok(!ids.includes(h.id), `article ${h.slug} listed`);
        const one = await get(`/api/v1/articles/${h.slug}`);
        assert.equal(one.status, 404, h.slug);
        assert.equal(one.body.error.code, 'not_found');
      }
      assert.deepEqual((await get('/api/v1/articles?tag=secret-merger')).body.data, []);
      assert.deepEqual((await get('/api/v1/articles?author=hidden-hand')).body.data, []);
      const tags = (await get('/api/v1/tags')).body.data.map((t: { slug: string }) => t.slug);
      assert.deepEqual(tags, ['harbour', 'weather']);
      const authors = (await get('/api/v1/authors')).body.data;
      assert.deepEqual(authors.map((a: { slug: string }) => a.slug), ['ada-reporter', 'ben-writer']);
      assert.equal(authors.find((a: { slug: string }) => a.slug === 'ada-reporter').article_count, 6);
      // The contributor whose key this is has a byline profile but no published article: not listed.
      assert.ok(!authors.some((a: { name: string }) => a.name.startsWith('The contributor')));
    });

    test('filters: section, tag, author and published_since, alone and together', async () => {
      const ids = async (query: string) => (await get(`/api/v1/articles?limit=100&fields=id&${query}`)).body.data.map((a: { id: number }) => a.id).sort((a: number, b: number) => a - b);
      const expected = (pick: (v: (typeof visible)[number], i: number) => boolean) => visible.filter(pick).map((v) => v.id).sort((a, b) => a - b);
      const byIndex = (i: number) => visible.find((v) => v.slug === `story-number-${i}`)!;
      const indexOf = (v: (typeof visible)[number]) => Number(v.slug.replace('story-number-', ''));
      assert.deepEqual(await ids('section=world'), expected((v) => v.section === 'world'));
      assert.deepEqual(await ids('tag=harbour'), expected((v) => indexOf(v) % 5 === 0));
      assert.deepEqual(await ids('author=ada-reporter'), expected((v) => indexOf(v) % 4 === 0));
      const since = byIndex(6).publishedAt;
      assert.deepEqual(await ids(`published_since=${encodeURIComponent(since)}`), expected((v) => v.publishedAt >= since));
      // RFC 3339 with an offset means the same instant.
      const offset = new Date(Date.parse(since)).toISOString().replace('Z', '+00:00');
      assert.deepEqual(await ids(`published_since=${encodeURIComponent(offset)}`), expected((v) => v.publishedAt >= since));
      assert.deepEqual(await ids('section=business&tag=harbour'), expected((v) => v.section === 'business' && indexOf(v) % 5 === 0));
      assert.deepEqual(await ids('section=no-such-section'), []);
    });

    test('article JSON: every documented field, absolute URLs, and nothing about commenters', async () => {
      const target = visible[0]!;
      await addComment(db(), target.id, { status: 'approved', name: 'Carol Commenter', email: 'carol.private@example.org', url: 'https://carol.example.org/' });
      await addComment(db(), target.id, { status: 'pending', name: 'Dan Waiting', email: 'dan.private@example.org' });
      const response = await get(`/api/v1/articles/${target.slug}`);
      assert.equal(response.status, 200);
      const a = response.body.data;
      assert.deepEqual(Object.keys(a).sort(), ['authors', 'body_html', 'comment_count', 'corrections', 'credits', 'dateline', 'dek', 'featured_image', 'headline', 'id', 'kind', 'published_at', 'revised_at', 'section', 'slug', 'tags', 'updated_at', 'url'].sort());
      assert.equal(a.id, target.id);
      assert.equal(a.kind, 'article');
      assert.equal(a.url, `http://news.example.test/articles/${target.slug}`);
      assert.equal(a.published_at, target.publishedAt);
      assert.deepEqual(a.section, { slug: target.section, name: target.section === 'world' ? 'World' : 'Business', url: `http://news.example.test/section/${target.section}` });
      assert.equal(a.authors[0].url, `http://news.example.test/author/${a.authors[0].slug}`);
      assert.equal(a.tags[0].url, `http://news.example.test/tag/${a.tags[0].slug}`);
      assert.match(a.credits[0], /^Credit line \d+\.$/);
      assert.equal(a.featured_image, null);
      assert.equal(a.comment_count, 1);
      const text = JSON.stringify(response.body);
      for (const secret of ['Carol', 'carol.private', 'carol.example', 'Dan Waiting', 'dan.private']) assert.ok(!text.includes(secret), secret);
    });

    test('featured image: the plain-<img> variant with its own size, alt, caption and credit', async () => {
      const target = visible[1]!;
      const variants = [
        { format: 'jpeg', width: 480, height: 320, bytes: 10, key: '2026/12/photo-480.jpg' },
        { format: 'jpeg', width: 1200, height: 800, bytes: 20, key: '2026/12/photo-1200.jpg' },
        { format: 'jpeg', width: 2000, height: 1333, bytes: 30, key: '2026/12/photo-2000.jpg' },
        { format: 'webp', width: 1200, height: 800, bytes: 15, key: '2026/12/photo-1200.webp' },
      ];
      const { id } = await db()
        .insertInto('media')
        .values({ original_name: 'photo.jpg', format: 'jpeg', width: 2400, height: 1600, bytes: 99, variants: JSON.stringify(variants), uploaded_by: null, created_at: START })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db().updateTable('articles').set({ featured_media_id: id, featured_alt: 'The harbour wall', featured_caption: 'Waves at dawn.', featured_credit: 'Eve Lens' }).where('id', '=', target.id).execute();
      const response = await get(`/api/v1/articles/${target.slug}?fields=featured_image`);
      assert.deepEqual(response.body.data, {
        featured_image: { url: 'http://news.example.test/media/2026/12/photo-1200.jpg', width: 1200, height: 800, alt: 'The harbour wall', caption: 'Waves at dawn.', credit: 'Eve Lens' },
      });
    });

    test('fields selects properties; an unknown field is a 400 naming `fields`', async () => {
      const list = await get('/api/v1/articles?limit=2&fields=headline,%20id');
      assert.deepEqual(Object.keys(list.body.data[0]).sort(), ['headline', 'id']);
      const one = await get(`/api/v1/articles/${visible[2]!.slug}?fields=slug,comment_count`);
      assert.deepEqual(one.body.data, { slug: visible[2]!.slug, comment_count: 0 });
      for (const path of ['/api/v1/articles?fields=id,commenters', `/api/v1/articles/${visible[2]!.slug}?fields=author_email`, '/api/v1/articles?fields=']) {
        const bad = await get(path);
        assert.equal(bad.status, 400, path);
        assert.equal(bad.body.error.code, 'bad_request');
        assert.equal(bad.body.error.field, 'fields');
        assert.match(bad.body.error.message, /headline/, 'the message lists the allowed fields');
      }
    });

    test('bad parameters are 400s that name the parameter', async () => {
      const cases: [string, string][] = [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=many', 'limit'],
        ['cursor=not-a-cursor', 'cursor'],
        [`cursor=${Buffer.from('["yesterday",1]').toString('base64url')}`, 'cursor'],
        ['published_since=yesterday', 'published_since'],
        ['published_since=2026-12-01', 'published_since'],
        ['sectoin=world', 'sectoin'],
      ];
      for (const [query, field] of cases) {
        const response = await get(`/api/v1/articles?${query}`);
        assert.equal(response.status, 400, query);
        assert.equal(response.body.error.code, 'bad_request', query);
        assert.equal(response.body.error.field, field, query);
        assert.ok(response.body.error.message.length > 10, query);
      }
    });

    test('sections are listed with their addresses; an old slug redirects to the article’s API address', async () => {
      const sections = (await get('/api/v1/sections')).body.data;
      assert.deepEqual(sections.map((s: { slug: string }) => s.slug).sort(), ['business', 'world']);
      assert.equal(sections[0].url, `http://news.example.test/section/${sections[0].slug}`);
      const target = visible[3]!;
      await addRedirect(db(), 'an-older-address', target.id, START);
      const moved = await get('/api/v1/articles/an-older-address?fields=id');
      assert.equal(moved.status, 301);
      assert.equal(moved.headers.get('location'), `/api/v1/articles/${target.slug}?fields=id`);
      // Old addresses of articles readers cannot see reveal nothing.
      await addRedirect(db(), 'old-embargoed', hidden[0]!.id, START);
      assert.equal((await get('/api/v1/articles/old-embargoed')).status, 404);
    });

    test('an embargoed article appears at its publication time, before the scheduler has run', async () => {
      clock.advance(2 * 3_600_000);
      const embargoed = hidden[0]!;
      const one = await get(`/api/v1/articles/${embargoed.slug}`);
      assert.equal(one.status, 200);
      const first = (await get('/api/v1/articles?limit=1&fields=id')).body.data[0];
      assert.equal(first.id, embargoed.id);
      assert.ok((await get('/api/v1/tags')).body.data.some((t: { slug: string }) => t.slug === 'secret-merger'));
    });
  });
}
