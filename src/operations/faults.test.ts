/**
 * Faults of a running server process: killed with SIGKILL while readers post comments (nothing half-written, every
 * comment answered 303 is stored whole), and PostgreSQL unreachable while serving (503 error page, the process keeps
 * answering /healthz, and serves again once the database is back, without a restart).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { hiddenCommentFields, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { seedArticle } from '../../test/support/comments.ts';
import { inSchema } from '../../test/support/databases.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.ts';
import { startTcpProxy } from '../../test/support/tcp-proxy.ts';
import { eventually } from '../../test/support/webhooks.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
const NEEDS_PG = PG_URL ? false : 'needs a PostgreSQL server (TEST_DATABASE_URL): a server process cannot use in-process PGlite';

const dirs: string[] = [];
const schemas: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-faults-'));
  dirs.push(dir);
  return dir;
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A fresh PostgreSQL schema (dropped after the file); returns its name. */
async function freshSchema(): Promise<string> {
  const schema = `faults_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  schemas.push(schema);
  return schema;
}

/** Migrates the database at `databaseUrl`, opens comments to everyone, and publishes one article; returns its path. */
async function prepareSite(databaseUrl: string): Promise<{ id: number; path: string }> {
  const target = databaseUrl.startsWith('postgres') ? ({ dialect: 'postgres', location: databaseUrl } as const) : ({ dialect: 'sqlite', location: databaseUrl } as const);
  const database = openDatabase(target);
  try {
    await migrateToLatest(database.db);
    await useOpenCommentSettings(database.db);
    return await seedArticle(database.db, systemClock, 'Storm over the harbour');
  } finally {
    await database.close();
  }
}

/** The text of comment `n`: long enough that a torn write would show, with its number at both ends. */
function commentText(n: number): string {
  const sentences = Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} of comment ${n} says something about the harbour.`);
  return `Comment ${n} begins. ${sentences.join(' ')} Comment ${n} ends.`;
}

interface StoredComment {
  body: string;
  status: string;
}

interface Outcome {
  /** Numbers of the comments answered 303. */
  confirmed: number[];
  /** Requests started and not yet answered when the process was killed. */
  inFlightAtKill: number;
}

/**
 * Four readers post comments one after another on `path` until `killAfter` have been answered 303, then the process
 * gets SIGKILL at once, with the other readers' requests in flight.
 */
async function postUntilKilled(site: ServerProcess, path: string, killAfter: number): Promise<Outcome> {
  const confirmed: number[] = [];
  let next = 0;
  let inFlight = 0;
  let inFlightAtKill = -1;
  let killed = false;
  const lane = async (reader: number) => {
    const client = new Client(site.origin);
    const hidden = hiddenCommentFields(parsePage((await client.get(path)).html));
    while (!killed) {
      const n = ++next;
      inFlight += 1;
      let status: number | 'cut';
      try {
        const { response } = await client.postForm(`${path}/comments`, { ...hidden, author: `Reader ${reader}`, email: `reader${reader}@example.org`, url: '', comment: commentText(n) });
        status = response.status;
      } catch {
        status = 'cut';
      }
      inFlight -= 1;
      if (status === 'cut') {
        assert.ok(killed, `comment ${n}: the connection failed before the process was killed`);
        return;
      }
      // Answers read after the kill still count: the server sent them, so the comment must be stored.
      if (status === 303) confirmed.push(n);
      else if (!killed) assert.fail(`comment ${n} was answered ${status}`);
      if (!killed && confirmed.length >= killAfter) {
        killed = true;
        inFlightAtKill = inFlight;
        site.child.kill('SIGKILL');
      }
    }
  };
  try {
    await Promise.all([1, 2, 3, 4].map(lane));
  } finally {
    if (!killed) site.child.kill('SIGKILL');
  }
  assert.equal(await site.exited, null, 'the process was killed by the signal');
  return { confirmed, inFlightAtKill };
}

/** Checks the stored comments and the article's count after the kill. */
function assertWhole(outcome: Outcome, stored: StoredComment[], commentCount: number): void {
  assert.ok(outcome.inFlightAtKill > 0, 'comments were being posted when the process was killed');
  const byNumber = new Map<number, StoredComment>();
  for (const comment of stored) {
    const n = Number(/^Comment (\d+) begins\./.exec(comment.body)?.[1]);
    assert.ok(n > 0, `a stored comment starts as posted: ${comment.body.slice(0, 40)}`);
    assert.equal(comment.body, commentText(n), `comment ${n} is stored whole`);
    assert.ok(!byNumber.has(n), `comment ${n} is stored once`);
    byNumber.set(n, comment);
  }
  for (const n of outcome.confirmed) assert.ok(byNumber.has(n), `comment ${n}, answered 303, is stored`);
  const approved = stored.filter((c) => c.status === 'approved').length;
  assert.equal(commentCount, approved, "the article's comment_count is its number of approved comments");
  assert.ok(outcome.confirmed.length >= 12);
}

