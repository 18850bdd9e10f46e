/**
 * Security headers and cookie attributes over real HTTP, on public and newsroom pages: a CSP with a fresh nonce per
 * rendered response that every script element carries, no framing, nosniff, referrer and permissions policies, and
 * HSTS plus `Secure` cookies exactly when the site is served over HTTPS (by SITE_URL, or a trusted proxy's
 * X-Forwarded-Proto). The headers do not depend on the database, so one SQLite server per configuration suffices.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importCaptureFile } from '../importers/import-capture.ts';
import { systemClock } from '../lib/clock.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { hiddenCommentFields, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { signedInClients } from '../../test/support/comments.ts';
import { setCookie, signIn } from '../../test/support/newsroom.ts';
import { SEED_PATH, SEED_SLUG } from '../../test/support/seed.ts';
import { createUser } from '../newsroom/accounts.ts';

const ARTICLE = `/articles/${SEED_SLUG}`;
const FRONT = '/';

/** The CSP directives of a response as a name → sources map. */
function cspOf(response: Response): Map<string, string[]> {
  const header = response.headers.get('content-security-policy');
  assert.ok(header, 'a Content-Security-Policy header');
  return new Map(header.split(';').map((part) => {
    const [name, ...sources] = part.trim().split(/\s+/);
    return [name!, sources];
  }));
}

/** The script nonce the CSP allows; fails when there is none. */
function scriptNonceOf(response: Response): string {
  const nonces = (cspOf(response).get('script-src') ?? []).filter((s) => s.startsWith("'nonce-")).map((s) => s.slice(7, -1));
  assert.equal(nonces.length, 1, 'one script nonce in script-src');
  return nonces[0]!;
}

/** Asserts the headers every page carries, and that each script element of `html` carries the header's nonce. */
function assertPageHeaders(response: Response, html: string, label: string): string {
  const csp = cspOf(response);
  const scriptSrc = csp.get('script-src') ?? [];
  assert.ok(scriptSrc.includes("'strict-dynamic'"), `${label}: script-src 'strict-dynamic'`);
  for (const directive of ['script-src', 'style-src', 'default-src']) {
    assert.ok(!(csp.get(directive) ?? []).includes("'unsafe-inline'"), `${label}: no 'unsafe-inline' in ${directive}`);
  }
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${label}: frame-ancestors 'none'`);
  assert.deepEqual(csp.get('object-src'), ["'none'"], `${label}: object-src 'none'`);
  assert.deepEqual(csp.get('base-uri'), ["'none'"], `${label}: base-uri 'none'`);
  assert.equal(response.headers.get('x-frame-options'), 'DENY', label);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', label);
  assert.equal(response.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', label);
  const permissions = response.headers.get('permissions-policy') ?? '';
  for (const feature of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()', 'browsing-topics=()']) assert.ok(permissions.includes(feature), `${label}: Permissions-Policy ${feature}`);
  const nonce = scriptNonceOf(response);
  assert.match(nonce, /^[0-9a-f]{32}$/, `${label}: a 128-bit nonce`);
  for (const script of parsePage(html).querySelectorAll('script')) {
    assert.equal(script.getAttribute('nonce'), nonce, `${label}: ${script.outerHTML.slice(0, 80)} carries the response's nonce`);
  }
  return nonce;
}

