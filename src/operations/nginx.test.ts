/**
 * The committed nginx configuration (deploy/nginx/broadsheet.conf, see docs/nginx.md) run by a real nginx in front of
 * two real server processes on one database and Redis: round robin over both, anonymous pages cached and served
 * without asking an instance, personal pages never cached, comments posted through nginx, purges on publish and
 * update making the new version visible at once, and the cached page served stale with both instances down.
 * PostgreSQL when TEST_DATABASE_URL names a server (a fresh schema), else one SQLite file shared by both processes.
 * Fails, never skips, when nginx or its cache purge module is missing (.ci/run installs them).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { saveArticle } from '../articles/service.ts';
import { ensureSection } from '../articles/taxonomy-store.ts';
import { hashIp } from '../comments/network.ts';
import { openDatabase, type OpenDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { getOrCreateSecret } from '../settings/store.ts';
import { apiRequest, newsroomUser, tokenFor } from '../../test/support/api.ts';
import { hiddenCommentFields, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { startNginx, type Nginx } from '../../test/support/nginx.ts';
import { rawRequest } from '../../test/support/raw-http.ts';
import { freePort, startServerProcess, type ServerProcess } from '../../test/support/server-process.ts';
import { eventually } from '../../test/support/webhooks.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** s-maxage of the instances' pages: short, so the stale test can wait it out; each check runs well within it. */
const SHARED_CACHE_SECONDS = 5;

interface Answer {
  status: number;
  /** nginx's X-Cache-Status (null where the cache is off). */
  cache: string | null;
  headers: Headers;
  body: string;
}

/** A GET through `origin`, redirects not followed. */
async function get(origin: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(origin + path, { headers, redirect: 'manual' });
  return { status: response.status, cache: response.headers.get('x-cache-status'), headers: response.headers, body: await response.text() };
}

/** The status and headers of a `method` request to `url` sent from the local address `from`, with `body` if given. */
async function requestFrom(from: string, method: string, url: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method, localAddress: from, headers: options.headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers }));
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

/** The h1 of an article page. */
function headlineOf(html: string): string {
  return parsePage(html).querySelector('h1')?.textContent?.trim() ?? '';
}

