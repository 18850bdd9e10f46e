/**
 * Database statements per article page and per comment post, counted over real HTTP with the page cache off: the
 * article with its section, bylines, tags, credits, corrections, featured image, the navigation and the comment
 * settings is one statement; the page of the thread is another, whatever the page, order or length of the thread.
 * The reader's own comments (cookie) and a reply target on another page cost one more each; posting a comment never
 * reads the thread's comments (the redirect to the new comment's page counts the threads before it instead).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { saveArticle } from './service.ts';
import { moderateComments } from '../comments/moderation.ts';
import { TestClock } from '../../test/support/clock.ts';
import { hiddenCommentFields, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { addComment } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { settled, startRecordingServer, statementsOf, type QueryLog } from '../../test/support/query-count.ts';
import type { TestServer } from '../../test/support/app.ts';

/**
 * Statements that read the comments themselves (their text), as a thread page does; a write naming body_html among
 * the columns it inserts, or counting comments, reads none.
 */
const readsCommentText = (statement: string): boolean => /\bselect\b[^;]*"body_html"/.test(statement) && /from "comments"/.test(statement);

for (const dialect of DIALECTS) {
  describe(`statements per article page and comment post [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const clock = new TestClock('2026-12-02T09:00:00.000Z');
    let server: TestServer;
    let log: QueryLog;
    let close: () => Promise<void>;
    const articles: Record<'short' | 'long', { id: number; path: string; comments: number[] }> = {} as never;

    before(async () => {
      ({ server, log, close } = await startRecordingServer(dialect, { clock, env: { PAGE_CACHE_MB: '0' } }));
      const db = server.database.db;
      await useOpenCommentSettings(db, { perPage: 20 });
      for (const [name, count] of [['short', 3], ['long', 60]] as const) {
        const saved = await saveArticle(
          { db, clock },
          {
            headline: `A ${name} thread`,
            bodyHtml: '<p>The story.</p>',
            status: 'published',
            publishedAt: '2026-12-01T08:00:00.000Z',
            section: { name: 'News' },
            authors: [{ name: 'Ada Reporter' }, { name: 'Ben Writer' }],
            tags: ['Council', 'Bridges'],
            credits: ['Photo: Jo Lens'],
          },
        );
        await db.insertInto('corrections').values({ article_id: saved.id, created_at: '2026-12-01T09:00:00.000Z', text: 'An earlier version misspelt a name.' }).execute();
        const comments: number[] = [];
        for (let i = 0; i < count; i++) {
          // Every third comment answers the one before; one hidden parent keeps a visible reply.
          const parentId = i % 3 === 2 ? comments.at(-1) : undefined;
          comments.push(await addComment(db, saved.id, { status: 'approved', parentId, createdAt: new Date(Date.UTC(2026, 11, 1, 10, i)).toISOString() }));
        }
        await moderateComments({ db, clock, notifier: { held() {}, approved() {} } }, [comments[1]!], 'trash', { userId: null });
        articles[name] = { id: saved.id, path: `/articles/${saved.slug}`, comments };
      }
    });
    after(() => close());

    test('an article page is two statements: the article with everything around it, and the page of its thread', async () => {
      for (const name of ['short', 'long'] as const) {
        const { path } = articles[name];
        for (const query of ['', '?cpage=2', '?corder=newest', '?cpage=3&corder=newest', '?cpage=99']) {
          const statements = await statementsOf(log, async () => assert.equal((await new Client(server.origin).get(path + query)).response.status, 200));
          assert.equal(statements.length, 2, `${name}${query}:\n${statements.join('\n')}`);
          assert.match(statements[0]!, /from "articles"/);
          for (const part of ['"authors"', '"tags"', '"credits"', '"corrections"', '"media"', '"sections"', '"settings"']) assert.ok(statements[0]!.includes(part), `the article statement reads ${part}`);
          assert.ok(readsCommentText(statements[1]!), 'the second statement reads the page of the thread');
        }
      }
    });

    test('a reply target on the page shown costs nothing more; one elsewhere in the thread is one more statement', async () => {
      const { path, comments } = articles.long;
      const onPage = await statementsOf(log, () => new Client(server.origin).get(`${path}?replyto=${comments[0]}`));
      assert.equal(onPage.length, 2);
      let html = '';
      const elsewhere = await statementsOf(log, async () => void ({ html } = await new Client(server.origin).get(`${path}?replyto=${comments.at(-1)}`)));
      assert.equal(elsewhere.length, 3);
      assert.equal(parsePage(html).querySelector('input[name="comment_parent"]')?.getAttribute('value'), String(comments.at(-1)));
    });

    test('the reader’s own comments (cookie) cost one statement; a post reads none of the thread’s comments', async () => {
      for (const name of ['short', 'long'] as const) {
        const { path } = articles[name];
        const client = new Client(server.origin);
        let n = 0;
        const post = await statementsOf(log, async () => {
          const hidden = hiddenCommentFields(parsePage((await client.get(path)).html));
          log.reset();
          n += 1;
          const { response } = await client.postForm(`${path}/comments`, { ...hidden, author: 'Reader', email: `reader-${name}-${n}@example.org`, comment: `Comment number ${n} on the ${name} thread`, comment_parent: '0' });
          assert.equal(response.status, 303);
        });
        // Its statements include what runs after commit (notifications, webhooks, cache purges), whose timing varies.
        assert.deepEqual(post.filter(readsCommentText), [], `a post reads no thread:\n${post.join('\n')}`);
        await settled(log);
        const own = await statementsOf(log, () => client.get(path));
        assert.equal(own.length, 3, own.join('\n'));
      }
    });
  });
}
