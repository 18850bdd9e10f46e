/**
 * A page of a thread read on its own (store.threadPage, store.threadPosition) is exactly the page that reading every
 * comment of the article and paging its threads in memory gives — the way threads were read before — on both
 * databases, over generated threads: replies to replies, held, spam and trashed comments with visible replies,
 * erased comments, equal timestamps, moderation after the replies came, deleted parents, the reader's own held
 * comments, every depth cap (1 = flat), page size, order and page, and the permalink page of every comment. Both
 * sides build trees with the same buildTree; what differs is which comments they read and how threads are paged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { saveArticle } from '../articles/service.ts';
import type { DB, OpenDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { CommentStatus } from '../db/schema.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import { prng } from '../../bench/support/corpus.ts';
import { deleteCommentsPermanently, moderateComments } from './moderation.ts';
import { buildTree, findThreadComment, getThread, locateComment, type CommentNode } from './service.ts';
import { DEFAULT_COMMENT_SETTINGS, saveCommentSettings, type CommentSettings } from './settings.ts';
import { insertComment } from './store.ts';

interface Row {
  id: number;
  parent_id: number | null;
  author_name: string;
  author_url: string;
  body_html: string;
  created_at: string;
  edited_at: string | null;
  status: CommentStatus;
  erased_at: string | null;
}

/** The reader's view as it was computed before pages were read on their own: every visible comment, paged in memory. */
function referenceThread(rows: Row[], settings: CommentSettings, options: { page: number; order: 'oldest' | 'newest' }) {
  const { roots, byId } = buildTree(rows, settings.maxDepth);
  const visibleRoots = roots.filter((root) => !root.erased || root.replies.length);
  if (options.order === 'newest') visibleRoots.reverse();
  const pageCount = Math.max(1, Math.ceil(visibleRoots.length / settings.perPage));
  const page = Math.min(Math.max(1, options.page), pageCount);
  const pageOf = new Map<number, number>();
  visibleRoots.forEach((root, index) => {
    const mark = (node: CommentNode) => {
      pageOf.set(node.id, Math.floor(index / settings.perPage) + 1);
      node.replies.forEach(mark);
    };
    mark(root);
  });
  return { comments: visibleRoots.slice((page - 1) * settings.perPage, page * settings.perPage), page, pageCount, byId, pageOf };
}

