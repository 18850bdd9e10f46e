/**
 * The RSS 2.0 feed of an article's comments over real HTTP: approved comments only, commenter names and never their
 * email addresses, read by python3-feedparser and @rowanmanning/feed-parser; 404 for articles readers cannot see.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addRedirect } from '../../articles/store.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { addComment } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { addArticle, TRICKY_HEADLINE } from '../../../test/support/distribution-seed.ts';
import { feedparser, npmParseXmlFeed } from '../../../test/support/feed-consumers.ts';
import { distributionPaths } from '../paths.ts';

const SITE = 'http://news.example.test';

for (const dialect of DIALECTS) {
  describe(`comments feed [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-02T09:00:00.000Z');
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 8, minute)).toISOString();

    before(async () => {
      server = await startTestServer(dialect, { clock });
    });
    after(() => server.close());

    test('approved comments only, newest first, with names and permalinks and no email address anywhere', async () => {
      const { id, slug } = await addArticle(server, clock, { headline: TRICKY_HEADLINE });
      const db = server.database.db;
      const first = await addComment(db, id, { status: 'approved', name: 'Ann & <Co> "A"', email: 'ann.secret@example.org', body: 'First *thought* & more 🐟', createdAt: at(1) });
      const second = await addComment(db, id, { status: 'approved', name: 'Bob', email: 'bob.secret@example.org', body: 'Second, see https://example.org/a?b=1&c=2', createdAt: at(2) });
      await addComment(db, id, { status: 'pending', name: 'Held Harry', email: 'held.secret@example.org', body: 'Held back', createdAt: at(3) });
      await addComment(db, id, { status: 'spam', name: 'Spammer', email: 'spam.secret@example.org', body: 'Buy now', createdAt: at(4) });
      const erased = await addComment(db, id, { status: 'approved', name: 'Erin', email: 'erin.secret@example.org', body: 'Erased later', createdAt: at(5) });
      await db.updateTable('comments').set({ erased_at: at(6), author_name: '', body_html: '' }).where('id', '=', erased).execute();

      const response = await fetch(server.origin + distributionPaths.commentsFeed(slug));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
      const body = await response.text();
      assert.doesNotMatch(body, /secret@|example\.org<|@example\.org/, 'no commenter email address in the feed');
      const fp = feedparser(body);
      assert.equal(fp.bozo, 0, fp.bozoException);
      assert.equal(fp.title, `The World News: comments on “${TRICKY_HEADLINE}”`);
      assert.deepEqual(fp.entries.map((e) => e.title), ['Comment by Bob', 'Comment by Ann & <Co> "A"']);
      assert.deepEqual(fp.entries.map((e) => e.link), [`${SITE}/comments/${second}`, `${SITE}/comments/${first}`]);
      assert.deepEqual(fp.entries.map((e) => e.authors), [[{ name: 'Bob' }], [{ name: 'Ann & <Co> "A"' }]]);
      assert.match(fp.entries[1]!.content[0] ?? '', /<em>thought<\/em> &amp; more 🐟/);
      assert.deepEqual(npmParseXmlFeed(body).items.map((i) => [i.title, i.authors.map((a) => [a.name, a.email])]), [
        ['Comment by Bob', [['Bob', null]]],
        ['Comment by Ann & <Co> "A"', [['Ann & <Co> "A"', null]]],
      ]);
    });

    test('articles readers cannot see have no comments feed; an old address redirects to the current one', async () => {
      const draft = await addArticle(server, clock, { headline: 'Draft with comments', status: 'draft' });
      await addComment(server.database.db, draft.id, { status: 'approved' });
      const embargoed = await addArticle(server, clock, { headline: 'Embargoed with comments', status: 'scheduled', publishedAt: new Date(clock.now().getTime() + 3_600_000).toISOString() });
      for (const slug of [draft.slug, embargoed.slug, 'no-such-article']) assert.equal((await fetch(server.origin + distributionPaths.commentsFeed(slug))).status, 404, slug);

      const moved = await addArticle(server, clock, { headline: 'Moved article' });
      await addRedirect(server.database.db, 'old-address', moved.id, clock.now().toISOString());
      const response = await fetch(server.origin + distributionPaths.commentsFeed('old-address'), { redirect: 'manual' });
      assert.equal(response.status, 301);
      assert.equal(response.headers.get('location'), distributionPaths.commentsFeed(moved.slug));
    });
  });
}
