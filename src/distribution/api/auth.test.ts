import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiRequest, newsroomUser, tokenFor } from '../../../test/support/api.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { seedArticle, signedInClients } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { createApiToken, revokeApiToken } from './tokens.ts';

for (const dialect of DIALECTS) {
  describe(`content API keys and tokens [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-01T09:00:00Z');
    const db = () => server.database.db;
    const get = (path: string, token?: string) => apiRequest(server.origin, 'GET', path, { token });

    before(async () => {
      server = await startTestServer(dialect, { clock });
      await seedArticle(db(), clock, 'Keys open the archive');
    });
    after(() => server.close());

    test('no key, a malformed header or an unknown key: 401 JSON with a Bearer challenge', async () => {
      const attempts: Record<string, string>[] = [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }, { authorization: 'Bearer bs_not-a-real-key' }, { authorization: 'Bearer other-format' }];
      for (const headers of attempts) {
        const response = await apiRequest(server.origin, 'GET', '/api/v1/articles', { headers });
        assert.equal(response.status, 401, JSON.stringify(headers));
        assert.equal(response.body.error.code, 'unauthorized');
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
        assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      }
    });

    test('a read key reads; the secret is stored only as its hash, and use is recorded', async () => {
      const admin = await newsroomUser(db(), clock, 'admin');
      const { id, secret } = await createApiToken({ db: db(), clock }, admin, { name: 'Syndication partner', scopes: ['content:read'] });
      assert.match(secret, /^bs_[A-Za-z0-9_-]{43}$/);
      const response = await get('/api/v1/articles', secret);
      assert.equal(response.status, 200);
      assert.equal(response.body.data.length, 1);
      assert.equal(response.headers.get('cache-control'), 'private, no-store');
      const row = await db().selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(secret.slice(3)), 'no secret in the row');
      assert.equal(row.hint, secret.slice(-4));
      assert.equal(row.last_used_at, clock.now().toISOString());
    });

    test('a revoked key, or the key of a disabled user, is refused with 401', async () => {
      const admin = await newsroomUser(db(), clock, 'admin');
      const { id, secret } = await createApiToken({ db: db(), clock }, admin, { name: 'Soon revoked', scopes: ['content:read'] });
      assert.equal((await get('/api/v1/sections', secret)).status, 200);
      await revokeApiToken({ db: db(), clock }, admin, id);
      const revoked = await get('/api/v1/sections', secret);
      assert.equal(revoked.status, 401);
      assert.equal(revoked.body.error.code, 'unauthorized');

      const leaver = await newsroomUser(db(), clock, 'admin');
      const theirs = await tokenFor(db(), clock, leaver, ['content:read']);
      assert.equal((await get('/api/v1/tags', theirs)).status, 200);
      await db().updateTable('users').set({ disabled: 1 }).where('id', '=', leaver.id).execute();
      assert.equal((await get('/api/v1/tags', theirs)).status, 401);
    });

    test('a read key cannot write, and a token without the route’s scope is refused with 403', async () => {
      const editor = await newsroomUser(db(), clock, 'editor');
      const readKey = await tokenFor(db(), clock, editor, ['content:read']);
      const created = await apiRequest(server.origin, 'POST', '/api/v1/articles', { token: readKey, body: { headline: 'Not from a read key', body_html: '<p>x</p>' } });
      assert.equal(created.status, 403);
      assert.equal(created.body.error.code, 'forbidden');
      assert.equal(await db().selectFrom('articles').select('id').where('headline', '=', 'Not from a read key').executeTakeFirst(), undefined);

      const writer = await tokenFor(db(), clock, editor, ['articles:write']);
      assert.equal((await get('/api/v1/articles', writer)).status, 403, 'a write token without content:read cannot read');
      const draft = await apiRequest(server.origin, 'POST', '/api/v1/articles', { token: writer, body: { headline: 'Written by token', body_html: '<p>x</p>' } });
      assert.equal(draft.status, 201);
      const publish = await apiRequest(server.origin, 'POST', `/api/v1/articles/${draft.body.data.id}/publish`, { token: writer });
      assert.equal(publish.status, 403, 'articles:write does not include articles:publish');
      const moderate = await apiRequest(server.origin, 'POST', '/api/v1/comments/1/moderate', { token: writer, body: { action: 'approve' } });
      assert.equal(moderate.status, 403);
    });

    test('the newsroom session cookie is never authorisation for the API', async () => {
      const clients = await signedInClients(db(), clock, server.origin, ['admin']);
      const cookieOnly = await clients.admin.get('/api/v1/articles');
      assert.equal(cookieOnly.response.status, 401);
      const write = await clients.admin.postForm('/api/v1/articles', { headline: 'Cookie write', body_html: '<p>x</p>' });
      assert.equal(write.response.status, 401);
    });

    test('the OpenAPI document needs no key', async () => {
      const response = await get('/api/v1/openapi.json');
      assert.equal(response.status, 200);
      assert.equal(response.body.openapi, '3.1.0');
    });
  });
}
