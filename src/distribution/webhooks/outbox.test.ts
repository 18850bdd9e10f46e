/**
 * The webhook outbox on both databases: events of one turn of the event loop share one read of the active
 * webhooks and each still gets a delivery per subscribed webhook; an event emitted after a webhook was added
 * reaches it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { saveArticle } from '../../articles/service.ts';
import { insertComment } from '../../comments/store.ts';
import type { OpenDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../../test/support/databases.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { webhookOutbox } from './outbox.ts';
import { insertWebhook } from './store.ts';

for (const dialect of DIALECTS) {
  describe(`webhook outbox [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let database: OpenDatabase;
    const clock = new TestClock('2026-12-03T09:00:00.000Z');
    before(async () => {
      database = await openTestDatabase(dialect);
      await migrateToLatest(database.db);
    });
    after(() => database.close());

    test('the events of one turn share one read of the active webhooks; a webhook added later gets the next events', async () => {
      const { id: articleId } = await saveArticle({ db: database.db, clock }, { headline: 'Outbox', bodyHtml: '<p>Story.</p>', status: 'published', publishedAt: '2026-12-01T00:00:00.000Z' });
      const commentIds: number[] = [];
      for (let i = 0; i < 4; i++) {
        commentIds.push(await insertComment(database.db, { article_id: articleId, author_name: `Reader ${i}`, author_email: `r${i}@example.org`, body: `Comment ${i}`, body_html: `<p>Comment ${i}</p>`, status: 'approved', created_at: clock.now().toISOString(), ip_hash: 'a' }));
      }
      const now = clock.now().toISOString();
      const hook = (events: string[]) => ({ url: 'https://hooks.example/in', secret: 's', events: JSON.stringify(events), active: 1, created_at: now, updated_at: now });
      const comments = await insertWebhook(database.db, hook(['comment.approved']));
      await insertWebhook(database.db, hook(['article.published']));
      await insertWebhook(database.db, { ...hook(['comment.approved']), active: 0 });
      let reads = 0;
      const db = database.db.withPlugin({
        transformQuery: ({ node }) => {
          if (node.kind === 'SelectQueryNode' && JSON.stringify(node.from).includes('"webhooks"')) reads += 1;
          return node;
        },
        transformResult: async ({ result }) => result,
      });
      let queued = 0;
      const listener = webhookOutbox({ db, clock, siteUrl: 'https://news.example', queued: () => (queued += 1) });
      const deliveries = () => database.db.selectFrom('webhook_deliveries').select(['webhook_id', 'payload']).orderBy('id').execute();

      await Promise.all(commentIds.slice(0, 3).map((commentId) => listener({ type: 'comment.approved', commentId, articleId })));
      assert.equal(reads, 1);
      const first = await deliveries();
      assert.deepEqual(first.map((d) => d.webhook_id), [comments, comments, comments]);
      assert.deepEqual(first.map((d) => (JSON.parse(d.payload) as { comment: { id: number } }).comment.id).sort(), commentIds.slice(0, 3).sort());
      assert.equal(queued, 3);

      const added = await insertWebhook(database.db, hook(['comment.approved']));
      await listener({ type: 'comment.approved', commentId: commentIds[3]!, articleId });
      assert.equal(reads, 2);
      assert.deepEqual((await deliveries()).slice(3).map((d) => d.webhook_id).sort(), [comments, added].sort());
    });
  });
}
