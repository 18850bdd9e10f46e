import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { Client } from '../../test/support/http.ts';
import { signIn } from '../../test/support/newsroom.ts';
import { systemClock } from '../lib/clock.ts';
import { createUser } from './accounts.ts';
import { THROTTLE_POLICY } from './throttle.ts';

describe('behind HTTPS (SITE_URL https://…)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { env: { SITE_URL: 'https://news.example.test' } });
    await createUser({ db: server.database.db, clock: systemClock, secret: 's' }, { email: 'sec@example.com', displayName: 'Sec', role: 'editor', password: 'a secure password' });
  });
  after(() => server.close());

  // Cookie attributes and HSTS over HTTPS: src/web/security-headers.test.ts.
  test('login throttling per IP: many accounts guessed from one address lock that address', async () => {
    const client = new Client(server.origin);
    for (let i = 0; i < THROTTLE_POLICY.ipFailures; i++) {
      const { response } = await signIn(client, `nobody${i}@example.com`, 'wrong password');
      assert.equal(response.status, 422);
    }
    const locked = await signIn(client, 'sec@example.com', 'a secure password');
    assert.equal(locked.response.status, 429);
    assert.match(locked.html, /Too many failed sign-in attempts from your network/);
  });
});