describe('security headers over plain HTTP (SITE_URL http, no trusted proxy)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite');
    await importCaptureFile({ db: server.database.db, clock: systemClock }, SEED_PATH, { siteName: server.config.siteName, section: 'World' });
  });
  after(() => server?.close());

  test('public pages: headers on the front page, an article (with JSON-LD scripts), a section, search and a 404', async () => {
    const client = new Client(server.origin);
    for (const path of ['/', ARTICLE, '/section/world', '/search?q=Putin', '/no/such/page']) {
      const { response, html } = await client.get(path);
      assertPageHeaders(response, html, path);
      assert.equal(response.headers.get('strict-transport-security'), null, `${path}: no HSTS over plain HTTP`);
    }
    const { html } = await client.get(ARTICLE);
    assert.ok(parsePage(html).querySelectorAll('script[type="application/ld+json"]').length > 0, 'the article has structured data to carry the nonce');
  });

  test('a malformed address, answered before any hook runs, carries the same headers', async () => {
    for (const path of ['/%E0%A4%A', '/articles/%ZZ', `/articles/${'x'.repeat(600)}`]) {
      const { response, html } = await new Client(server.origin).get(path);
      assert.ok(response.status >= 400 && response.status < 500, `${path.slice(0, 20)}: ${response.status}`);
      assert.match(html, /<h1/, 'the error page');
      assertPageHeaders(response, html, path.slice(0, 20));
    }
  });

  test('newsroom pages: the same headers, and the editor script carries the nonce', async () => {
    const { admin: editor } = await signedInClients(server.database.db, systemClock, server.origin, ['admin']);
    for (const path of ['/admin', '/admin/articles/new', '/admin/comments']) {
      const { response, html } = await editor.get(path);
      assert.equal(response.status, 200, path);
      assertPageHeaders(response, html, path);
    }
    const { html } = await editor.get('/admin/articles/new');
    assert.ok(parsePage(html).querySelector('script[type="module"][src]'), 'the editor page loads its script');
    const { response, html: login } = await new Client(server.origin).get('/admin/login');
    assertPageHeaders(response, login, '/admin/login');
  });

  test('each rendered response gets a fresh nonce; a page-cache hit replays the nonce its body was rendered with', async () => {
    const client = new Client(server.origin);
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) nonces.add(scriptNonceOf((await client.get('/admin/login')).response));
    assert.equal(nonces.size, 3, 'three renders, three nonces');

    const first = await client.get(ARTICLE);
    const hit = await client.get(ARTICLE);
    assert.equal(hit.response.headers.get('x-page-cache'), 'HIT');
    assert.equal(assertPageHeaders(hit.response, hit.html, 'cached article'), scriptNonceOf(first.response));
  });

  test('cookies are HttpOnly and SameSite=Lax, and not Secure over plain HTTP; X-Forwarded-Proto from an untrusted peer changes nothing', async () => {
    const forged = new Client(server.origin, { 'x-forwarded-proto': 'https' });
    const { response } = await forged.get('/admin/login');
    const csrf = setCookie(response, '_csrf');
    assert.ok(csrf, 'the login form sets the CSRF cookie');
    assert.match(csrf, /; HttpOnly/);
    assert.match(csrf, /; SameSite=Lax/);
    assert.doesNotMatch(csrf, /; Secure/);
    assert.equal(response.headers.get('strict-transport-security'), null);
  });
});

describe('security headers over HTTPS', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const server of servers) await server.close();
  });

  /** A server with `env`, the seed article and an editor account. */
  async function serve(env: Record<string, string>): Promise<TestServer> {
    const server = await startTestServer('sqlite', { env });
    servers.push(server);
    await importCaptureFile({ db: server.database.db, clock: systemClock }, SEED_PATH, { siteName: server.config.siteName, section: 'World' });
    await createUser({ db: server.database.db, clock: systemClock, secret: 's' }, { email: 'editor@example.com', displayName: 'Ed', role: 'editor', password: 'an editor password' });
    await useOpenCommentSettings(server.database.db);
    return server;
  }

  /** The cookies a reader and an editor get: CSRF, session, and the commenter's own-comments and remembered-author cookies. */
  async function cookiesOf(client: Client): Promise<string[]> {
    const cookies: string[] = [];
    const login = await client.get('/admin/login');
    cookies.push(setCookie(login.response, '_csrf')!);
    const signedIn = await signIn(client, 'editor@example.com', 'an editor password');
    assert.equal(signedIn.response.status, 303);
    cookies.push(setCookie(signedIn.response, 'bs_session')!);
    const reader = await client.get(ARTICLE);
    const posted = await client.postForm(`${ARTICLE}/comments`, {
      ...hiddenCommentFields(parsePage(reader.html)),
      author: 'Secure Reader',
      email: 'secure.reader@example.org',
      url: '',
      comment: 'Posted over HTTPS.',
      remember: '1',
    });
    assert.equal(posted.response.status, 303, 'the comment is posted');
    cookies.push(...posted.response.headers.getSetCookie());
    assert.ok(cookies.length >= 4 && cookies.every(Boolean), `cookies set: ${cookies.join(' | ')}`);
    return cookies;
  }

  function assertSecureCookies(cookies: string[]): void {
    for (const cookie of cookies) {
      assert.match(cookie, /; Secure/, cookie);
      assert.match(cookie, /; HttpOnly/, cookie);
      assert.match(cookie, /; SameSite=Lax/, cookie);
    }
  }

  test('SITE_URL https: HSTS on public and newsroom pages, every cookie Secure', async () => {
    const server = await serve({ SITE_URL: 'https://news.example.test' });
    const client = new Client(server.origin);
    for (const path of ['/', ARTICLE, '/admin/login']) {
      const { response, html } = await client.get(path);
      assertPageHeaders(response, html, path);
      assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains', path);
    }
    assertSecureCookies(await cookiesOf(new Client(server.origin)));
  });

  test('behind a trusted proxy: X-Forwarded-Proto https turns on HSTS and Secure cookies; plain http through it does not', async () => {
    const server = await serve({ SITE_URL: 'http://news.example.test', TRUST_PROXY: 'loopback' });
    const viaTls = new Client(server.origin, { 'x-forwarded-proto': 'https' });
    const { response } = await viaTls.get('/admin/login');
    assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
    assertSecureCookies(await cookiesOf(new Client(server.origin, { 'x-forwarded-proto': 'https' })));

    const plain = await new Client(server.origin, { 'x-forwarded-proto': 'http' }).get('/admin/login');
    assert.equal(plain.response.headers.get('strict-transport-security'), null);
    assert.doesNotMatch(setCookie(plain.response, '_csrf') ?? '', /; Secure/);

    // A cached page gets HSTS by the request that reads it, not by the one that rendered it; in both orders.
    const hsts = (response: Response) => response.headers.get('strict-transport-security');
    for (const [path, first, then] of [['/', 'http', 'https'], ['/section/world', 'https', 'http']] as const) {
      const rendered = await new Client(server.origin, { 'x-forwarded-proto': first }).get(path);
      assert.equal(rendered.response.headers.get('x-page-cache'), 'MISS', path);
      assert.equal(hsts(rendered.response) !== null, first === 'https', `${path} rendered over ${first}`);
      for (const proto of [then, first, undefined]) {
        const cached = await new Client(server.origin, proto ? { 'x-forwarded-proto': proto } : {}).get(path);
        assert.equal(cached.response.headers.get('x-page-cache'), 'HIT', `${path} read over ${proto}`);
        assert.equal(hsts(cached.response) !== null, proto === 'https', `${path} rendered over ${first}, read over ${proto ?? 'no proxy header'}`);
      }
    }
  });
});

