/** Several stateless instances on one PostgreSQL and Redis: background jobs act once, limits and sessions are shared. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { saveArticle } from '../articles/service.ts';
import { insertDelivery } from '../distribution/webhooks/store.ts';
import { startWebhookWorker } from '../distribution/webhooks/worker.ts';
import { createUser } from '../newsroom/accounts.ts';
import { startScheduler } from '../newsroom/scheduler.ts';
import type { SiteEvent } from '../lib/site-events.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { hiddenCommentFields, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { addComment, seedArticle } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, csrfTokenOf, parsePage } from '../../test/support/http.ts';
import { signIn, submitForm } from '../../test/support/newsroom.ts';
import { startWebhookReceiver } from '../../test/support/webhook-receiver.ts';
import { addWebhook, articleFields, articleIdFrom, eventually, saveArticleVia } from '../../test/support/webhooks.ts';
import { startTcpProxy } from '../../test/support/tcp-proxy.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Both instances: shared Redis (its keys are prefixed per site secret, so per test database), readers behind a local proxy. */
const ENV = { REDIS_URL, TRUST_PROXY: 'loopback', WEBHOOKS_ALLOW_PRIVATE: 'true' };
const PASSWORD = 'instances test password';
const MINUTE = 60_000;

/** The same browser (one cookie jar) talking to another instance, as behind a load balancer. */
function sameBrowserAt(client: Client, origin: string): Client {
  return Object.assign(Object.create(Object.getPrototypeOf(client) as object) as Client, client, { origin });
}

/** An anonymous GET of `path` on `server`: its x-page-cache header, h1 and HTML. */
async function anonymousPage(server: TestServer, path: string): Promise<{ cache: string | null; h1: string; html: string }> {
  const response = await fetch(server.origin + path);
  const html = await response.text();
  assert.equal(response.status, 200, path);
  return { cache: response.headers.get('x-page-cache'), h1: parsePage(html).querySelector('h1')?.textContent?.trim() ?? '', html };
}

/** Loads the comment form of `path` on `server` as the reader at `ip`, and posts a comment through it. */
async function comment(server: TestServer, path: string, ip: string, email: string): Promise<number> {
  const reader = new Client(server.origin, { 'x-forwarded-for': ip });
  const hidden = hiddenCommentFields(parsePage((await reader.get(path)).html));
  const { response } = await reader.postForm(`${path}/comments`, { ...hidden, author: 'A Reader', email, url: '', comment: `From ${ip} as ${email}` });
  return response.status;
}

