/** /healthz, /readyz and /metrics over real HTTP on both databases: answers, caching, access control, counts, labels. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { addComment, seedArticle } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../test/support/databases.ts';
import { sample } from '../../test/support/metrics.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { insertDelivery, insertWebhook } from '../distribution/webhooks/store.ts';
import { createReadiness } from './readiness.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

for (const dialect of DIALECTS) {
  describe(`operations endpoints [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const clock = new TestClock('2026-12-01T08:00:00Z');
    let server: TestServer;
    let articlePath: string;
    before(async () => {
      server = await startTestServer(dialect, { clock });
      const db = server.database.db;
      const article = await seedArticle(db, clock, 'Harbour bridge reopens');
      articlePath = article.path;
      await addComment(db, article.id, { status: 'approved' });
      await addComment(db, article.id, { status: 'approved' });
      await addComment(db, article.id, { status: 'pending' });
      await addComment(db, article.id, { status: 'spam' });
      // A disabled webhook with a delivery due far ahead: the worker leaves it pending.
      const webhookId = await insertWebhook(db, { url: 'https://hooks.example.test/in', secret: 'ab'.repeat(16), events: '["article.published"]', active: 0, created_at: clock.now().toISOString(), updated_at: clock.now().toISOString() });
      await insertDelivery(db, { webhook_id: webhookId, event: 'article.published', payload: '{}', status: 'pending', next_attempt_at: '2999-01-01T00:00:00.000Z', created_at: clock.now().toISOString() });
    });
    after(() => server.close());

    test('/healthz answers ok, uncached', async () => {
      const response = await fetch(`${server.origin}/healthz`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(await response.text(), 'ok');
    });

    test('/readyz is 200 on a migrated, reachable database', async () => {
      const response = await fetch(`${server.origin}/readyz`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await response.json(), { status: 'ready' });
    });

    test('/metrics from loopback without a token: defaults, comments and outbox by status, durations by route pattern', async () => {
      assert.equal((await fetch(`${server.origin}${articlePath}`)).status, 200);
      assert.equal((await fetch(`${server.origin}/articles/no-such-story`)).status, 404);
      assert.equal((await fetch(`${server.origin}/no/such/address/at-all`)).status, 404);
      const response = await fetch(`${server.origin}/metrics`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      assert.ok(sample(text, 'process_cpu_user_seconds_total') !== undefined, 'default process metrics');
      assert.equal(sample(text, 'broadsheet_comments{status="approved"}'), 2);
      assert.equal(sample(text, 'broadsheet_comments{status="pending"}'), 1);
      assert.equal(sample(text, 'broadsheet_comments{status="spam"}'), 1);
      assert.equal(sample(text, 'broadsheet_comments{status="trash"}'), 0);
      assert.equal(sample(text, 'broadsheet_webhook_deliveries{status="pending"}'), 1);
      assert.equal(sample(text, 'broadsheet_webhook_deliveries{status="delivered"}'), 0);
      assert.equal(sample(text, 'http_request_duration_seconds_count{method="GET",route="/articles/:slug",status_code="200"}'), 1);
      assert.equal(sample(text, 'http_request_duration_seconds_count{method="GET",route="/articles/:slug",status_code="404"}'), 1);
      assert.equal(sample(text, 'http_request_duration_seconds_count{method="GET",route="not_found",status_code="404"}'), 1);
      assert.doesNotMatch(text, /no-such-story|such\/address|harbour-bridge/, 'addresses never become labels');
    });

    test('/metrics without a token is 404 to a reader who is not on loopback', async () => {
      const proxied = await startTestServer(dialect, { clock, shareDatabaseOf: server, env: { TRUST_PROXY: 'loopback' } });
      try {
        const remote = await fetch(`${proxied.origin}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
        assert.equal(remote.status, 404);
        assert.doesNotMatch(await remote.text(), /broadsheet_comments/);
        assert.equal((await fetch(`${proxied.origin}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } })).status, 200);
      } finally {
        await proxied.close();
      }
    });

    test('/metrics with METRICS_TOKEN needs the bearer token, even from loopback', async () => {
      const guarded = await startTestServer(dialect, { clock, shareDatabaseOf: server, env: { METRICS_TOKEN: TOKEN } });
      try {
        const none = await fetch(`${guarded.origin}/metrics`, { headers: { accept: 'application/json' } });
        assert.equal(none.status, 401);
        assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'unauthorized');
        assert.equal((await fetch(`${guarded.origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status, 401);
        assert.equal((await fetch(`${guarded.origin}/metrics`, { headers: { authorization: `Basic ${TOKEN}` } })).status, 401);
        const good = await fetch(`${guarded.origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
        assert.equal(good.status, 200);
        assert.match(await good.text(), /^broadsheet_comments\{status="approved"\} 2$/m);
      } finally {
        await guarded.close();
      }
    });

    test('each app has its own registry: a second instance counts only its own requests', async () => {
      const second = await startTestServer(dialect, { clock, shareDatabaseOf: server });
      try {
        const text = await (await fetch(`${second.origin}/metrics`)).text();
        assert.equal(sample(text, 'http_request_duration_seconds_count{method="GET",route="/articles/:slug",status_code="200"}'), undefined);
        assert.equal(sample(text, 'broadsheet_comments{status="approved"}'), 2);
      } finally {
        await second.close();
      }
    });
  });

  describe(`readiness [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    test('not ready while migrations are pending; ready once they ran', async () => {
      const database = await openTestDatabase(dialect);
      try {
        const readiness = createReadiness(database.db);
        assert.deepEqual(await readiness.check(), { ready: false, reason: 'migrations pending' });
        await migrateToLatest(database.db);
        assert.deepEqual(await readiness.check(), { ready: true });
      } finally {
        await database.close();
      }
    });

    test('/readyz is 503 with a reason once the database stops answering', async () => {
      const server = await startTestServer(dialect);
      try {
        assert.equal((await fetch(`${server.origin}/readyz`)).status, 200);
        await server.database.db.destroy();
        const response = await fetch(`${server.origin}/readyz`);
        assert.equal(response.status, 503);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        assert.deepEqual(await response.json(), { status: 'unavailable', reason: 'database unreachable' });
        assert.equal((await fetch(`${server.origin}/healthz`)).status, 200, 'liveness does not depend on the database');
      } finally {
        await server.close();
      }
    });
  });
}