describe('SIGKILL while comments are being posted', () => {
  after(async () => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    for (const schema of schemas.splice(0)) await adminQuery(`drop schema ${schema} cascade`);
  });

  test('SQLite: every comment answered 303 is stored whole, and nothing is half-written', async () => {
    const dir = tempDir();
    const file = join(dir, 'site.db');
    const article = await prepareSite(file);
    const site = await startServerProcess({ DATABASE_URL: `sqlite:${file}`, MEDIA_DIR: join(dir, 'media'), DEMO_CONTENT: 'false' });
    const outcome = await postUntilKilled(site, article.path, 12);
    const reader = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      const stored = reader.prepare('select body, status from comments where article_id = ? order by id').all(article.id) as StoredComment[];
      const { comment_count } = reader.prepare('select comment_count from articles where id = ?').get(article.id) as { comment_count: number };
      assert.equal(reader.pragma('integrity_check', { simple: true }), 'ok');
      assertWhole(outcome, stored, comment_count);
    } finally {
      reader.close();
    }
  });

  test('PostgreSQL: every comment answered 303 is stored whole, and nothing is half-written', { skip: NEEDS_PG }, async () => {
    const schema = await freshSchema();
    const url = inSchema(PG_URL!, schema);
    const article = await prepareSite(url);
    const dir = tempDir();
    const site = await startServerProcess({ DATABASE_URL: url, MEDIA_DIR: join(dir, 'media'), DEMO_CONTENT: 'false' });
    const outcome = await postUntilKilled(site, article.path, 12);
    const reader = new pg.Client({ connectionString: url });
    await reader.connect();
    try {
      const stored = (await reader.query<StoredComment>('select body, status from comments where article_id = $1 order by id', [article.id])).rows;
      const count = (await reader.query<{ comment_count: number }>('select comment_count from articles where id = $1', [article.id])).rows[0]!.comment_count;
      assertWhole(outcome, stored, Number(count));
    } finally {
      await reader.end();
    }
  });
});

/** Asks for `path` until it is answered `status`, at most `attempts` times, 100 ms apart; returns the last answer. */
async function pollUntil(url: string, status: number, attempts = 100): Promise<Response> {
  let response: Response | undefined;
  for (let i = 0; i < attempts; i++) {
    response = await fetch(url, { redirect: 'manual' });
    if (response.status === status) return response;
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return response!;
}

/**
 * The site on PostgreSQL through a TCP proxy: serves the article, has the proxy cut every connection and refuse new
 * ones, checks that the cached page is still served, the 503 error page of one that is not, and the operations
 * endpoints, restores the proxy and polls until pages render again.
 * `cutWhenIdle`: cut only at a moment when the server holds no connection (its pool drops idle ones after 10 s), so
 * every query meets a refused connection rather than a pooled connection dying under it.
 */
async function unreachableWhileServing(cutWhenIdle: boolean): Promise<void> {
  const schema = await freshSchema();
  const article = await prepareSite(inSchema(PG_URL!, schema));
  const server = new URL(PG_URL!);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  const proxied = new URL(PG_URL!);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const dir = tempDir();
  const site = await startServerProcess({ DATABASE_URL: inSchema(proxied.href, schema), MEDIA_DIR: join(dir, 'media'), DEMO_CONTENT: 'false' });
  try {
    const page = `${site.origin}${article.path}`;
    const served = await fetch(page);
    assert.equal(served.status, 200);
    assert.match(await served.text(), /Storm over the harbour/);
    await eventually(async () => ((await fetch(page)).headers.get('x-page-cache') === 'HIT' ? true : undefined));
    assert.ok(proxy.accepted() > 0, 'the server reaches PostgreSQL through the proxy');

    if (cutWhenIdle) {
      // Bounded: the pool lets an idle connection go after 10 s; background jobs use one every 15–30 s.
      for (let i = 0; i < 1200 && proxy.open() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(proxy.open(), 0, 'the server let its idle connections go');
    } else {
      assert.ok(proxy.open() > 0, 'the server holds pooled connections when they are cut');
    }
    await proxy.cut();

    // A page in the page cache is still served (stale, as a CDN would); one that must be rendered cannot be.
    const cached = await fetch(page);
    assert.equal(cached.status, 200);
    assert.equal(cached.headers.get('x-page-cache'), 'HIT');
    assert.match(await cached.text(), /Storm over the harbour/);
    const down = await fetch(`${page}?not-in-the-cache=1`);
    const html = await down.text();
    assert.equal(down.status, 503);
    assert.match(down.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(down.headers.get('retry-after') ?? '', /^\d+$/);
    assert.match(html, /temporarily unavailable/i);
    assert.match(html, /<\/html>\s*$/);
    assert.doesNotMatch(html, /ECONNREFUSED|ECONNRESET|Connection terminated|127\.0\.0\.1/);
    const front = await fetch(`${site.origin}/`);
    assert.equal(front.status, 503);
    await front.arrayBuffer();

    const health = await fetch(`${site.origin}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok');
    const ready = await fetch(`${site.origin}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), { status: 'unavailable', reason: 'database unreachable' });
    assert.equal(site.child.exitCode, null, 'the process is still running');

    await proxy.restore();
    const back = await pollUntil(`${page}?after-restore=1`, 200);
    assert.equal(back.status, 200);
    assert.match(await back.text(), /Storm over the harbour/);
    assert.equal((await pollUntil(`${site.origin}/readyz`, 200)).status, 200);
    assert.equal(site.child.exitCode, null, 'served again without a restart');
    assert.equal(site.child.signalCode, null);
  } finally {
    site.child.kill('SIGTERM');
    await site.exited;
    await proxy.close();
  }
}

describe('PostgreSQL unreachable while serving', () => {
  after(async () => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    for (const schema of schemas.splice(0)) await adminQuery(`drop schema ${schema} cascade`);
  });

  test('refused connections: pages answer 503 with the error page, /healthz 200, /readyz 503, and 200 again once PostgreSQL is back', { skip: NEEDS_PG }, async () => {
    await unreachableWhileServing(true);
  });

  test(
    'pooled connections cut under the server: the process lives on, answers 503, and serves again',
    { skip: NEEDS_PG },
    async () => {
      await unreachableWhileServing(false);
    },
  );
});