/** `url` with the connection's search_path set to `schema`. */
function inSchema(url: string, schema: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return withSchema.href;
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect(); // throws when the server is unreachable: the test fails
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

describe(`nginx proxy_cache (deploy/nginx/broadsheet.conf) in front of two instances [${PG_URL ? 'postgres' : 'sqlite'}]`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-nginx-test-'));
  const schema = `nginx_${randomBytes(6).toString('hex')}`;
  let databaseUrl: string;
  let nginx: Nginx | undefined;
  const instances: ServerProcess[] = [];
  let token: string;
  /** Published articles, by headline: their paths. */
  const paths = new Map<string, string>();
  let sentinels = 0;

  /** How many requests for `path` the instances have logged (each instance is asked for a marker first, so its log is complete up to now). */
  async function askedFor(path: string): Promise<number> {
    let asked = 0;
    for (const instance of instances) {
      const marker = `/nginx-test-marker-${++sentinels}`;
      await (await fetch(instance.origin + marker)).arrayBuffer();
      await instance.waitForOutput(`"url":"${marker}"`);
      asked += instance.output().split('\n').filter((line) => line.includes('"msg":"incoming request"') && line.includes(`"url":"${path}"`)).length;
    }
    return asked;
  }

  /** The access log lines of `GET path`, once there are `count` of them. */
  async function loggedGets(path: string, count: number): Promise<string[]> {
    return eventually(async () => {
      const lines = nginx!.accessLog().filter((line) => line.includes(`"GET ${path} HTTP/1.1"`));
      return lines.length >= count ? lines : undefined;
    });
  }

  /**
   * Reads `path` through nginx until it comes from the cache (HIT), and returns that copy. A loop, not two reads: the
   * instances send their purges after answering, so a late purge of an earlier change may drop the first copy.
   */
  async function cached(path: string): Promise<Answer> {
    return eventually(async () => {
      const answer = await get(nginx!.origin, path);
      assert.equal(answer.status, 200, path);
      return answer.cache === 'HIT' ? answer : undefined;
    }, 3000);
  }

  /**
   * Reads `path` through nginx until its body satisfies `isNew`: the copies before must be the cached old version
   * (HIT), and the first new one a MISS. Only a purge gives that: an expired entry would come back STALE, and
   * then new as a HIT from the background update.
   */
  async function assertPurged(path: string, isNew: (body: string) => boolean): Promise<void> {
    const seen: string[] = [];
    const first = await eventually(async () => {
      const answer = await get(nginx!.origin, path);
      seen.push(String(answer.cache));
      return isNew(answer.body) ? answer : undefined;
    }, 3000);
    assert.equal(first.status, 200);
    assert.equal(first.cache, 'MISS', `the new version came from a purge, not an expiry (X-Cache-Status seen: ${seen.join(' ')})`);
    assert.ok(seen.slice(0, -1).every((status) => status === 'HIT'), `before the purge: ${seen.join(' ')}`);
    assert.ok(isNew((await cached(path)).body), 'the new version is cached in turn');
  }

  /** The database both instances use (close it after use). */
  function openSite(): OpenDatabase {
    return openDatabase(PG_URL ? { dialect: 'postgres', location: databaseUrl } : { dialect: 'sqlite', location: join(dir, 'site.db') });
  }

  before(async () => {
    if (PG_URL) {
      await adminQuery(`create schema ${schema}`);
      databaseUrl = inSchema(PG_URL, schema);
    } else {
      databaseUrl = `sqlite:${join(dir, 'site.db')}`;
    }
    const database = openSite();
    try {
      await migrateToLatest(database.db);
      await useOpenCommentSettings(database.db);
      await ensureSection(database.db, { slug: 'world', name: 'World' });
      const editor = await newsroomUser(database.db, systemClock, 'editor', 'Nadia Nginx');
      token = await tokenFor(database.db, systemClock, editor, ['content:read', 'articles:write', 'articles:publish']);
      const publishedAt = new Date(Date.now() - 60_000).toISOString();
      for (const headline of ['Cached harbour story', 'Cookie bypass story', 'Cold cookie story', 'Commented ferry story', 'Purge guard story', 'Forwarded address story', 'Stale storm story', 'Encoded tide story']) {
        const saved = await saveArticle({ db: database.db, clock: systemClock }, { headline, bodyHtml: `<p>${headline}: the story.</p>`, status: 'published', publishedAt });
        paths.set(headline, `/articles/${saved.slug}`);
      }
    } finally {
      await database.close();
    }
    const [port, purgePort] = [await freePort(), await freePort()];
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      TRUST_PROXY: 'loopback',
      SITE_URL: `http://127.0.0.1:${port}`,
      PURGE_URL: `http://127.0.0.1:${purgePort}/purge{path}`,
      SHARED_CACHE_SECONDS: String(SHARED_CACHE_SECONDS),
      WORKERS: '1',
      DEMO_CONTENT: 'false',
      MEDIA_DIR: join(dir, 'media'),
    };
    instances.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    nginx = await startNginx({ upstreams: instances.map((i) => new URL(i.origin).host), port, purgePort });
  });

  after(async () => {
    await nginx?.stop();
    for (const instance of instances) {
      if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGTERM');
      await instance.exited;
    }
    if (PG_URL) await adminQuery(`drop schema if exists ${schema} cascade`);
    rmSync(dir, { recursive: true, force: true });
  });

  test('requests are spread over both instances', async () => {
    for (let n = 0; n < 4; n++) assert.equal((await get(nginx!.origin, `/?visit=${n}`)).status, 200);
    const upstreams = new Set<string>();
    for (let n = 0; n < 4; n++) {
      const [line] = await loggedGets(`/?visit=${n}`, 1);
      upstreams.add(/ upstream=(\S+) /.exec(line!)?.[1] ?? '');
    }
    assert.deepEqual([...upstreams].sort(), instances.map((i) => new URL(i.origin).host).sort());
  });

  test("the instances see the reader's address, not nginx's (X-Forwarded-For with TRUST_PROXY)", async () => {
    const path = paths.get('Forwarded address story')!;
    const { body } = await get(nginx!.origin, path);
    const text = `From another address ${randomBytes(4).toString('hex')}.`;
    const form = new URLSearchParams({ ...hiddenCommentFields(parsePage(body)), author: 'Far Reader', email: 'far@example.org', url: '', comment: text });
    // 127.0.1.1 is a reader on another network than nginx's 127.0.0.1 (loopback, so trusted as a proxy hop in turn).
    const posted = await requestFrom('127.0.1.1', 'POST', `${nginx!.origin}${path}/comments`, { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: nginx!.origin }, body: form.toString() });
    assert.equal(posted.status, 303);
    const database = openSite();
    try {
      const secret = await getOrCreateSecret(database.db);
      const stored = await database.db.selectFrom('comments').select('ip_hash').where('body', '=', text).executeTakeFirstOrThrow();
      assert.equal(stored.ip_hash, hashIp(secret, '127.0.1.1'));
    } finally {
      await database.close();
    }
  });

  test('purges are taken from 127.0.0.1 only, and only as PURGE', async () => {
    const path = paths.get('Purge guard story')!;
    await cached(path);
    // Another loopback address stands for any other host.
    assert.equal((await requestFrom('127.0.0.2', 'PURGE', `${nginx!.purgeOrigin}/purge${path}`)).status, 403);
    assert.equal((await requestFrom('127.0.0.2', 'PURGE', `${nginx!.origin}/purge${path}`)).status, 403);
    assert.equal((await requestFrom('127.0.0.1', 'GET', `${nginx!.purgeOrigin}/purge${path}`)).status, 405);
    assert.equal((await get(nginx!.origin, path)).cache, 'HIT', 'still cached');
    assert.equal((await requestFrom('127.0.0.1', 'PURGE', `${nginx!.purgeOrigin}/purge${path}`)).status, 200);
    assert.equal((await get(nginx!.origin, path)).cache, 'MISS', 'purged');
    assert.equal((await requestFrom('127.0.0.1', 'PURGE', `${nginx!.purgeOrigin}/purge/articles/never-cached`)).status, 404);
  });

  test('a second anonymous GET of an article is an nginx HIT, and no instance is asked for it', async () => {
    const path = paths.get('Cached harbour story')!;
    const first = await get(nginx!.origin, path);
    assert.equal(first.status, 200);
    assert.equal(first.cache, 'MISS');
    assert.match(first.headers.get('cache-control') ?? '', new RegExp(`(^|[ ,])s-maxage=${SHARED_CACHE_SECONDS}($|[ ,])`));
    assert.match(first.headers.get('cache-control') ?? '', /(^|[ ,])public($|[ ,])/);
    const second = await get(nginx!.origin, path);
    assert.equal(second.status, 200);
    assert.equal(second.cache, 'HIT');
    assert.equal(second.body, first.body);
    assert.equal(headlineOf(second.body), 'Cached harbour story');
    const [, hit] = await loggedGets(path, 2);
    assert.match(hit!, / cache=HIT upstream=- /, 'nginx answered without an upstream');
    assert.equal(await askedFor(path), 1, 'only the first GET reached an instance');
  });

  test('one uncompressed copy per address is cached, and each reader gets the coding they asked for (or none)', async () => {
    const path = paths.get('Encoded tide story')!;
    // The instances compress only when asked (src/web/compression.ts); nginx never asks, so a brotli reader first
    // must not leave a brotli body in the cache for the readers after.
    const first = await rawRequest(nginx!.origin, path, { 'accept-encoding': 'br' });
    assert.equal(first.headers['x-cache-status'], 'MISS');
    assert.equal(first.headers['content-encoding'], undefined, 'no brotli here: nginx compresses, with gzip only');
    for (const [acceptEncoding, coding] of [[undefined, undefined], ['gzip, deflate, br', 'gzip'], ['br', undefined]] as const) {
      const answer = await rawRequest(nginx!.origin, path, acceptEncoding ? { 'accept-encoding': acceptEncoding } : {});
      assert.equal(answer.headers['x-cache-status'], 'HIT', String(acceptEncoding));
      assert.equal(answer.headers['content-encoding'], coding, String(acceptEncoding));
      assert.deepEqual(answer.decoded, first.body, String(acceptEncoding));
    }
    assert.equal(await askedFor(path), 1, 'one copy served every coding');
  });

  test('requests with bs_session, bs_comments or bs_comment_author are never answered from nor stored in the cache', async () => {
    const path = paths.get('Cookie bypass story')!;
    const anonymous = await get(nginx!.origin, path);
    assert.equal((await get(nginx!.origin, path)).cache, 'HIT', 'the anonymous copy is cached');
    const before = await askedFor(path);
    const cookies = ['bs_session=someone', 'bs_comments=1.abc', 'bs_comment_author=Reader', 'theme=dark; bs_comments=2.def'];
    for (const cookie of cookies) {
      const personal = await get(nginx!.origin, path, { cookie });
      assert.equal(personal.status, 200);
      assert.equal(personal.cache, 'BYPASS', cookie);
      assert.doesNotMatch(personal.headers.get('cache-control') ?? '', /public|s-maxage/, `${cookie}: not shared-cacheable`);
    }
    assert.equal(await askedFor(path), before + cookies.length, 'each personal request reached an instance');
    // The personal answers replaced nothing: anonymous readers still get the first copy from the cache.
    const again = await get(nginx!.origin, path);
    assert.equal(again.cache, 'HIT');
    assert.equal(again.body, anonymous.body);
    // A cookie that is not personal does not bypass the cache.
    assert.equal((await get(nginx!.origin, path, { cookie: 'theme=dark' })).cache, 'HIT');

    // On a cold page, a personal answer is not stored for the next anonymous reader.
    const cold = paths.get('Cold cookie story')!;
    assert.equal((await get(nginx!.origin, cold, { cookie: 'bs_comment_author=Reader' })).cache, 'BYPASS');
    assert.equal((await get(nginx!.origin, cold)).cache, 'MISS');
  });

  test('/admin and /api are never cached', async () => {
    for (const path of ['/admin/login', '/api/v1/articles']) {
      const headers: Record<string, string> = path.startsWith('/api') ? { authorization: `Bearer ${token}` } : {};
      for (let n = 0; n < 2; n++) {
        const answer = await get(nginx!.origin, path, headers);
        assert.equal(answer.status, 200, path);
        assert.equal(answer.cache, null, `${path}: the cache is off`);
      }
    }
    const before = await askedFor('/admin/login');
    await get(nginx!.origin, '/admin/login');
    assert.equal(await askedFor('/admin/login'), before + 1);
  });

  test('a comment posted through nginx is shown to its author at once, and to other readers', async () => {
    const path = paths.get('Commented ferry story')!;
    await cached(path);
    // A browser posting the form sends its Origin: the site's (SITE_URL is nginx's address).
    const reader = new Client(nginx!.origin, { origin: nginx!.origin });
    const { html } = await reader.get(path);
    const text = `Through nginx ${randomBytes(4).toString('hex')}: the ferry was late.`;
    const posted = await reader.postForm(`${path}/comments`, { ...hiddenCommentFields(parsePage(html)), author: 'Ferry Reader', email: 'ferry@example.org', url: '', comment: text });
    assert.equal(posted.response.status, 303, posted.html.slice(0, 500));
    const location = posted.response.headers.get('location') ?? '';
    assert.ok(location.startsWith(path), location);
    const own = await reader.get(location.replace(/#.*$/, ''));
    assert.equal(own.response.headers.get('x-cache-status'), 'BYPASS', 'the commenter now has a personal cookie');
    assert.ok(own.html.includes(text), 'the commenter sees the comment');
    // Approved at once (open settings): the page is purged, so anonymous readers see it without waiting for s-maxage.
    await assertPurged(path, (body) => body.includes(text));
  });

  test('an article updated through one instance is served new by nginx at once (purge)', async () => {
    const on = instances[0]!.origin;
    const created = await apiRequest(on, 'POST', '/api/v1/articles', { token, body: { headline: 'Updated tide story', body_html: '<p>The tide.</p>', section: 'world' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, slug } = created.body.data as { id: number; slug: string };
    const published = await apiRequest(on, 'POST', `/api/v1/articles/${id}/publish`, { token, body: { version: created.body.data.version } });
    assert.equal(published.status, 200, JSON.stringify(published.body));
    const path = `/articles/${slug}`;
    assert.equal(headlineOf((await cached(path)).body), 'Updated tide story');
    const updated = await apiRequest(on, 'PATCH', `/api/v1/articles/${id}`, { token, body: { version: published.body.data.version, headline: 'Updated tide story: the tide turned' } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    await assertPurged(path, (body) => headlineOf(body) === 'Updated tide story: the tide turned');
  });

  test('an article published through the other instance is on the cached front page at once (purge)', async () => {
    assert.ok(!(await cached('/')).body.includes('Breaking: lighthouse relit'));
    const created = await apiRequest(instances[1]!.origin, 'POST', '/api/v1/articles', { token, body: { headline: 'Breaking: lighthouse relit', body_html: '<p>The lamp is back.</p>', section: 'world' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const published = await apiRequest(instances[1]!.origin, 'POST', `/api/v1/articles/${created.body.data.id}/publish`, { token, body: { version: created.body.data.version } });
    assert.equal(published.status, 200, JSON.stringify(published.body));
    await assertPurged('/', (body) => body.includes('Breaking: lighthouse relit'));
  });

  test('with both instances stopped, nginx serves the cached page stale', async () => {
    const path = paths.get('Stale storm story')!;
    const copy = await cached(path);
    for (const instance of instances) instance.child.kill('SIGTERM');
    assert.deepEqual(await Promise.all(instances.map((i) => i.exited)), [0, 0]);
    const uncached = await get(nginx!.origin, '/?never-cached');
    assert.equal(uncached.status, 502, 'the instances are down');
    // Fresh for s-maxage (HIT), then expired: served STALE while nginx fails to refresh it.
    const stale = await eventually(async () => {
      const answer = await get(nginx!.origin, path);
      assert.equal(answer.status, 200);
      assert.equal(answer.body, copy.body);
      return answer.cache === 'STALE' || answer.cache === 'UPDATING' ? answer : undefined;
    }, (SHARED_CACHE_SECONDS + 5) * 1000);
    assert.equal(headlineOf(stale.body), 'Stale storm story');
  });
});
