import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { systemClock } from '../../lib/clock.ts';
import { LocalDiskStorage } from '../../media/storage.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { formatGhostReport, GhostError, importGhostFile } from './import-ghost.ts';

const FIXTURE = new URL('../../../test/fixtures/ghost/v4_export.json', import.meta.url).pathname;

/** The fixture's tables, read here independently of the importer. */
interface Row { [k: string]: unknown }
const data = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { db: { data: Record<string, Row[]> }[] }).db[0]!.data;
const posts = data.posts!;
const ofType = (type: string): Row[] => posts.filter((p) => p.type === type);
const byOrder = (a: Row, b: Row): number => Number(a.sort_order) - Number(b.sort_order);
const usersWithPosts = new Set(data.posts_authors!.map((l) => l.author_id));
const tagsOfPost = (id: unknown): Row[] => data.posts_tags!.filter((l) => l.post_id === id).sort(byOrder).map((l) => data.tags!.find((t) => t.id === l.tag_id)!);
const primaryTags = new Set(posts.map((p) => tagsOfPost(p.id)[0]?.id).filter(Boolean));
const welcome = posts.find((p) => p.slug === 'welcome')!;

/** A small Ghost 5 export in the bare `{meta, data}` form, each post testing one mapping. */
const post = (id: string, fields: Row): Row => ({ id, uuid: id, type: 'post', status: 'published', visibility: 'public', html: null, mobiledoc: null, lexical: null, published_at: '2022-05-06 07:08:09', updated_at: '2022-05-06 07:08:09', ...fields });
const lexical = { root: { type: 'root', version: 1, children: [{ type: 'paragraph', version: 1, children: [{ type: 'text', version: 1, format: 1, text: 'Lexical bold text' }] }] } };
const mobiledoc = { version: '0.3.1', atoms: [], markups: [['a', ['href', '__GHOST_URL__/elsewhere/']]], cards: [['markdown', { markdown: 'Some *markdown* card' }], ['unheard-of', {}]], sections: [[1, 'p', [[0, [], 0, 'Mobiledoc only text '], [0, [0], 1, 'with a link']]], [10, 0], [10, 1]] };
const SMALL = {
  meta: { exported_on: 1700000000000, version: '5.75.0' },
  data: {
    posts: [
      post('m1', { title: 'Mobiledoc only', slug: 'mobiledoc-only', mobiledoc: JSON.stringify(mobiledoc) }),
      post('l1', { title: 'Lexical only', slug: 'lexical-only', lexical: JSON.stringify(lexical), status: 'scheduled', published_at: '2031-01-02T03:04:05.000Z' }),
      post('bad', { title: '   ', slug: 'bad', html: '' }),
      post('s1', { title: 'Sent by email', slug: 'sent', html: '<p>Newsletter</p>', status: 'sent', visibility: 'members' }),
      post('d1', { title: 'Draft', slug: 'a-draft', html: '<p>Draft</p>', status: 'draft', published_at: null }),
      post('paid1', { title: 'For subscribers', slug: 'for-subscribers', html: '<p>Paywalled</p>', visibility: 'paid' }),
      post('tier1', { title: 'For a tier', slug: 'for-a-tier', html: '<p>Tiered</p>', visibility: 'tiers', status: 'scheduled', published_at: '2031-01-02T03:04:05.000Z' }),
      // Wrong JSON types: each post is skipped with its reason, the rest imports.
      post('x1', { title: 12345, slug: 'x1', html: '<p>x</p>' }),
      post('x2', { title: 'Slug list', slug: ['x'], html: '<p>x</p>' }),
      post('x3', { title: 'Excerpt object', slug: 'x3', custom_excerpt: { text: 'x' }, html: '<p>x</p>' }),
      post('x4', { title: 'Date true', slug: 'x4', published_at: true, html: '<p>x</p>' }),
      post('x5', { title: 'Date words', slug: 'x5', published_at: 'last Tuesday', html: '<p>x</p>' }),
    ],
    tags: [
      { id: 't-int', name: '#hidden', slug: 'hash-hidden', visibility: 'internal' },
      { id: 't-a', name: 'Harbour', slug: 'harbour', visibility: 'public' },
      { id: 't-b', name: 'Tides', slug: 'tides', visibility: 'public' },
      { id: 't-x', name: 5, slug: 'five', visibility: 'public' },
    ],
    users: [
      { id: 'u1', name: 'Ada Lovelace', slug: 'ada', email: 'ada@secret.example', password: 'hash', bio: 'Writes.' },
      { id: 'u2', name: 'Grace Hopper', slug: 'grace', email: 'grace@secret.example', password: 'hash', bio: null },
      { id: 'u3', name: 'Numbers', slug: 'numbers', bio: 42 },
    ],
    posts_tags: [
      { id: 'pt1', post_id: 'm1', tag_id: 't-b', sort_order: 2 },
      { id: 'pt2', post_id: 'm1', tag_id: 't-int', sort_order: 0 },
      { id: 'pt3', post_id: 'm1', tag_id: 't-a', sort_order: 1 },
      { id: 'pt4', post_id: 'm1', tag_id: 't-x', sort_order: 3 },
    ],
    posts_authors: [
      { id: 'pa1', post_id: 'm1', author_id: 'u1', sort_order: 1 },
      { id: 'pa2', post_id: 'm1', author_id: 'u2', sort_order: 0 },
      { id: 'pa3', post_id: 'l1', author_id: 'u1', sort_order: 0 },
      { id: 'pa4', post_id: 'l1', author_id: 'u3', sort_order: 1 },
    ],
    posts_meta: [{ id: 'pm1', post_id: 'm1', feature_image_alt: 'A harbour', feature_image_caption: null }],
  },
};
(SMALL.data.posts[0] as Row).feature_image = '__GHOST_URL__/content/images/2022/05/harbour.jpg';

