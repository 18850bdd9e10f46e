import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { setCookie, signIn, submitForm } from '../../test/support/newsroom.ts';
import { startSmtpSink, type SmtpSink } from '../../test/support/smtp-sink.ts';
import { createUser } from './accounts.ts';

const HOUR = 3_600_000;
for (const dialect of DIALECTS) {
  describe(`newsroom accounts [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    const ADMIN = { email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada Admin' };
    let server: TestServer;
    let smtp: SmtpSink;
    const clock = new TestClock('2026-11-29T09:00:00Z');
    const deps = () => ({ db: server.database.db, clock, secret: 'test-secret' });

    before(async () => {
      smtp = await startSmtpSink();
      server = await startTestServer(dialect, { clock, env: { SMTP_URL: smtp.url } });
    });
    after(async () => {
      await server.close();
      await smtp.close();
    });

    test('first run: /admin leads to the one-time setup form, which creates a signed-in admin', async () => {
      const client = new Client(server.origin);
      const home = await client.get('/admin');
      assert.equal(home.response.status, 303);
      assert.equal(home.response.headers.get('location'), '/admin/setup');

      const bad = await submitForm(client, '/admin/setup', '/admin/setup', { display_name: ADMIN.name, email: 'nope', password: 'short' });
      assert.equal(bad.response.status, 422);
      const page = parsePage(bad.html);
      assert.ok(page.getElementById('email-error') && page.getElementById('password-error'));
      assert.equal(page.getElementById('display_name')?.getAttribute('value'), ADMIN.name);

      const ok = await submitForm(client, '/admin/setup', '/admin/setup', { display_name: ADMIN.name, email: ADMIN.email, password: ADMIN.password });
      assert.equal(ok.response.status, 303);
      const cookie = setCookie(ok.response, 'bs_session') ?? '';
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.doesNotMatch(cookie, /Secure/);
      const dashboard = await client.get('/admin');
      assert.equal(dashboard.response.status, 200);
      assert.equal(dashboard.response.headers.get('cache-control'), 'no-store');
      assert.match(parsePage(dashboard.html).querySelector('.admin-user')?.textContent ?? '', /Ada Admin \(admin\)/);

      // The form is gone once a user exists, and posting to it anyway is refused.
      const stranger = new Client(server.origin);
      assert.equal((await stranger.get('/admin/setup')).response.headers.get('location'), '/admin/login');
      const again = await submitForm(stranger, '/admin/login', '/admin/setup', { display_name: 'Mallory', email: 'mallory@example.com', password: 'another long password' });
      assert.equal(again.response.status, 303);
      assert.equal(again.response.headers.get('location'), '/admin/login');
      assert.equal((await server.database.db.selectFrom('users').select('id').where('email', '=', 'mallory@example.com').execute()).length, 0);
    });

    test('sign-in rotates the session; sign-out ends it', async () => {
      const client = new Client(server.origin);
      const first = await signIn(client, ADMIN.email, ADMIN.password);
      assert.equal(first.response.status, 303);
      const firstToken = setCookie(first.response, 'bs_session')!.split(';')[0]!;
      const second = await signIn(client, ADMIN.email, ADMIN.password);
      const secondToken = setCookie(second.response, 'bs_session')!.split(';')[0]!;
      assert.notEqual(firstToken, secondToken);
      // The old token no longer works.
      const old = await fetch(`${server.origin}/admin/users`, { headers: { cookie: firstToken }, redirect: 'manual' });
      assert.equal(old.status, 303);
      assert.equal((await client.get('/admin/users')).response.status, 200);

      const { html } = await client.get('/admin');
      const token = parsePage(html).querySelector('.admin-signout input[name="_csrf"]')!.getAttribute('value')!;
      const out = await client.postForm('/admin/logout', { _csrf: token });
      assert.equal(out.response.status, 303);
      const after = await fetch(`${server.origin}/admin/users`, { headers: { cookie: secondToken }, redirect: 'manual' });
      assert.equal(after.status, 303);
    });

    test('sessions end after 12 idle hours and 7 days after sign-in however busy', async () => {
      const client = new Client(server.origin);
      await signIn(client, ADMIN.email, ADMIN.password);
      clock.advance(11 * HOUR);
      assert.equal((await client.get('/admin/users')).response.status, 200);
      clock.advance(12 * HOUR + 1000);
      const idle = await client.get('/admin/users');
      assert.equal(idle.response.status, 303);
      assert.match(idle.response.headers.get('location') ?? '', /^\/admin\/login\?next=%2Fadmin%2Fusers&expired=1$/);

      await signIn(client, ADMIN.email, ADMIN.password);
      for (let hours = 0; hours < 7 * 24 - 10; hours += 10) {
        clock.advance(10 * HOUR);
        assert.equal((await client.get('/admin/users')).response.status, 200, `after ${hours + 10} h`);
      }
      clock.advance(11 * HOUR);
      assert.equal((await client.get('/admin/users')).response.status, 303);
    });

    test('five wrong passwords lock the account for 15 minutes with a clear message', async () => {
      const client = new Client(server.origin);
      await createUser(deps(), { email: 'target@example.com', displayName: 'Target', role: 'author', password: 'the real password 1' });
      for (let i = 0; i < 5; i++) {
        const { response } = await signIn(client, 'target@example.com', `guess ${i}`);
        assert.equal(response.status, 422);
      }
      const locked = await signIn(client, 'target@example.com', 'the real password 1');
      assert.equal(locked.response.status, 429);
      assert.equal(locked.response.headers.get('retry-after'), '900');
      assert.match(parsePage(locked.html).getElementById('email-error')?.textContent ?? '', /Too many failed sign-in attempts for this account\. Try again in 15 minutes/);
      // Another account from the same network is not locked by these five.
      assert.equal((await signIn(client, ADMIN.email, ADMIN.password)).response.status, 303);
      clock.advance(15 * 60_000 + 1000);
      assert.equal((await signIn(client, 'target@example.com', 'the real password 1')).response.status, 303);
    });

    test('password reset by email through a real SMTP server', async () => {
      const client = new Client(server.origin);
      const unknown = await submitForm(client, '/admin/password/forgot', '/admin/password/forgot', { email: 'nobody@example.com' });
      const known = await submitForm(client, '/admin/password/forgot', '/admin/password/forgot', { email: ADMIN.email });
      assert.equal(unknown.response.status, 200);
      assert.equal(known.response.status, 200);
      assert.equal(parsePage(unknown.html).querySelector('.notice')?.textContent?.replace('nobody@example.com', 'X'), parsePage(known.html).querySelector('.notice')?.textContent?.replace(ADMIN.email, 'X'));

      const mail = await smtp.waitFor(ADMIN.email);
      assert.match(mail.subject, /Reset your The World News password/);
      assert.ok(!smtp.messages.some((m) => m.to.includes('nobody@example.com')));
      const link = /http:\/\/news\.example\.test(\/admin\/password\/reset\?token=[\w-]+)/.exec(mail.text)?.[1];
      assert.ok(link, mail.text);

      const signedIn = new Client(server.origin);
      await signIn(signedIn, ADMIN.email, ADMIN.password);
      const tooShort = await submitForm(client, link, '/admin/password/reset', { token: new URL(link, 'http://x').searchParams.get('token')!, password: 'short' });
      assert.equal(tooShort.response.status, 422);
      const newPassword = 'a brand new passphrase';
      const done = await submitForm(client, link, '/admin/password/reset', { token: new URL(link, 'http://x').searchParams.get('token')!, password: newPassword });
      assert.equal(done.response.status, 303);
      assert.equal(done.response.headers.get('location'), '/admin/login?reset=1');
      // Every session of the user ended; the old password is gone; the link works once.
      assert.equal((await signedIn.get('/admin/users')).response.status, 303);
      assert.equal((await signIn(new Client(server.origin), ADMIN.email, ADMIN.password)).response.status, 422);
      assert.equal((await signIn(new Client(server.origin), ADMIN.email, newPassword)).response.status, 303);
      assert.equal((await client.get(link)).response.status, 410);
      ADMIN.password = newPassword;
    });

    test('an admin invites an editor by email; roles are enforced on the users pages', async () => {
      const admin = new Client(server.origin);
      await signIn(admin, ADMIN.email, ADMIN.password);
      const invite = await submitForm(admin, '/admin/users', '/admin/users/invite', { display_name: 'Eve Editor', email: 'eve@example.com', role: 'editor' });
      assert.equal(invite.response.status, 303);
      const mail = await smtp.waitFor('eve@example.com');
      const link = /http:\/\/news\.example\.test(\/admin\/invitation\?token=[\w-]+)/.exec(mail.text)?.[1];
      assert.ok(link, mail.text);
      const eve = new Client(server.origin);
      const accepted = await submitForm(eve, link, '/admin/invitation', { token: new URL(link, 'http://x').searchParams.get('token')!, password: 'eve has a long password' });
      assert.equal(accepted.response.status, 303);
      assert.equal((await signIn(eve, 'eve@example.com', 'eve has a long password')).response.status, 303);

      assert.equal((await eve.get('/admin')).response.status, 200);
      assert.equal((await eve.get('/admin/users')).response.status, 403);
      const forbidden = await submitForm(eve, '/admin', '/admin/users/invite', { display_name: 'X', email: 'x@example.com', role: 'admin' });
      assert.equal(forbidden.response.status, 403);
      assert.equal(smtp.messages.filter((m) => m.to.includes('x@example.com')).length, 0);

      const duplicate = await submitForm(admin, '/admin/users', '/admin/users/invite', { display_name: 'Eve Again', email: 'EVE@example.com', role: 'author' });
      assert.equal(duplicate.response.status, 422);
      assert.ok(parsePage(duplicate.html).getElementById('email-error'));
    });

    for (const role of ['contributor', 'author', 'editor', 'admin'] as const) {
      test(`role ${role}: users pages ${role === 'admin' ? 'allowed' : 'forbidden (403)'}`, async () => {
        const email = `${role}.matrix@example.com`;
        await createUser(deps(), { email, displayName: `${role} matrix`, role, password: 'matrix password 123' });
        const client = new Client(server.origin);
        assert.equal((await signIn(client, email, 'matrix password 123')).response.status, 303);
        const expected = role === 'admin' ? 200 : 403;
        assert.equal((await client.get('/admin/users')).response.status, expected);
        const { response } = await submitForm(client, '/admin', '/admin/users/invite', { display_name: 'Y', email: `y.${role}@example.com`, role: 'contributor' });
        assert.equal(response.status, role === 'admin' ? 303 : 403);
      });
    }

    test('admins change roles and disable accounts (ending their sessions), but never their own or the last admin', async () => {
      const admin = new Client(server.origin);
      await signIn(admin, ADMIN.email, ADMIN.password);
      const target = await createUser(deps(), { email: 'demote@example.com', displayName: 'Demote Me', role: 'editor', password: 'demote me password' });
      const targetClient = new Client(server.origin);
      await signIn(targetClient, 'demote@example.com', 'demote me password');
      assert.equal((await submitForm(admin, '/admin/users', `/admin/users/${target.id}`, { role: 'contributor' })).response.status, 303);
      const row = await server.database.db.selectFrom('users').select(['role']).where('id', '=', target.id).executeTakeFirstOrThrow();
      assert.equal(row.role, 'contributor');
      assert.equal((await submitForm(admin, '/admin/users', `/admin/users/${target.id}`, { disabled: '1' })).response.status, 303);
      assert.equal((await targetClient.get('/admin')).response.status, 303, 'the disabled user is signed out');
      assert.equal((await signIn(new Client(server.origin), 'demote@example.com', 'demote me password')).response.status, 422);
      const me = await server.database.db.selectFrom('users').select('id').where('email', '=', ADMIN.email).executeTakeFirstOrThrow();
      const self = await submitForm(admin, '/admin/users', `/admin/users/${me.id}`, { role: 'contributor' });
      assert.equal(self.response.status, 422);
      assert.equal((await server.database.db.selectFrom('users').select('role').where('id', '=', me.id).executeTakeFirstOrThrow()).role, 'admin');
    });

    test('a new user whose name matches an existing byline gets a profile of their own', async () => {
      const first = await createUser(deps(), { email: 'ines1@example.com', displayName: 'Ines Namesake', role: 'author', password: 'first ines password' });
      const second = await createUser(deps(), { email: 'ines2@example.com', displayName: 'Ines Namesake', role: 'author', password: 'second ines password' });
      assert.notEqual(first.authorId, second.authorId);
      const slugs = await server.database.db.selectFrom('authors').select('slug').where('id', 'in', [first.authorId!, second.authorId!]).orderBy('id').execute();
      assert.deepEqual(slugs.map((r) => r.slug), ['ines-namesake', 'ines-namesake-2']);
    });

    test('resetting the password lifts a lock, and older reset links stop working', async () => {
      const user = await createUser(deps(), { email: 'locked@example.com', displayName: 'Locked Out', role: 'author', password: 'original password 1' });
      void user;
      const client = new Client(server.origin);
      for (let i = 0; i < 5; i++) await signIn(client, 'locked@example.com', `wrong ${i}`);
      assert.equal((await signIn(client, 'locked@example.com', 'original password 1')).response.status, 429);
      await submitForm(client, '/admin/password/forgot', '/admin/password/forgot', { email: 'locked@example.com' });
      const first = await smtp.waitFor('locked@example.com');
      // A second request within minutes sends nothing more.
      await submitForm(client, '/admin/password/forgot', '/admin/password/forgot', { email: 'locked@example.com' });
      clock.advance(6 * 60_000);
      await submitForm(client, '/admin/password/forgot', '/admin/password/forgot', { email: 'locked@example.com' });
      const second = await smtp.waitFor('locked@example.com');
      assert.equal(smtp.messages.filter((m) => m.to.includes('locked@example.com')).length, 2);
      const tokenOf = (text: string) => /token=([\w-]+)/.exec(text)![1]!;
      const done = await submitForm(client, `/admin/password/reset?token=${tokenOf(second.text)}`, '/admin/password/reset', { token: tokenOf(second.text), password: 'a fresh new password' });
      assert.equal(done.response.status, 303);
      assert.equal((await client.get(`/admin/password/reset?token=${tokenOf(first.text)}`)).response.status, 410);
      assert.equal((await signIn(client, 'locked@example.com', 'a fresh new password')).response.status, 303);
    });

    test('a lost invitation can be sent again by an admin or by the forgotten-password form', async () => {
      const admin = new Client(server.origin);
      await signIn(admin, ADMIN.email, ADMIN.password);
      await submitForm(admin, '/admin/users', '/admin/users/invite', { display_name: 'Late Joiner', email: 'late@example.com', role: 'author' });
      const first = await smtp.waitFor('late@example.com');
      clock.advance(6 * 60_000);
      await submitForm(new Client(server.origin), '/admin/password/forgot', '/admin/password/forgot', { email: 'late@example.com' });
      const second = await smtp.waitFor('late@example.com');
      assert.match(second.subject, /invited/);
      const late = await server.database.db.selectFrom('users').select('id').where('email', '=', 'late@example.com').executeTakeFirstOrThrow();
      const resent = await submitForm(admin, '/admin/users', `/admin/users/${late.id}/invitation`, {});
      assert.equal(resent.response.status, 303);
      const third = await smtp.waitFor('late@example.com');
      const tokenOf = (text: string) => /token=([\w-]+)/.exec(text)![1]!;
      // Only the newest link works.
      assert.equal((await admin.get(`/admin/invitation?token=${tokenOf(first.text)}`)).response.status, 410);
      assert.equal((await admin.get(`/admin/invitation?token=${tokenOf(second.text)}`)).response.status, 410);
      assert.equal((await admin.get(`/admin/invitation?token=${tokenOf(third.text)}`)).response.status, 200);
    });

    test('a signed-in user changes their own password; other sessions end, this one stays', async () => {
      await createUser(deps(), { email: 'mover@example.com', displayName: 'Mover', role: 'author', password: 'old moving password' });
      const here = new Client(server.origin);
      const elsewhere = new Client(server.origin);
      await signIn(here, 'mover@example.com', 'old moving password');
      await signIn(elsewhere, 'mover@example.com', 'old moving password');
      const wrong = await submitForm(here, '/admin/account', '/admin/account', { current_password: 'not it', new_password: 'new moving password' });
      assert.equal(wrong.response.status, 422);
      assert.ok(parsePage(wrong.html).getElementById('current_password-error'));
      const ok = await submitForm(here, '/admin/account', '/admin/account', { current_password: 'old moving password', new_password: 'new moving password' });
      assert.equal(ok.response.status, 303);
      assert.equal((await here.get('/admin/account')).response.status, 200);
      assert.equal((await elsewhere.get('/admin/account')).response.status, 303);
      assert.equal((await signIn(new Client(server.origin), 'mover@example.com', 'new moving password')).response.status, 303);
    });

    test('newsroom forms refuse a missing CSRF token', async () => {
      const client = new Client(server.origin);
      await client.get('/admin/login');
      const { response } = await client.postForm('/admin/login', { email: ADMIN.email, password: ADMIN.password });
      assert.equal(response.status, 403);
    });
  });
}

describe('first-run setup under concurrency', () => {
  test('five setup forms sent at once create exactly one admin', async () => {
    const server = await startTestServer('sqlite');
    try {
      const clients = await Promise.all([0, 1, 2, 3, 4].map(async () => {
        const client = new Client(server.origin);
        const { html } = await client.get('/admin/setup');
        return { client, token: parsePage(html).querySelector('input[name="_csrf"]')!.getAttribute('value')! };
      }));
      const results = await Promise.all(clients.map(({ client, token }, i) => client.postForm('/admin/setup', { _csrf: token, display_name: `Admin ${i}`, email: `admin${i}@example.com`, password: 'a racing password' })));
      assert.ok(results.every((r) => r.response.status === 303));
      assert.equal((await server.database.db.selectFrom('users').select('id').execute()).length, 1);
    } finally {
      await server.close();
    }
  });
});