async function visibleRows(db: DB, articleId: number, ownIds: readonly number[]): Promise<Row[]> {
  return db
    .selectFrom('comments')
    .select(['id', 'parent_id', 'author_name', 'author_url', 'body_html', 'created_at', 'edited_at', 'status', 'erased_at'])
    .where('article_id', '=', articleId)
    .where((eb) => (ownIds.length ? eb.or([eb('status', '=', 'approved'), eb.and([eb('status', 'in', ['pending', 'spam']), eb('id', 'in', [...ownIds])])]) : eb('status', '=', 'approved')))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** What a reader is shown of a tree, for comparison. */
function shape(nodes: CommentNode[]): unknown[] {
  return nodes.map((n) => ({ id: n.id, depth: n.depth, pending: n.pending, erased: n.erased, hidden: n.hidden ?? false, author: n.authorName, body: n.bodyHtml, replies: shape(n.replies) }));
}

const STATUSES: CommentStatus[] = ['approved', 'approved', 'approved', 'approved', 'pending', 'spam', 'trash'];

/** A generated thread on a new article: replies, statuses, erasures, moderation afterwards and a deleted parent. */
async function generate(db: DB, clock: TestClock, rnd: () => number, n: number): Promise<{ articleId: number; ids: number[] }> {
  const { id: articleId } = await saveArticle({ db, clock }, { headline: `Thread ${n} ${rnd()}`, bodyHtml: '<p>Story.</p>', status: 'published', publishedAt: '2026-12-01T00:00:00.000Z' });
  const ids: number[] = [];
  let minute = 0;
  for (let i = 0; i < n; i++) {
    // Equal timestamps now and then: the id decides.
    if (rnd() < 0.8) minute += 1;
    const parent = ids.length && rnd() < 0.55 ? ids[Math.floor(rnd() * ids.length)]! : null;
    const status = STATUSES[Math.floor(rnd() * STATUSES.length)]!;
    ids.push(
      await insertComment(db, {
        article_id: articleId,
        parent_id: parent,
        author_name: `Reader ${i}`,
        author_email: `r${i}@example.org`,
        body: `Comment ${i}`,
        body_html: `<p>Comment ${i}</p>`,
        status,
        created_at: new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString(),
        ip_hash: 'a',
        erased_at: status === 'approved' && rnd() < 0.12 ? '2026-12-02T00:00:00.000Z' : null,
      }),
    );
  }
  // Moderation after the replies came: the parents' status changes reach their replies.
  const deps = { db, clock, notifier: { held() {}, approved() {} } };
  for (const id of ids) {
    const roll = rnd();
    if (roll < 0.08) await moderateComments(deps, [id], 'trash', { userId: null });
    else if (roll < 0.14) await moderateComments(deps, [id], 'approve', { userId: null });
    else if (roll < 0.18) await moderateComments(deps, [id], 'unapprove', { userId: null });
  }
  // A parent deleted for good (its replies move up) and one deleted by a plain DELETE (ON DELETE SET NULL).
  if (ids.length > 4) {
    await deleteCommentsPermanently(deps, [ids[1]!]);
    await db.deleteFrom('comments').where('id', '=', ids[2]!).execute();
  }
  // The approved-comment count as the app keeps it (these inserts went around it).
  await db
    .updateTable('articles')
    .set((eb) => ({ comment_count: eb.selectFrom('comments').select((eb2) => eb2.fn.countAll<number>().as('n')).where('article_id', '=', articleId).where('status', '=', 'approved').where('erased_at', 'is', null) }))
    .where('id', '=', articleId)
    .execute();
  return { articleId, ids: ids.filter((id) => id !== ids[1] && id !== ids[2]) };
}

for (const dialect of DIALECTS) {
  describe(`thread pages read on their own [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let database: OpenDatabase;
    const clock = new TestClock('2026-12-03T09:00:00.000Z');
    before(async () => {
      database = await openTestDatabase(dialect);
      await migrateToLatest(database.db);
    });
    after(() => database.close());

    test('every page, order, depth and reader matches paging the whole thread in memory; so does every permalink', async () => {
      const db = database.db;
      let compared = 0;
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const rnd = prng(seed);
        const { articleId, ids } = await generate(db, clock, rnd, seed === 1 ? 0 : 6 + Math.floor(rnd() * 30));
        const own = ids.filter(() => rnd() < 0.3).slice(0, 6);
        for (const maxDepth of [1, 2, 5]) {
          for (const perPage of [1, 3, 50]) {
            const settings: CommentSettings = { ...DEFAULT_COMMENT_SETTINGS, maxDepth, perPage, order: seed % 2 ? 'oldest' : 'newest' };
            await saveCommentSettings(db, settings);
            for (const ownIds of [[], own]) {
              const rows = await visibleRows(db, articleId, ownIds);
              // Short threads are read whole, longer ones by pages: both ways are compared here.
              const { comment_count: approvedCount } = await db.selectFrom('articles').select('comment_count').where('id', '=', articleId).executeTakeFirstOrThrow();
              for (const order of ['oldest', 'newest'] as const) {
                const { pageCount } = referenceThread(rows, settings, { page: 1, order });
                for (let page = 1; page <= pageCount + 1; page++) {
                  const where = `seed ${seed}, maxDepth ${maxDepth}, perPage ${perPage}, own [${ownIds}], ${order}, page ${page}`;
                  const expected = referenceThread(rows, settings, { page, order });
                  const actual = await getThread({ db }, settings, articleId, { ownIds, page, order, approvedCount });
                  assert.deepEqual({ page: actual.page, pageCount: actual.pageCount, comments: shape(actual.comments) }, { page: expected.page, pageCount: expected.pageCount, comments: shape(expected.comments) }, where);
                  compared += 1;
                }
              }
              const expected = referenceThread(rows, settings, { page: 1, order: settings.order });
              for (const id of [...ids, 999_999]) {
                const where = `seed ${seed}, maxDepth ${maxDepth}, perPage ${perPage}, own [${ownIds}], comment ${id}`;
                // Permalinks find comments the reader sees (not the placeholders of hidden ones).
                const located = await locateComment({ db, clock }, id, ownIds).catch(() => undefined);
                const seen = rows.some((row) => row.id === id) && expected.pageOf.has(id);
                assert.deepEqual(located, seen ? { articleId, page: expected.pageOf.get(id) } : undefined, where);
                // Reply targets and report notices for comments that are not on the page shown.
                const node = expected.byId.get(id);
                const found = await findThreadComment({ db }, articleId, id, ownIds);
                assert.equal(found.inThread, node !== undefined, where);
                assert.deepEqual(found.replyTarget, node && !node.pending && !node.erased ? { id, authorName: node.authorName } : undefined, where);
              }
            }
          }
        }
      }
      assert.ok(compared > 500, `${compared} pages compared`);
    });
  });
}