// PostgreSQL only: several machines share one database only on PostgreSQL (SQLite is one machine's file).
for (const dialect of DIALECTS.filter((d) => d === 'postgres')) {
  describe(`two instances on one database [${dialect}/${POSTGRES_KIND}]`, () => {
    const clock = new TestClock('2026-12-01T08:00:00Z');
    let a: TestServer;
    let b: TestServer;
    let admin: Client;

    before(async () => {
      a = await startTestServer(dialect, { clock, env: ENV });
      b = await startTestServer(dialect, { clock, env: ENV, shareDatabaseOf: a });
      await createUser({ db: a.database.db, clock, secret: 's' }, { email: 'admin@example.com', displayName: 'Admin', role: 'admin', password: PASSWORD });
      admin = new Client(a.origin);
      assert.equal((await signIn(admin, 'admin@example.com', PASSWORD)).response.status, 303);
    });
    after(async () => {
      await b.close();
      await a.close();
    });

    test('both schedulers ticking at once publish each due article exactly once', async () => {
      const db = a.database.db;
      // The instances' own timers tick on the shared clock, which stays behind: only these schedulers see the articles due.
      const ahead = new TestClock(clock.now().toISOString());
      const ids: number[] = [];
      // Three batches of four, falling due a minute apart: each round of ticks finds a new batch to race for.
      for (let n = 0; n < 12; n++) {
        const publishedAt = new Date(ahead.now().getTime() + (1 + Math.floor(n / 4)) * MINUTE).toISOString();
        ids.push((await saveArticle({ db, clock: ahead }, { headline: `Embargoed ${n}`, bodyHtml: `<p>Story ${n}.</p>`, status: 'scheduled', publishedAt })).id);
      }
      const announced: SiteEvent[] = [];
      const log = { info() {}, error() {} } as never;
      const events = { emit: (event: SiteEvent) => void announced.push(event) };
      const [onA, onB] = [startScheduler({ db, clock: ahead, log, events }), startScheduler({ db: b.database.db, clock: ahead, log, events })];
      const flipped: number[] = [];
      try {
        for (let round = 0; round < 4; round++) {
          ahead.advance(MINUTE);
          for (const run of await Promise.all([onA.runOnce(), onB.runOnce(), onA.runOnce(), onB.runOnce()])) flipped.push(...run);
        }
      } finally {
        onA.stop();
        onB.stop();
      }
      assert.deepEqual([...flipped].sort((x, y) => x - y), ids);
      assert.deepEqual(announced.map((e) => ('articleId' in e ? e.articleId : 0)).sort((x, y) => x - y), ids);
      assert.ok(announced.every((e) => e.type === 'article.published'));
      const statuses = await db.selectFrom('articles').select('status').where('id', 'in', ids).execute();
      assert.ok(statuses.every((r) => r.status === 'published'));
    });

    test('both webhook workers sending at once deliver each queued event exactly once', async () => {
      const receiver = await startWebhookReceiver();
      const db = a.database.db;
      try {
        const hook = await addWebhook(admin, receiver.url, ['article.updated']);
        const now = clock.now().toISOString();
        const queued: number[] = [];
        for (let n = 0; n < 16; n++) {
          queued.push(await insertDelivery(db, { webhook_id: hook.id, event: 'article.updated', payload: JSON.stringify({ n }), status: 'pending', next_attempt_at: now, claimed_until: null, last_status_code: null, created_at: now, delivered_at: null }));
        }
        // The workers each instance runs (long interval: only these explicit runs), several runs at the same moment.
        const [onA, onB] = [a, b].map((server) => startWebhookWorker({ db: server.database.db, clock, log: server.app.log, allowPrivate: true }, 3_600_000));
        try {
          await Promise.all([onA!.runOnce(), onB!.runOnce(), onA!.runOnce(), onB!.runOnce()]);
        } finally {
          await Promise.all([onA!.close(), onB!.close()]);
        }
        const rows = await eventually(async () => {
          const all = await db.selectFrom('webhook_deliveries').select(['id', 'status', 'attempts']).where('webhook_id', '=', hook.id).orderBy('id').execute();
          return all.every((d) => d.status === 'delivered') ? all : undefined;
        });
        assert.deepEqual(rows.map((d) => d.id), queued);
        assert.ok(rows.every((d) => d.attempts === 1));
        const attempts = await db.selectFrom('webhook_attempts').select('delivery_id').where('delivery_id', 'in', queued).execute();
        assert.equal(attempts.length, queued.length);
        assert.deepEqual(receiver.requests.map((r) => Number(r.headers['x-broadsheet-delivery'])).sort((x, y) => x - y), queued);
      } finally {
        await receiver.close();
      }
    });

    test('the hourly comment limit of a reader address is counted across instances (Redis)', async () => {
      await useOpenCommentSettings(a.database.db, { maxPerHour: 2 });
      const { path } = await seedArticle(a.database.db, clock, 'Shared hourly limit');
      const ip = '203.0.113.41';
      // Other email addresses each time: only the address's count can refuse the third.
      assert.equal(await comment(a, path, ip, 'first@example.org'), 303);
      assert.equal(await comment(b, path, ip, 'second@example.org'), 303);
      assert.equal(await comment(a, path, ip, 'third@example.org'), 429);
      assert.equal(await comment(b, path, ip, 'fourth@example.org'), 429);
      // Another reader is not affected.
      assert.equal(await comment(b, path, '192.0.2.42', 'other@example.org'), 303);
    });

    test('the flood interval holds across instances', async () => {
      await useOpenCommentSettings(a.database.db, { floodSeconds: 60 });
      const { path } = await seedArticle(a.database.db, clock, 'Shared flood interval');
      // Another network than the previous test's readers: the flood interval counts a reader's whole network.
      assert.equal(await comment(a, path, '198.51.100.51', 'quick@example.org'), 303);
      assert.equal(await comment(b, path, '198.51.100.51', 'quicker@example.org'), 429);
      clock.advance(61_000);
      assert.equal(await comment(b, path, '198.51.100.51', 'patient@example.org'), 303);
    });

    test('a session begun on one instance signs in on the other, and a form from one posts to the other', async () => {
      const onB = sameBrowserAt(admin, b.origin);
      assert.equal((await onB.get('/admin/webhooks')).response.status, 200);
      assert.equal((await new Client(b.origin).get('/admin/webhooks')).response.status, 303, 'without the cookie: to the sign-in page');
      const form = parsePage((await admin.get('/admin/webhooks')).html);
      const created = await onB.postForm('/admin/webhooks', { _csrf: csrfTokenOf(form), url: 'http://127.0.0.1:9/cross-instance', active: '1', events: 'article.published' });
      assert.equal(created.response.status, 303);
      assert.match(created.response.headers.get('location') ?? '', /^\/admin\/webhooks\/\d+\?done=created$/);
      // A forged token is still refused by the other instance.
      const forged = await onB.postForm('/admin/webhooks', { _csrf: 'forged', url: 'http://127.0.0.1:9/forged', active: '1', events: 'article.published' });
      assert.equal(forged.response.status, 403);
    });

    test('an article edited on one instance is served new by the other within a second; a comment approved there shows here', async () => {
      const created = await saveArticleVia(admin, '/admin/articles/new', 'publish', articleFields({ headline: 'Cross-instance story' }));
      assert.equal(created.response.status, 303);
      const id = articleIdFrom(created.response);
      const path = '/articles/cross-instance-story';
      // Both page caches come to hold the article (a page rendered while the publication's purge ran is not kept).
      for (const server of [a, b]) await eventually(async () => ((await anonymousPage(server, path)).cache === 'HIT' ? true : undefined));
      assert.equal((await saveArticleVia(admin, `/admin/articles/${id}`, 'publish', articleFields({ headline: 'Cross-instance story, updated', slug: 'cross-instance-story' }))).response.status, 303);
      await eventually(async () => ((await anonymousPage(b, path)).h1 === 'Cross-instance story, updated' ? true : undefined), 1000);

      const commentId = await addComment(a.database.db, id, { status: 'pending', body: 'Approved on the other instance' });
      await anonymousPage(a, path);
      assert.equal((await anonymousPage(a, path)).cache, 'HIT');
      const approved = await submitForm(sameBrowserAt(admin, b.origin), '/admin/comments', `/admin/comments/${commentId}/approve`, { status: 'pending', page: '1' });
      assert.equal(approved.response.status, 303);
      await eventually(async () => ((await anonymousPage(a, path)).html.includes('Approved on the other instance') ? true : undefined), 1000);
    });

    test('while the invalidations cannot arrive (Redis unreachable), the page cache serves nothing; it starts again empty', async () => {
      const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(REDIS_URL).port || 6379) });
      const redis = new URL(REDIS_URL);
      redis.hostname = '127.0.0.1';
      redis.port = String(proxy.port);
      const c = await startTestServer('postgres', { clock, env: { ...ENV, REDIS_URL: redis.href }, shareDatabaseOf: a });
      try {
        const { path } = await seedArticle(a.database.db, clock, 'Redis outage story');
        await eventually(async () => ((await anonymousPage(c, path)).cache === 'HIT' ? true : undefined));
        await proxy.cut();
        await eventually(async () => ((await anonymousPage(c, path)).cache !== 'HIT' ? true : undefined));
        for (let n = 0; n < 3; n++) assert.notEqual((await anonymousPage(c, path)).cache, 'HIT', 'nothing served from the cache while deaf');
        await proxy.restore();
        await eventually(async () => ((await anonymousPage(c, path)).cache === 'HIT' ? true : undefined), 15_000);
      } finally {
        await c.close();
        await proxy.close();
      }
    });
  });
}
