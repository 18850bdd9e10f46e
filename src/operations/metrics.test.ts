/** Queue depths and database pool connections on GET /metrics, over real HTTP on both databases. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { addComment, seedArticle } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { sample, scrape } from '../../test/support/metrics.ts';
import { saveArticle } from '../articles/service.ts';
import { insertDelivery, insertWebhook } from '../distribution/webhooks/store.ts';

const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`queue and pool metrics [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const clock = new TestClock('2026-12-01T08:00:00Z');
    const at = (offsetMs: number) => new Date(clock.now().getTime() + offsetMs).toISOString();
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, { clock });
      const db = server.database.db;
      const deps = { db, clock };
      const published = await seedArticle(db, clock, 'Harbour bridge reopens');
      await addComment(db, published.id, { status: 'pending' });
      await addComment(db, published.id, { status: 'pending' });
      await addComment(db, published.id, { status: 'approved' });
      await saveArticle(deps, { headline: 'Budget day', bodyHtml: '<p>Later.</p>', status: 'scheduled', publishedAt: at(HOUR) });
      await saveArticle(deps, { headline: 'Election night', bodyHtml: '<p>Much later.</p>', status: 'scheduled', publishedAt: at(24 * HOUR) });
      await saveArticle(deps, { headline: 'Unfinished', bodyHtml: '<p>Draft.</p>', status: 'draft' });

      const webhook = (active: 0 | 1) => insertWebhook(db, { url: 'https://hooks.example.test/in', secret: 'ab'.repeat(16), events: '["article.published"]', active, created_at: at(0), updated_at: at(0) });
      const delivery = (webhookId: number, row: { status?: 'pending' | 'delivered'; next_attempt_at: string | null; claimed_until?: string }) =>
        insertDelivery(db, { webhook_id: webhookId, event: 'article.published', payload: '{}', status: row.status ?? 'pending', next_attempt_at: row.next_attempt_at, claimed_until: row.claimed_until ?? null, created_at: at(-HOUR) });
      const active = await webhook(1);
      const disabled = await webhook(0);
      // Due a minute ago and held by a worker's lease (another instance sending it): due, and this worker leaves it alone.
      await delivery(active, { next_attempt_at: at(-60_000), claimed_until: '2999-01-01T00:00:00.000Z' });
      // A retry an hour from now, one already delivered, and a due one of a disabled webhook: none is due.
      await delivery(active, { next_attempt_at: at(HOUR) });
      await delivery(active, { status: 'delivered', next_attempt_at: null });
      await delivery(disabled, { next_attempt_at: at(-60_000) });
    });
    after(() => server.close());

    test('queue depths: moderation queue, webhook deliveries due now, scheduled articles', async () => {
      const text = await scrape(server.origin);
      assert.equal(sample(text, 'broadsheet_comments{status="pending"}'), 2, 'the moderation queue');
      assert.equal(sample(text, 'broadsheet_webhook_deliveries_due'), 1);
      assert.equal(sample(text, 'broadsheet_webhook_deliveries{status="pending"}'), 3, 'due or not, pending is the whole outbox queue');
      assert.equal(sample(text, 'broadsheet_scheduled_articles'), 2);
    });

    test('scheduled articles leave the queue once published', async () => {
      const db = server.database.db;
      await db.updateTable('articles').set({ status: 'published' }).where('headline', '=', 'Budget day').execute();
      assert.equal(sample(await scrape(server.origin), 'broadsheet_scheduled_articles'), 1);
    });

    if (dialect === 'sqlite' || POSTGRES_KIND === 'pglite') {
      test('no pool series where there is no pg pool (SQLite, in-process PGlite)', async () => {
        assert.doesNotMatch(await scrape(server.origin), /^broadsheet_db_pool_connections\{/m);
      });
    } else {
      test('pool connections of the primary, no replica series without DATABASE_READ_URL', async () => {
        assert.equal((await fetch(`${server.origin}/feed.xml`)).status, 200);
        const text = await scrape(server.origin);
        const total = sample(text, 'broadsheet_db_pool_connections{pool="primary",state="total"}');
        const idle = sample(text, 'broadsheet_db_pool_connections{pool="primary",state="idle"}');
        assert.ok(total !== undefined && total >= 1 && total <= 5, `total ${total} within the test pool of 5`);
        assert.ok(idle !== undefined && idle <= total, `idle ${idle}`);
        assert.equal(sample(text, 'broadsheet_db_pool_connections{pool="primary",state="waiting"}'), 0);
        assert.doesNotMatch(text, /pool="replica"/);
      });
    }
  });
}