for (const dialect of DIALECTS) {
  describe(`Ghost import [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-ghost-'));
    const deps = () => ({ db: server.database.db, clock: systemClock });
    const db = () => server.database.db;
    const counts = async () => ({
      articles: (await db().selectFrom('articles').select('id').execute()).length,
      tags: (await db().selectFrom('tags').select('id').execute()).length,
      authors: (await db().selectFrom('authors').select('id').execute()).length,
      attachments: (await db().selectFrom('import_attachments').select('id').execute()).length,
      paths: (await db().selectFrom('legacy_paths').select('path').execute()).length,
    });
    const nothing = { articles: 0, tags: 0, authors: 0, attachments: 0, paths: 0 };

    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    test('a missing, empty, non-JSON or non-Ghost file is refused with nothing written', async () => {
      const write = (name: string, text: string): string => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      for (const file of [join(dir, 'missing.json'), write('empty.json', ''), write('notes.json', 'just some notes'), write('other.json', '{"posts":[{"title":"x"}]}'), write('list.json', '[1,2]'), write('nodb.json', '{"db":[{"meta":{}}]}')]) {
        await assert.rejects(importGhostFile(deps(), file), (error: unknown) => error instanceof GhostError && error.reason.length > 0, file);
      }
      assert.deepEqual(await counts(), nothing);
    });

    test('--dry-run reports what it would import and writes nothing', async () => {
      const report = await importGhostFile(deps(), FIXTURE, { dryRun: true });
      assert.equal(report.dryRun, true);
      assert.equal(report.articles.imported, ofType('post').length);
      assert.match(formatGhostReport(report), /^Dry run: nothing was written\./);
      assert.deepEqual(await counts(), nothing);
    });

    test('the Ghost 4 export: every post, page, tag and author accounted for, mapped, and imported again as updates', async () => {
      const report = await importGhostFile(deps(), FIXTURE);
      assert.deepEqual(report.problems, []);
      assert.equal(report.version, '4.1.0');
      assert.deepEqual([report.articles.imported, report.articles.skipped], [ofType('post').length, 0]);
      assert.deepEqual([report.pages.imported, report.pages.skipped], [ofType('page').length, 0]);
      assert.equal(report.authors.imported, usersWithPosts.size);
      assert.equal(report.authors.imported + report.authors.skipped, data.users!.length, 'users without posts are reported as skipped');
      assert.equal(report.sections.imported, primaryTags.size);
      assert.equal(report.media.imported, posts.filter((p) => p.feature_image).length);
      assert.match(report.notes.join('\n'), /for paying members in Ghost \(visibility paid\), kept as a draft so nothing paywalled goes public/);

      const rows = await db().selectFrom('articles').select(['id', 'slug', 'kind', 'status', 'headline', 'dek', 'published_at', 'section_id', 'import_key', 'body_html']).where('import_source', '=', 'ghost').execute();
      assert.equal(rows.length, posts.length);
      for (const p of posts) {
        const row = rows.find((r) => r.import_key === p.id)!;
        assert.equal(row.kind, p.type === 'page' ? 'page' : 'article');
        assert.equal(row.headline, p.title);
        assert.equal(row.slug, p.slug);
        // Paid posts are kept as drafts: Broadsheet has no paywall.
        assert.equal(row.status, p.visibility === 'public' ? 'published' : 'draft');
        assert.equal(row.published_at, p.visibility === 'public' ? new Date(String(p.published_at)).toISOString() : null);
        assert.equal(row.dek, p.custom_excerpt ?? '');
        assert.equal(row.section_id !== null, tagsOfPost(p.id).length > 0);
        assert.doesNotMatch(row.body_html, /__GHOST_URL__/);
      }
      // Links to the old site become root-relative (the legacy paths redirect them).
      assert.match(rows.find((r) => r.import_key === 'welcome' || r.slug === 'welcome')!.body_html, /href="\/[a-z-]+\/"/);
      const section = await db().selectFrom('sections').select(['name', 'slug']).execute();
      assert.deepEqual(section, [{ name: 'Getting Started', slug: 'getting-started' }]);
      const authors = await db().selectFrom('authors').select(['name', 'slug', 'bio']).execute();
      assert.deepEqual(authors, [{ name: 'Ghost', slug: 'ghost', bio: 'You can delete this user to remove all the welcome posts' }]);
      const paths = await db().selectFrom('legacy_paths').select(['path', 'target_kind']).where('source', '=', 'ghost').execute();
      assert.equal(paths.filter((p) => p.target_kind === 'article').length, posts.length);
      // The primary tag became a section: its old /tag/ address points there (the live /tag/ route has no such tag).
      assert.ok(paths.some((p) => p.path === '/tag/getting-started' && p.target_kind === 'section'));
      const feature = await db().selectFrom('import_attachments').select(['url', 'article_id']).where('import_key', '=', `feature:${String(welcome.id)}`).executeTakeFirstOrThrow();
      assert.equal(feature.url, welcome.feature_image);

      const before = await counts();
      const again = await importGhostFile(deps(), FIXTURE);
      assert.deepEqual([again.articles.imported, again.articles.updated], [0, ofType('post').length]);
      assert.deepEqual([again.pages.imported, again.pages.updated], [0, ofType('page').length]);
      assert.deepEqual([again.media.imported, again.sections.imported, again.authors.imported], [0, 0, 0]);
      assert.deepEqual(await counts(), before);
    });

    test('imported posts and pages are served over HTTP, and their old addresses redirect', async () => {
      const article = await fetch(`${server.origin}/articles/welcome`);
      assert.equal(article.status, 200);
      const html = await article.text();
      assert.match(html, new RegExp(String(welcome.title).slice(0, 20)));
      assert.match(html, /Ghost/);
      const page = await fetch(`${server.origin}/pages/about`);
      assert.equal(page.status, 200);
      const old = await fetch(`${server.origin}/welcome/`, { redirect: 'manual' });
      assert.equal(old.status, 301);
      assert.equal(new URL(old.headers.get('location') ?? '', server.origin).pathname, '/articles/welcome');
    });

    test('mobiledoc and lexical bodies, statuses, byline order, primary tag, internal tags, and a bad post skipped', async () => {
      const file = join(dir, 'small.json');
      writeFileSync(file, JSON.stringify(SMALL));
      const report = await importGhostFile(deps(), file);
      assert.equal(report.articles.imported, 6);
      assert.deepEqual(report.articles.reasons, { 'invalid post': 1, 'unreadable field': 5 });
      assert.match(report.problems.join('\n'), /post bad .*headline/);
      const printed = formatGhostReport(report);
      for (const line of [
        'skipped post x1 “”: title: expected text, got number',
        'skipped post x2 “Slug list”: slug: expected text, got array',
        'skipped post x3 “Excerpt object”: custom_excerpt: expected text, got object',
        'skipped post x4 “Date true”: published_at: expected a date, got boolean',
        'skipped post x5 “Date words”: published_at: not a date: "last Tuesday"',
        'skipped tag t-x “”: name: expected text, got number',
        'skipped user u3 “Numbers”: bio: expected text, got number',
      ]) assert.ok(printed.split('\n').includes(line), line);
      assert.deepEqual(report.tags.reasons, { 'internal tag': 1, 'unreadable field': 1 });
      assert.deepEqual(report.authors.reasons, { 'unreadable field': 1 });
      const keys = (await db().selectFrom('articles').select('import_key').where('import_source', '=', 'ghost').where('import_key', 'like', 'x%').execute()).map((r) => r.import_key);
      assert.deepEqual(keys, [], 'no post with a field of the wrong type is written (none is published "now")');
      for (const key of ['paid1', 'tier1']) {
        assert.match(report.notes.join('\n'), new RegExp(`${key} .*for paying members in Ghost .*kept as a draft so nothing paywalled goes public without an editor's decision`));
      }
      assert.match(report.notes.join('\n'), /s1 .*email-only in Ghost, imported as a draft/);
      assert.match(report.notes.join('\n'), /m1 .*left out cards unheard-of/);

      const row = (key: string) => db().selectFrom('articles').selectAll().where('import_source', '=', 'ghost').where('import_key', '=', key).executeTakeFirstOrThrow();
      const m1 = await row('m1');
      assert.match(m1.body_html, /Mobiledoc only text <a href="\/elsewhere\/">with a link<\/a>/);
      assert.match(m1.body_html, /Some <em>markdown<\/em> card/);
      assert.equal(m1.published_at, '2022-05-06T07:08:09.000Z');
      const l1 = await row('l1');
      assert.match(l1.body_html, /<strong>Lexical bold text<\/strong>/);
      assert.deepEqual([l1.status, l1.published_at], ['scheduled', '2031-01-02T03:04:05.000Z']);
      assert.deepEqual([(await row('s1')).status, (await row('d1')).status, (await row('d1')).published_at], ['draft', 'draft', null]);
      assert.deepEqual([(await row('paid1')).status, (await row('tier1')).status, (await row('tier1')).published_at], ['draft', 'draft', null]);
      assert.equal((await fetch(`${server.origin}/articles/for-subscribers`)).status, 404, 'a paywalled post is not public');

      const byline = await db().selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id').select(['authors.name', 'authors.bio']).where('article_id', '=', m1.id).orderBy('article_authors.position').execute();
      assert.deepEqual(byline.map((a) => a.name), ['Grace Hopper', 'Ada Lovelace']);
      assert.ok(byline.every((a) => !a.bio.includes('@')));
      const section = await db().selectFrom('sections').select('name').where('id', '=', m1.section_id).executeTakeFirstOrThrow();
      assert.equal(section.name, 'Harbour', 'the first public tag is the section; #internal tags are left out');
      const tags = await db().selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').select('tags.name').where('article_id', '=', m1.id).execute();
      assert.deepEqual(tags.map((t) => t.name), ['Tides']);
      const feature = await db().selectFrom('import_attachments').select(['url', 'title', 'article_id']).where('import_key', '=', 'feature:m1').executeTakeFirstOrThrow();
      assert.deepEqual(feature, { url: '/content/images/2022/05/harbour.jpg', title: 'A harbour', article_id: m1.id });
      assert.equal(m1.featured_media_id, null, 'no --uploads folder: recorded by URL only');
      assert.match(report.notes.join('\n'), /1 attachment recorded by URL only: no --uploads folder/);
    });

    test('--uploads: the feature image is copied from content/images and set, with its alt text; once only', async () => {
      const file = join(dir, 'small.json');
      const images = join(dir, 'content', 'images');
      mkdirSync(join(images, '2022/05'), { recursive: true });
      await sharp({ create: { width: 640, height: 480, channels: 3, background: '#208080' } }).jpeg().toFile(join(images, '2022/05/harbour.jpg'));
      const storage = new LocalDiskStorage(join(dir, 'media'));
      const report = await importGhostFile(deps(), file, { uploadsDir: images, storage });
      assert.deepEqual([report.media.imported, report.media.updated], [0, 1], 'recorded by the previous import');
      const m1 = await db().selectFrom('articles').selectAll().where('import_source', '=', 'ghost').where('import_key', '=', 'm1').executeTakeFirstOrThrow();
      assert.ok(m1.featured_media_id !== null);
      assert.equal(m1.featured_alt, 'A harbour');
      const media = await db().selectFrom('media').select(['id', 'width', 'height']).execute();
      assert.deepEqual(media.map((m) => [m.width, m.height]), [[640, 480]]);
      await importGhostFile(deps(), file, { uploadsDir: images, storage });
      assert.equal((await db().selectFrom('media').select('id').execute()).length, 1, 'importing again copies nothing twice');
      assert.match(await (await fetch(`${server.origin}/articles/${m1.slug}`)).text(), /<img[^>]+src="\/media\//);
    });
  });
}
