import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiRequest } from '../../../test/support/api.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { signedInClients } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { Client, parsePage } from '../../../test/support/http.ts';
import { submitForm } from '../../../test/support/newsroom.ts';
import type { Role } from '../../db/schema.ts';

for (const dialect of DIALECTS) {
  describe(`newsroom API keys page [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let clients: Record<Role, Client>;
    const clock = new TestClock('2026-12-01T09:00:00Z');

    before(async () => {
      server = await startTestServer(dialect, { clock });
      clients = await signedInClients(server.database.db, clock, server.origin);
    });
    after(() => server.close());

    test('only admins reach the page; the bar links to it for them alone', async () => {
      for (const role of ['contributor', 'author', 'editor'] as const) {
        assert.equal((await clients[role].get('/admin/api-keys')).response.status, 403, role);
        assert.equal(parsePage((await clients[role].get('/admin')).html).querySelector('a[href="/admin/api-keys"]'), null, role);
        const refused = await submitForm(clients[role], '/admin/account', '/admin/api-keys', { name: 'Sneaky', scopes: 'content:read' });
        assert.equal(refused.response.status, 403, role);
      }
      const { response, html } = await clients.admin.get('/admin/api-keys');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.ok(parsePage(html).querySelector('.admin-bar a[href="/admin/api-keys"]'));
      assert.equal((await new Client(server.origin).get('/admin/api-keys')).response.status, 303, 'signed out: to sign-in');
    });

    test('create shows the secret once; it works with its scopes only; revoke ends it', async () => {
      const created = await submitForm(clients.admin, '/admin/api-keys', '/admin/api-keys', [
        ['name', 'Apple News feed'],
        ['scopes', 'content:read'],
        ['scopes', 'articles:write'],
      ]);
      assert.equal(created.response.status, 200);
      const secret = parsePage(created.html).querySelector<HTMLInputElement>('#new-secret')?.getAttribute('value') ?? '';
      assert.match(secret, /^bs_/);
      assert.equal((await apiRequest(server.origin, 'GET', '/api/v1/sections', { token: secret })).status, 200);
      assert.equal((await apiRequest(server.origin, 'POST', '/api/v1/articles/1/publish', { token: secret })).status, 403, 'no articles:publish scope');

      const listing = await clients.admin.get('/admin/api-keys');
      assert.ok(!listing.html.includes(secret), 'the secret is never shown again');
      const row = [...parsePage(listing.html).querySelectorAll('tbody tr')].find((tr) => tr.textContent?.includes('Apple News feed'));
      assert.ok(row);
      assert.match(row.textContent ?? '', /content:read, articles:write/);
      assert.match(row.textContent ?? '', new RegExp(`…${secret.slice(-4).replace(/[-]/g, '\\-')}`));
      assert.match(row.textContent ?? '', /The admin/);

      const action = row.querySelector('form')?.getAttribute('action') ?? '';
      assert.match(action, /^\/admin\/api-keys\/\d+\/revoke$/);
      const revoked = await submitForm(clients.admin, '/admin/api-keys', action, {});
      assert.equal(revoked.response.status, 303);
      assert.equal(revoked.response.headers.get('location'), '/admin/api-keys?revoked=1');
      assert.equal((await apiRequest(server.origin, 'GET', '/api/v1/sections', { token: secret })).status, 401);
      assert.match((await clients.admin.get('/admin/api-keys')).html, /revoked/);
      assert.equal((await submitForm(clients.admin, '/admin/api-keys', action, {})).response.status, 404, 'revoking twice');
    });

    test('a nameless key or one without scopes is refused with field messages', async () => {
      const refused = await submitForm(clients.admin, '/admin/api-keys', '/admin/api-keys', { name: '  ' });
      assert.equal(refused.response.status, 422);
      const page = parsePage(refused.html);
      assert.ok(page.querySelector('#name-error'));
      assert.ok(page.querySelector('#scopes-error'));
      assert.equal(page.querySelector('#new-secret'), null);
      const bogus = await submitForm(clients.admin, '/admin/api-keys', '/admin/api-keys', { name: 'Bogus', scopes: 'admin:everything' });
      assert.equal(bogus.response.status, 422);
      assert.equal(await server.database.db.selectFrom('api_tokens').select('id').where('name', '=', 'Bogus').executeTakeFirst(), undefined);
    });
  });
}
