/**
 * The cheap paths of posting, checked against the general ones on both databases: the redirect after posting a
 * top-level comment (locatePostedComment counts threads without walking parents) lands on the page locateComment
 * finds, whatever the depth cap, page size and order; a comment is stored with its 'posted' event and counted when
 * approved, in one write (comments posted at once each on their own, though SQLite writes them together); and deleting comments for good (the retention job deletes spam by the hundred) moves
 * replies to the nearest ancestor that stays, even when parent and reply are deleted together, in either order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { saveArticle } from '../articles/service.ts';
import type { DB, OpenDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { CommentStatus } from '../db/schema.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import { memoryRateLimiter } from './defences/rate-limit.ts';
import { issueFormTime } from './defences/form-token.ts';
import { eraseComments } from './admin/privacy.ts';
import { deleteCommentsPermanently, moderateComments } from './moderation.ts';
import { locateComment, locatePostedComment, postComment } from './service.ts';
import { DEFAULT_COMMENT_SETTINGS, saveCommentSettings, type CommentSettings } from './settings.ts';
import { insertComment, insertPostedComment, threadsBefore, threadsBeforeNewest } from './store.ts';

const SECRET = 'posting-test-secret';

async function newArticle(db: DB, clock: TestClock, headline: string): Promise<number> {
  const { id } = await saveArticle({ db, clock }, { headline, bodyHtml: '<p>Story.</p>', status: 'published', publishedAt: '2026-12-01T00:00:00.000Z' });
  return id;
}

async function comment(db: DB, articleId: number, parentId: number | null, status: CommentStatus, minute: number): Promise<number> {
  return insertComment(db, {
    article_id: articleId,
    parent_id: parentId,
    author_name: 'Reader',
    author_email: `reader${minute}@example.org`,
    body: `Comment ${minute}`,
    body_html: `<p>Comment ${minute}</p>`,
    status,
    created_at: new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString(),
    ip_hash: 'a',
  });
}

async function commentCount(db: DB, articleId: number): Promise<number> {
  return (await db.selectFrom('articles').select('comment_count').where('id', '=', articleId).executeTakeFirstOrThrow()).comment_count;
}

for (const dialect of DIALECTS) {
  describe(`comment posting, cheap paths [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let database: OpenDatabase;
    const clock = new TestClock('2026-12-03T09:00:00.000Z');
    before(async () => {
      database = await openTestDatabase(dialect);
      await migrateToLatest(database.db);
    });
    after(() => database.close());

    test('the page after posting a top-level comment is the page its permalink finds; the write stores the event and the count', async () => {
      const db = database.db;
      const notified: { held: number[]; approved: number[] } = { held: [], approved: [] };
      const deps = { db, clock, secret: SECRET, rateLimiter: memoryRateLimiter(), notifier: { held: (ids: number[]) => notified.held.push(...ids), approved: (ids: number[]) => notified.approved.push(...ids) } };
      const articleId = await newArticle(db, clock, 'Posting and paging');
      // Threads of every kind before the new comments: replies, a held parent with a visible reply, an erased one.
      const top = await comment(db, articleId, null, 'approved', 1);
      await comment(db, articleId, top, 'approved', 2);
      const held = await comment(db, articleId, null, 'pending', 3);
      await comment(db, articleId, held, 'approved', 4);
      for (let minute = 5; minute < 12; minute++) await comment(db, articleId, null, minute % 3 ? 'approved' : 'spam', minute);
      await db.updateTable('comments').set({ erased_at: '2026-12-02T00:00:00.000Z' }).where('id', '=', top).execute();
      await db.updateTable('articles').set({ comment_count: 8 }).where('id', '=', articleId).execute();

      const article = { id: articleId, commentStatus: 'open' as const, publishedAt: '2026-12-01T00:00:00.000Z', url: 'https://news.example/articles/posting' };
      let compared = 0;
      for (const [i, status] of (['approved', 'pending', 'approved', 'approved', 'pending'] as const).entries()) {
        clock.advance(60_000);
        // Held as a first comment from its address, or approved for an address with an approved comment.
        const settings: CommentSettings = { ...DEFAULT_COMMENT_SETTINGS, minFillSeconds: 0, floodSeconds: 0 };
        const form = { author: 'Poster', email: status === 'approved' ? 'reader5@example.org' : `new${i}@example.org`, url: '', comment: `Posted ${i}`, comment_parent: '' };
        const request = { ip: '192.0.2.7', userAgent: 'test', referrer: '', honeypot: '', formTime: issueFormTime(SECRET, articleId, clock.now().getTime() - 60_000) };
        const before = await commentCount(db, articleId);
        const posted = await postComment(deps, article, form, request, settings);
        assert.equal(posted.status, status, posted.reason);
        assert.equal(await commentCount(db, articleId), before + (status === 'approved' ? 1 : 0));
        const events = await db.selectFrom('comment_events').select(['action', 'status', 'reason', 'created_at']).where('comment_id', '=', posted.id).execute();
        assert.deepEqual(events, [{ action: 'posted', status, reason: posted.reason, created_at: posted.createdAt }]);
        for (const maxDepth of [1, 5]) {
          for (const perPage of [1, 3, 50]) {
            for (const order of ['oldest', 'newest'] as const) {
              const paging = { ...settings, maxDepth, perPage, order };
              await saveCommentSettings(db, paging);
              assert.deepEqual(await locatePostedComment(deps, paging, posted), await locateComment(deps, posted.id, [posted.id]), `comment ${i}, maxDepth ${maxDepth}, perPage ${perPage}, ${order}`);
              compared += 1;
            }
          }
        }
      }
      assert.equal(compared, 60);
      assert.equal(notified.approved.length, 3);
      assert.equal(notified.held.length, 2);
    });

    test("the count of an article's plain threads follows every change to its comments, and counting from it agrees with counting thread starts", async () => {
      const db = database.db;
      const deps = { db, clock, notifier: { held: () => {}, approved: () => {} } };
      const articleId = await newArticle(db, clock, 'Counted threads');
      const otherId = await newArticle(db, clock, 'Counted threads elsewhere');
      const plainThreads = async (id: number) => (await db.selectFrom('comment_thread_counts').select('plain_threads').where('article_id', '=', id).executeTakeFirst())?.plain_threads ?? 0;
      const reader = { ownIds: [], flat: false };
      let step = '';
      const agrees = async (expectedPlain: number) => {
        assert.equal(await plainThreads(articleId), expectedPlain, `plain threads after ${step}`);
        const keys = await db.selectFrom('comments').select(['created_at', 'id']).where('article_id', '=', articleId).orderBy('id').execute();
        // Before each comment, and after them all (a comment about to be posted).
        for (const key of [...keys.map((k) => ({ createdAt: k.created_at, id: k.id })), { createdAt: '2027-01-01T00:00:00.000Z', id: 2_000_000 }]) {
          assert.equal(await threadsBeforeNewest(db, articleId, false, 'oldest', key), await threadsBefore(db, articleId, reader, 'oldest', key), `threads before ${key.id} after ${step}`);
        }
      };
      const first = await comment(db, articleId, null, 'approved', 1);
      const reply = await comment(db, articleId, first, 'approved', 2);
      const second = await comment(db, articleId, null, 'approved', 3);
      const held = await comment(db, articleId, null, 'pending', 4);
      const third = await comment(db, articleId, null, 'approved', 5);
      const thirdReply = await comment(db, articleId, third, 'approved', 6);
      step = 'posting';
      await agrees(3);
      step = 'approving the held one';
      await moderateComments(deps, [held], 'approve', { userId: null });
      await agrees(4);
      step = 'marking a comment with a reply as spam (its reply starts a thread under a hidden parent)';
      await moderateComments(deps, [first], 'spam', { userId: null });
      await agrees(3);
      step = 'erasing a comment without replies (deleted) and one with a reply (kept, erased)';
      await eraseComments(db, clock, [second, third]);
      assert.equal((await db.selectFrom('comments').select('erased_at').where('id', '=', third).executeTakeFirstOrThrow()).erased_at !== null, true);
      await agrees(1);
      step = 'deleting the spam comment for good (its reply moves to the top level)';
      await deleteCommentsPermanently(deps, [first]);
      await agrees(2);
      step = 'moving a comment to another article';
      await db.updateTable('comments').set({ article_id: otherId }).where('id', '=', reply).execute();
      await agrees(1);
      assert.equal(await plainThreads(otherId), 1);
      step = 'deleting a parent row directly (ON DELETE SET NULL makes its reply top-level)';
      await db.deleteFrom('comment_events').where('comment_id', '=', third).execute();
      await db.deleteFrom('comments').where('id', '=', third).execute();
      await agrees(2);
      assert.deepEqual(await db.selectFrom('comments').select('parent_id').where('id', '=', thirdReply).executeTakeFirstOrThrow(), { parent_id: null });
      step = 'deleting the other article with its comment';
      await db.deleteFrom('comment_events').where('comment_id', '=', reply).execute();
      await db.deleteFrom('articles').where('id', '=', otherId).execute();
      assert.equal(await db.selectFrom('comment_thread_counts').select('plain_threads').where('article_id', '=', otherId).executeTakeFirst(), undefined);
      await agrees(2);
    });

    test('comments posted at once are each stored with their event and counted; one that cannot be stored fails alone', async () => {
      const db = database.db;
      const articleId = await newArticle(db, clock, 'Posted at once');
      const row = (i: number, status: CommentStatus, article = articleId) => ({
        article_id: article,
        parent_id: null,
        author_name: `Reader ${i}`,
        author_email: `at-once${i}@example.org`,
        author_url: '',
        body: `At once ${i}`,
        body_html: `<p>At once ${i}</p>`,
        status,
        created_at: clock.now().toISOString(),
        ip_hash: 'a',
        network_hash: 'b',
        user_agent: 'test',
        notify_replies: 0,
        moderation_reason: `reason ${i}`,
        edited_at: null,
        erased_at: null,
      });
      // Each poster gets the id of their own comment (SQLite writes them in one statement).
      const together = await Promise.all(Array.from({ length: 6 }, (_, i) => insertPostedComment(db, { ...row(100 + i, 'pending'), body: `Together ${i}` })));
      for (const [i, id] of together.entries()) assert.deepEqual(await db.selectFrom('comments').select('body').where('id', '=', id).executeTakeFirstOrThrow(), { body: `Together ${i}` });
      await db.deleteFrom('comments').where('id', 'in', together).execute();
      // The article id of comment 5 does not exist: its insert breaks the foreign key.
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => insertPostedComment(db, row(i, i % 3 ? 'approved' : 'pending', i === 5 ? 999_999 : articleId))));
      assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
      assert.equal(results[5]!.status, 'rejected');
      // In any order: on a PostgreSQL server the posts run on several connections at once.
      const stored = await db.selectFrom('comments').select(['id', 'body']).where('article_id', '=', articleId).execute();
      assert.deepEqual(
        stored.map((c) => c.body).sort(),
        Array.from({ length: 12 }, (_, i) => i)
          .filter((i) => i !== 5)
          .map((i) => `At once ${i}`)
          .sort(),
      );
      for (const [i, result] of results.entries()) {
        if (result.status !== 'fulfilled') continue;
        assert.deepEqual(await db.selectFrom('comment_events').select(['action', 'reason']).where('comment_id', '=', result.value).execute(), [{ action: 'posted', reason: `reason ${i}` }]);
      }
      // Approved: 1, 2, 4, 7, 8, 10, 11 (5 was not stored).
      assert.equal(await commentCount(db, articleId), 7);
    });

    test('deleting for good moves replies to the nearest ancestor that stays, parents and replies deleted together in either order', async () => {
      const db = database.db;
      for (const reversed of [false, true]) {
        const articleId = await newArticle(db, clock, `Deleting chains ${reversed}`);
        const grandparent = await comment(db, articleId, null, 'approved', 1);
        const spam = await comment(db, articleId, grandparent, 'spam', 2);
        const spamReply = await comment(db, articleId, spam, 'spam', 3);
        const answer = await comment(db, articleId, spamReply, 'approved', 4);
        const sibling = await comment(db, articleId, spam, 'approved', 5);
        const topSpam = await comment(db, articleId, null, 'approved', 6);
        const orphan = await comment(db, articleId, topSpam, 'approved', 7);
        await db.updateTable('articles').set({ comment_count: 5 }).where('id', '=', articleId).execute();

        const ids = [spam, spamReply, topSpam];
        assert.equal(await deleteCommentsPermanently({ db }, reversed ? ids.reverse() : ids), 3);
        const rows = await db.selectFrom('comments').select(['id', 'parent_id']).where('article_id', '=', articleId).orderBy('id').execute();
        assert.deepEqual(rows, [
          { id: grandparent, parent_id: null },
          { id: answer, parent_id: grandparent },
          { id: sibling, parent_id: grandparent },
          { id: orphan, parent_id: null },
        ]);
        // One approved comment went (topSpam); the spam was never counted.
        assert.equal(await commentCount(db, articleId), 4);
      }
    });
  });
}