describe('validators and the per-response nonce', () => {
  /** Uncompressed answers (fetch asks for gzip by default), whose ETags are strong. */
  const IDENTITY = { 'accept-encoding': 'identity' };
  const servers: TestServer[] = [];
  after(async () => {
    for (const server of servers.reverse()) await server.close();
  });

  test('two instances without a page cache render the front page (with its JSON-LD) with different nonces but one ETag; a 304 from either carries no CSP', async () => {
    const first = await startTestServer('sqlite', { env: { PAGE_CACHE_MB: '0' } });
    servers.push(first);
    await importCaptureFile({ db: first.database.db, clock: systemClock }, SEED_PATH, { siteName: first.config.siteName, section: 'World' });
    servers.push(await startTestServer('sqlite', { env: { PAGE_CACHE_MB: '0' }, shareDatabaseOf: first }));
    const renders = await Promise.all(servers.map((server) => new Client(server.origin, IDENTITY).get(FRONT)));
    const [a, b] = renders.map(({ response }) => ({ nonce: scriptNonceOf(response), etag: response.headers.get('etag') }));
    assert.notEqual(a!.nonce, b!.nonce, 'each render has its own nonce');
    assert.ok(renders[0]!.html.includes(a!.nonce) && renders[1]!.html.includes(b!.nonce), 'the bodies carry them');
    assert.match(a!.etag ?? '', /^"[\w-]{22}"$/);
    assert.equal(a!.etag, b!.etag, 'the same page, the same tag');
    for (const server of servers) {
      const revalidated = await new Client(server.origin, { ...IDENTITY, 'if-none-match': a!.etag! }).get(FRONT);
      assert.equal(revalidated.response.status, 304);
      assert.equal(revalidated.response.headers.get('content-security-policy'), null, 'a 304 keeps the stored copy paired with its own policy');
      assert.equal(revalidated.response.headers.get('etag'), a!.etag);
    }
    // A different page body is a different tag. (An article page differs per render anyway: its comment form
    // carries the signed time it was rendered at.)
    const section = await new Client(first.origin, IDENTITY).get('/section/world');
    assert.notEqual(section.response.headers.get('etag'), a!.etag);
  });

  test('with the page cache, a 304 answered from a cached page carries no CSP either', async () => {
    const server = await startTestServer('sqlite');
    servers.push(server);
    await importCaptureFile({ db: server.database.db, clock: systemClock }, SEED_PATH, { siteName: server.config.siteName, section: 'World' });
    const { response } = await new Client(server.origin, IDENTITY).get(ARTICLE);
    const etag = response.headers.get('etag')!;
    const revalidated = await new Client(server.origin, { ...IDENTITY, 'if-none-match': etag }).get(ARTICLE);
    assert.equal(revalidated.response.status, 304);
    assert.equal(revalidated.response.headers.get('x-page-cache'), 'HIT');
    assert.equal(revalidated.response.headers.get('content-security-policy'), null);
    const full = await new Client(server.origin, IDENTITY).get(ARTICLE);
    assert.equal(full.response.headers.get('x-page-cache'), 'HIT');
    assert.equal(scriptNonceOf(full.response), scriptNonceOf(response), 'the cached body and its policy stay together');
  });
});
