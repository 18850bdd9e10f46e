/** Webhook delivery end to end: newsroom and moderation actions → signed POSTs to a real loopback receiver. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { readerOn, useOpenCommentSettings } from '../../../test/support/comment-posting.ts';
import { seedArticle, signedInClients } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND, openTestDatabase } from '../../../test/support/databases.ts';
import { Client, parsePage } from '../../../test/support/http.ts';
import { signIn, submitForm } from '../../../test/support/newsroom.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { addWebhook, articleFields, articleIdFrom, assertSigned, eventually, saveArticleVia } from '../../../test/support/webhooks.ts';
import type { Role } from '../../db/schema.ts';
import { createUser } from '../../newsroom/accounts.ts';
import { insertDelivery } from './store.ts';
import { startWebhookWorker } from './worker.ts';

const ENV = { WEBHOOKS_ALLOW_PRIVATE: 'true' };
const SITE = 'http://news.example.test';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of DIALECTS) {
  describe(`webhook delivery [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let clients: Record<Role, Client>;
    const clock = new TestClock('2026-12-01T08:00:00Z');
    const receivers: WebhookReceiver[] = [];
    const receiver = async () => {
      const r = await startWebhookReceiver();
      receivers.push(r);
      return r;
    };

    before(async () => {
      server = await startTestServer(dialect, { clock, env: ENV });
      clients = await signedInClients(server.database.db, clock, server.origin, ['editor', 'admin']);
    });
    after(async () => {
      await server.close();
      await Promise.all(receivers.map((r) => r.close()));
    });

    const db = () => server.database.db;
    const deliveriesOf = (webhookId: number) => db().selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id').execute();
    const worker = () => startWebhookWorker({ db: db(), clock, log: server.app.log, allowPrivate: true }, 3_600_000);

    test('publishing, editing and unpublishing in the newsroom send one signed event each; drafts send nothing', async () => {
      const hooks = await receiver();
      const hook = await addWebhook(clients.admin, hooks.url, ['article.published', 'article.updated', 'article.unpublished']);

      const created = await saveArticleVia(clients.editor, '/admin/articles/new', 'publish', articleFields({ headline: 'Tram line opens', dek: 'A new line east.' }));
      assert.equal(created.response.status, 303);
      const id = articleIdFrom(created.response);
      const [published] = await hooks.waitFor(1);
      assert.equal(published!.headers['content-type'], 'application/json');
      assert.equal(published!.headers['x-broadsheet-event'], 'article.published');
      assert.match(String(published!.headers['x-broadsheet-delivery']), /^\d+$/);
      assert.equal(published!.headers['x-broadsheet-timestamp'], String(Math.floor(clock.now().getTime() / 1000)));
      assertSigned(published!, hook.secret);
      assert.equal(published!.json.event, 'article.published');
      assert.match(published!.json.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(published!.json.article, {
        id,
        slug: 'tram-line-opens',
        url: `${SITE}/articles/tram-line-opens`,
        headline: 'Tram line opens',
        dek: 'A new line east.',
        published_at: clock.now().toISOString(),
        updated_at: clock.now().toISOString(),
        status: 'published',
      });

      clock.advance(60_000);
      assert.equal((await saveArticleVia(clients.editor, `/admin/articles/${id}`, 'save', articleFields({ headline: 'Tram line opens early' }))).response.status, 303);
      const updated = (await hooks.waitFor(2))[1]!;
      assert.equal(updated.headers['x-broadsheet-event'], 'article.updated');
      assert.equal(updated.json.article.headline, 'Tram line opens early');
      assert.equal(updated.json.article.updated_at, clock.now().toISOString());
      assertSigned(updated, hook.secret);

      assert.equal((await saveArticleVia(clients.editor, `/admin/articles/${id}`, 'unpublish', articleFields({ headline: 'Tram line opens early' }))).response.status, 303);
      const unpublished = (await hooks.waitFor(3))[2]!;
      assert.equal(unpublished.headers['x-broadsheet-event'], 'article.unpublished');
      assert.equal(unpublished.json.article.status, 'unpublished');

      // Drafts and submissions are nobody's business outside the newsroom.
      const draft = await saveArticleVia(clients.editor, '/admin/articles/new', 'save', articleFields({ headline: 'Only a draft' }));
      await saveArticleVia(clients.editor, `/admin/articles/${articleIdFrom(draft.response)}`, 'submit', articleFields({ headline: 'Only a draft' }));
      await pause(200);
      assert.equal(hooks.requests.length, 3);
      const rows = await deliveriesOf(hook.id);
      assert.deepEqual(
        rows.map((r) => [r.event, r.status, r.attempts, r.last_status_code]),
        [
          ['article.published', 'delivered', 1, 200],
          ['article.updated', 'delivered', 1, 200],
          ['article.unpublished', 'delivered', 1, 200],
        ],
      );
      assert.deepEqual(hooks.requests.map((r) => Number(r.headers['x-broadsheet-delivery'])), rows.map((r) => r.id));

      // The log in the admin, newest first.
      const log = parsePage((await clients.admin.get(`/admin/webhooks/${hook.id}`)).html);
      const logRows = [...log.querySelectorAll('.delivery-log tbody tr')];
      assert.deepEqual(logRows.map((tr) => tr.querySelector('code')?.textContent), ['article.unpublished', 'article.updated', 'article.published']);
      assert.ok(logRows.every((tr) => tr.querySelector('.status')?.textContent === 'delivered'));
    });

    test('restoring a revision of a live article and a scheduled article going live are announced too', async () => {
      const hooks = await receiver();
      await addWebhook(clients.admin, hooks.url, ['article.published', 'article.updated']);
      const created = await saveArticleVia(clients.editor, '/admin/articles/new', 'publish', articleFields({ headline: 'Ferry returns' }));
      const id = articleIdFrom(created.response);
      await saveArticleVia(clients.editor, `/admin/articles/${id}`, 'save', articleFields({ headline: 'Ferry returns at last' }));
      await hooks.waitFor(2);
      const page = parsePage((await clients.editor.get(`/admin/articles/${id}`)).html);
      const firstRevision = [...page.querySelectorAll('a[href*="/revisions/"]')].map((a) => a.getAttribute('href')!).pop()!;
      const restored = await submitForm(clients.editor, `/admin/articles/${id}`, `${firstRevision.split('?')[0]}/restore`, { version: page.querySelector('input[name="version"]')!.getAttribute('value')! });
      assert.equal(restored.response.status, 303);
      const restoredEvent = (await hooks.waitFor(3))[2]!;
      assert.equal(restoredEvent.json.event, 'article.updated');
      assert.equal(restoredEvent.json.article.headline, 'Ferry returns');

      // Scheduled: nothing until the scheduler publishes it.
      const later = new Date(clock.now().getTime() + 3_600_000).toISOString().slice(0, 16);
      const scheduled = await saveArticleVia(clients.editor, '/admin/articles/new', 'schedule', articleFields({ headline: 'Budget at noon', publish_at: later }));
      assert.equal(scheduled.response.status, 303);
      await pause(150);
      assert.equal(hooks.requests.length, 3);
      clock.advance(3_600_000 + 1000);
      // A new instance's scheduler publishes what fell due at its start (the one that flips it announces it).
      const second = await startTestServer(dialect, { clock, env: ENV, shareDatabaseOf: server });
      try {
        const live = (await hooks.waitFor(4))[3]!;
        assert.equal(live.json.event, 'article.published');
        assert.equal(live.json.article.id, articleIdFrom(scheduled.response));
        assert.equal(live.json.article.status, 'published');
        await pause(150);
        assert.equal(hooks.requests.length, 4);
      } finally {
        await second.close();
      }
    });

    test('approving a held comment sends comment.approved without the email address; webhooks get only their events', async () => {
      const comments = await receiver();
      const hook = await addWebhook(clients.admin, comments.url, ['comment.approved']);
      await useOpenCommentSettings(db(), { holdAll: true });
      const article = await seedArticle(db(), clock, 'Comment story');
      const { client: reader, hidden } = await readerOn(server.origin, article.path);
      const posted = await reader.postForm(`${article.path}/comments`, { ...hidden, author: 'Ana Reader', email: 'ana.private@example.org', url: '', comment: 'A held comment.' });
      assert.equal(posted.response.status, 303);
      const comment = await db().selectFrom('comments').select(['id', 'status', 'created_at']).where('author_name', '=', 'Ana Reader').executeTakeFirstOrThrow();
      assert.equal(comment.status, 'pending');
      // An article published meanwhile is not this webhook's business.
      await saveArticleVia(clients.editor, '/admin/articles/new', 'publish', articleFields({ headline: 'Unrelated story' }));
      await pause(200);
      assert.equal(comments.requests.length, 0);

      assert.equal((await submitForm(clients.editor, '/admin/comments', `/admin/comments/${comment.id}/approve`, {})).response.status, 303);
      const [approved] = await comments.waitFor(1);
      assert.equal(approved!.headers['x-broadsheet-event'], 'comment.approved');
      assertSigned(approved!, hook.secret);
      assert.deepEqual(approved!.json.comment, { id: comment.id, article_id: article.id, url: `${SITE}/comments/${comment.id}`, author_name: 'Ana Reader', created_at: comment.created_at });
      assert.doesNotMatch(approved!.body, /ana\.private|@|ip_hash/);

      // A comment approved on posting is announced as well.
      await useOpenCommentSettings(db());
      const again = await readerOn(server.origin, article.path);
      await again.client.postForm(`${article.path}/comments`, { ...again.hidden, author: 'Ben Reader', email: 'ben@example.org', url: '', comment: 'Straight through.' });
      const second = (await comments.waitFor(2))[1]!;
      assert.equal(second.json.comment.author_name, 'Ben Reader');
      await pause(150);
      assert.ok(comments.requests.every((r) => r.json.event === 'comment.approved'));
      assert.equal(comments.requests.length, 2);
    });

    test('a receiver answering 500 gets the delivery again after the backoff, and the log shows both attempts', async () => {
      const flaky = await receiver();
      flaky.answer(500);
      const hook = await addWebhook(clients.admin, flaky.url, ['article.published']);
      await saveArticleVia(clients.editor, '/admin/articles/new', 'publish', articleFields({ headline: 'Backoff story' }));
      await flaky.waitFor(1);
      const first = await eventually(async () => (await deliveriesOf(hook.id)).find((d) => d.attempts === 1));
      assert.equal(first.status, 'pending');
      assert.equal(first.last_status_code, 500);
      assert.equal(first.next_attempt_at, new Date(clock.now().getTime() + 60_000).toISOString());

      const retrier = worker();
      try {
        clock.advance(59_000);
        await retrier.runOnce();
        assert.equal(flaky.requests.length, 1, 'not before its time');
        clock.advance(2_000);
        await retrier.runOnce();
        const [a, b] = await flaky.waitFor(2);
        assert.equal(a!.headers['x-broadsheet-delivery'], b!.headers['x-broadsheet-delivery']);
        assert.equal(a!.body, b!.body);
        assertSigned(b!, hook.secret);
      } finally {
        await retrier.close();
      }
      const done = await eventually(async () => (await deliveriesOf(hook.id)).find((d) => d.status === 'delivered'));
      assert.equal(done.attempts, 2);
      const page = parsePage((await clients.admin.get(`/admin/webhooks/deliveries/${done.id}`)).html);
      assert.deepEqual([...page.querySelectorAll('.attempt-log tbody .attempt-status')].map((td) => td.textContent), ['200', '500']);
      assert.match(page.querySelector('.webhook-payload')?.textContent ?? '', /"headline": "Backoff story"/);
    });

    test('two instances sending at once deliver each queued event exactly once', async () => {
      const busy = await receiver();
      const hook = await addWebhook(clients.admin, busy.url, ['article.updated']);
      const now = clock.now().toISOString();
      const queued: number[] = [];
      for (let n = 0; n < 12; n++) {
        queued.push(await insertDelivery(db(), { webhook_id: hook.id, event: 'article.updated', payload: JSON.stringify({ n }), status: 'pending', next_attempt_at: now, claimed_until: null, last_status_code: null, created_at: now, delivered_at: null }));
      }
      const [one, two] = [worker(), worker()];
      try {
        // A second app instance catches up at start, while two more workers run at the same moment.
        const [second] = await Promise.all([startTestServer(dialect, { clock, env: ENV, shareDatabaseOf: server }), one.runOnce(), two.runOnce(), one.runOnce()]);
        await busy.waitFor(12);
        await pause(200);
        await second.close();
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
      assert.equal(busy.requests.length, 12);
      assert.deepEqual(busy.requests.map((r) => Number(r.headers['x-broadsheet-delivery'])).sort((a, b) => a - b), queued);
      assert.ok((await deliveriesOf(hook.id)).every((d) => d.status === 'delivered' && d.attempts === 1));
    });
  });

  describe(`webhook delivery across a restart [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    test('deliveries pending when the app stops are sent by the next instance to start on the database', async () => {
      const clock = new TestClock('2026-12-01T08:00:00Z');
      const database = await openTestDatabase(dialect);
      const holder = { database } as TestServer;
      const hooks = await startWebhookReceiver();
      try {
        const first = await startTestServer(dialect, { clock, env: ENV, shareDatabaseOf: holder });
        await createUser({ db: database.db, clock, secret: 's' }, { email: 'admin@example.com', displayName: 'Admin', role: 'admin', password: 'restart test password' });
        const admin = new Client(first.origin);
        await signIn(admin, 'admin@example.com', 'restart test password');
        const hook = await addWebhook(admin, hooks.url, ['article.published']);
        hooks.answer(503);
        await saveArticleVia(admin, '/admin/articles/new', 'publish', articleFields({ headline: 'Before the restart' }));
        await hooks.waitFor(1);
        const row = () => database.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', hook.id).orderBy('id').execute();
        await eventually(async () => ((await row())[0]?.attempts === 1 ? true : undefined));
        await first.close();

        // Queued while no instance runs (as the outbox stores it), and the failed one falls due meanwhile.
        const now = clock.now().toISOString();
        await insertDelivery(database.db, { webhook_id: hook.id, event: 'article.published', payload: '{"event":"article.published"}', status: 'pending', next_attempt_at: now, claimed_until: null, last_status_code: null, created_at: now, delivered_at: null });
        clock.advance(2 * 60_000);
        const next = await startTestServer(dialect, { clock, env: ENV, shareDatabaseOf: holder });
        try {
          await hooks.waitFor(3);
          const rows = await eventually(async () => {
            const all = await row();
            return all.every((d) => d.status === 'delivered') ? all : undefined;
          });
          assert.deepEqual(rows.map((d) => d.attempts), [2, 1]);
          assertSigned(hooks.requests[2]!, hook.secret);
        } finally {
          await next.close();
        }
      } finally {
        await hooks.close();
        await database.close();
      }
    });
  });
}
