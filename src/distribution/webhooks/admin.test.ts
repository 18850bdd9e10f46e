/** The webhooks admin: who may use it, refused addresses, send test, disable, new secret, give up and retry, delete. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { PASSWORD, signedInClients } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { parsePage, type Client } from '../../../test/support/http.ts';
import { signIn, submitForm } from '../../../test/support/newsroom.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { addWebhook, articleFields, assertSigned, eventually, saveArticleVia } from '../../../test/support/webhooks.ts';
import type { Role } from '../../db/schema.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from './delivery.ts';
import { startWebhookWorker } from './worker.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of DIALECTS) {
  describe(`webhooks admin [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let clients: Record<Role, Client>;
    let hooks: WebhookReceiver;
    const clock = new TestClock('2026-12-01T08:00:00Z');

    before(async () => {
      server = await startTestServer(dialect, { clock, env: { WEBHOOKS_ALLOW_PRIVATE: 'true' } });
      clients = await signedInClients(server.database.db, clock, server.origin, ['editor', 'admin']);
      hooks = await startWebhookReceiver();
    });
    after(async () => {
      await server.close();
      await hooks.close();
    });

    const db = () => server.database.db;

    test('only admins see and use the webhooks pages', async () => {
      assert.equal((await clients.editor.get('/admin/webhooks')).response.status, 403);
      assert.equal(parsePage((await clients.editor.get('/admin')).html).querySelector('.admin-bar a[href="/admin/webhooks"]'), null);
      const refused = await submitForm(clients.editor, '/admin', '/admin/webhooks', [['url', hooks.url], ['events', 'article.published']]);
      assert.equal(refused.response.status, 403);
      assert.equal((await db().selectFrom('webhooks').select('id').execute()).length, 0);
      assert.ok(parsePage((await clients.admin.get('/admin')).html).querySelector('.admin-bar a[href="/admin/webhooks"]'));
      assert.equal((await clients.admin.get('/admin/webhooks')).response.status, 200);
    });

    test('bad addresses and an empty event list are refused with the form shown again', async () => {
      const cases: [string, string[], string][] = [
        ['', ['article.published'], 'url'],
        ['ftp://example.com/hook', ['article.published'], 'url'],
        ['https://user:pass@example.com/hook', ['article.published'], 'url'],
        ['not a url', ['article.published'], 'url'],
        ['https://example.com/hook', [], 'events'],
        ['https://example.com/hook', ['article.deleted'], 'events'],
      ];
      for (const [url, events, field] of cases) {
        const { response, html } = await submitForm(clients.admin, '/admin/webhooks', '/admin/webhooks', [['url', url], ...events.map((e): [string, string] => ['events', e])]);
        assert.equal(response.status, 422, url);
        const page = parsePage(html);
        assert.ok(page.getElementById(`${field}-error`), `${url} ${events.join()}`);
        assert.equal(page.getElementById('url')?.getAttribute('value') ?? '', url);
      }
      assert.equal((await db().selectFrom('webhooks').select('id').execute()).length, 0);
    });

    test('send test: a signed ping arrives and the delivery page says so; disabling stops events; a new secret replaces the old', async () => {
      const hook = await addWebhook(clients.admin, hooks.url, ['article.published']);
      const tested = await submitForm(clients.admin, `/admin/webhooks/${hook.id}`, `/admin/webhooks/${hook.id}/test`, {});
      assert.equal(tested.response.status, 303);
      const [ping] = await hooks.waitFor(1);
      assert.equal(ping!.headers['x-broadsheet-event'], 'ping');
      assert.deepEqual(ping!.json.webhook, { id: hook.id, url: hooks.url });
      assertSigned(ping!, hook.secret);
      const page = parsePage((await clients.admin.get(tested.response.headers.get('location')!)).html);
      assert.match(page.querySelector('.notice')?.textContent ?? '', /^Delivered/);
      assert.equal(page.querySelector('.status')?.textContent, 'delivered');

      // Disabled: publishing queues nothing for it.
      const disable = await submitForm(clients.admin, `/admin/webhooks/${hook.id}`, `/admin/webhooks/${hook.id}`, [['url', hooks.url], ['events', 'article.published']]);
      assert.equal(disable.response.status, 303);
      assert.equal(parsePage((await clients.admin.get('/admin/webhooks')).html).querySelector(`tr[data-webhook="${hook.id}"]`)?.textContent?.includes('disabled'), true);
      await saveArticleVia(clients.editor, '/admin/articles/new', 'publish', articleFields({ headline: 'Nobody is told' }));
      await pause(200);
      assert.equal(hooks.requests.length, 1);

      // Active again, with a new secret: the next event is signed with it.
      await submitForm(clients.admin, `/admin/webhooks/${hook.id}`, `/admin/webhooks/${hook.id}`, [['url', hooks.url], ['events', 'article.published'], ['active', '1'], ['new_secret', '1']]);
      const secret = parsePage((await clients.admin.get(`/admin/webhooks/${hook.id}`)).html).querySelector('.webhook-secret')?.textContent ?? '';
      assert.match(secret, /^[0-9a-f]{64}$/);
      assert.notEqual(secret, hook.secret);
      await saveArticleVia(clients.editor, '/admin/articles/new', 'publish', articleFields({ headline: 'Signed anew' }));
      const next = (await hooks.waitFor(2))[1]!;
      assert.equal(next.json.article.headline, 'Signed anew');
      assertSigned(next, secret);
    });

    test('a delivery that keeps failing is given up after the last retry; "retry now" sends it once more', async () => {
      const failing = await startWebhookReceiver();
      const worker = startWebhookWorker({ db: db(), clock, log: server.app.log, allowPrivate: true }, 3_600_000);
      try {
        failing.answer(...Array<number>(MAX_ATTEMPTS).fill(500));
        const hook = await addWebhook(clients.admin, failing.url, ['article.published']);
        await saveArticleVia(clients.editor, '/admin/articles/new', 'publish', articleFields({ headline: 'Never received' }));
        await failing.waitFor(1);
        const delivery = () => db().selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', hook.id).executeTakeFirstOrThrow();
        await eventually(async () => ((await delivery()).attempts === 1 ? true : undefined));
        for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
          clock.advance(delay);
          await worker.runOnce();
          await failing.waitFor(i + 2);
          await eventually(async () => ((await delivery()).attempts === i + 2 ? true : undefined));
        }
        const given = await delivery();
        assert.deepEqual([given.status, given.attempts, given.next_attempt_at, given.last_status_code], ['failed', MAX_ATTEMPTS, null, 500]);
        assert.match(given.last_error, /^HTTP 500/);
        clock.advance(24 * 3_600_000);
        await worker.runOnce();
        assert.equal(failing.requests.length, MAX_ATTEMPTS);
        // Over a day and a half went by: the newsroom sessions ended meanwhile.
        for (const role of ['admin', 'editor'] as const) await signIn(clients[role], `${role}@example.com`, PASSWORD);

        const row = parsePage((await clients.admin.get('/admin/webhooks')).html).querySelector(`tr[data-delivery="${given.id}"]`);
        assert.equal(row?.querySelector('.status')?.textContent, 'failed');
        assert.match(row?.querySelector('.delivery-response')?.textContent ?? '', /500/);
        const retried = await submitForm(clients.admin, '/admin/webhooks', `/admin/webhooks/deliveries/${given.id}/retry`, {});
        assert.equal(retried.response.headers.get('location'), `/admin/webhooks/deliveries/${given.id}?done=delivered`);
        assert.equal(failing.requests.length, MAX_ATTEMPTS + 1);
        assert.deepEqual([(await delivery()).status, (await delivery()).attempts], ['delivered', MAX_ATTEMPTS + 1]);
      } finally {
        await worker.close();
        await failing.close();
      }
    });

    test('deleting a webhook removes it with its delivery log', async () => {
      const hook = await addWebhook(clients.admin, hooks.url, ['comment.approved']);
      await submitForm(clients.admin, `/admin/webhooks/${hook.id}`, `/admin/webhooks/${hook.id}/test`, {});
      assert.equal((await db().selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', hook.id).execute()).length, 1);
      const deleted = await submitForm(clients.admin, `/admin/webhooks/${hook.id}`, `/admin/webhooks/${hook.id}/delete`, {});
      assert.equal(deleted.response.headers.get('location'), '/admin/webhooks?done=deleted');
      assert.equal((await clients.admin.get(`/admin/webhooks/${hook.id}`)).response.status, 404);
      assert.equal((await db().selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', hook.id).execute()).length, 0);
    });
  });
}

describe('webhooks admin without WEBHOOKS_ALLOW_PRIVATE', () => {
  test('loopback and private addresses are refused; a public address is accepted', async () => {
    const server = await startTestServer('sqlite');
    try {
      const { admin } = await signedInClients(server.database.db, new TestClock(), server.origin, ['admin']);
      for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:192.168.0.1]/']) {
        const { response, html } = await submitForm(admin, '/admin/webhooks', '/admin/webhooks', [['url', url], ['events', 'article.published']]);
        assert.equal(response.status, 422, url);
        assert.match(parsePage(html).getElementById('url-error')?.textContent ?? '', /WEBHOOKS_ALLOW_PRIVATE/, url);
      }
      await addWebhook(admin, 'https://hooks.example.com/broadsheet', ['article.published']);
    } finally {
      await server.close();
    }
  });
});
