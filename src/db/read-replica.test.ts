/**
 * DATABASE_READ_URL and DATABASE_POOL_SIZE on a real PostgreSQL server. The "replica" is a second schema holding other
 * articles, reached through a URL whose search_path differs, so every response shows which database answered:
 * feeds, sitemaps, search and API reads come from the replica, the article page and every write from the primary.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { systemClock } from '../lib/clock.ts';
import { apiRequest, newsroomUser, tokenFor } from '../../test/support/api.ts';
import { seedArticle } from '../../test/support/comments.ts';
import { inSchema } from '../../test/support/databases.ts';
import { sample, scrape } from '../../test/support/metrics.ts';
import { failedStart } from '../../test/support/server-process.ts';
import { eventually } from '../../test/support/webhooks.ts';
import { openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
const NEEDS_PG = PG_URL ? false : 'needs a PostgreSQL server (TEST_DATABASE_URL): a replica is a second connection URL';

/** One admin statement on the test server. */
async function adminQuery(text: string): Promise<pg.QueryResult> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    return await admin.query(text);
  } finally {
    await admin.end();
  }
}

/** A schema standing for one database: its URL (search_path and a recognisable application_name) and its name. */
interface Site {
  schema: string;
  url: string;
  applicationName: string;
}

async function createSite(role: 'primary' | 'replica'): Promise<Site> {
  const schema = `replica_${randomBytes(6).toString('hex')}_${role === 'primary' ? 'p' : 'r'}`;
  await adminQuery(`create schema ${schema}`);
  return { schema, url: named(inSchema(PG_URL!, schema), schema), applicationName: schema };
}

/** `url` whose connections show as `applicationName` in pg_stat_activity. */
function named(url: string, applicationName: string): string {
  const withName = new URL(url);
  withName.searchParams.set('application_name', applicationName);
  return withName.href;
}

/** Migrates `site` and publishes "<label> desk: harbour tram opens"; returns that article's slug. */
async function seedSite(site: Site, label: string): Promise<string> {
  const database = openDatabase({ dialect: 'postgres', location: site.url });
  try {
    await migrateToLatest(database.db);
    const { path } = await seedArticle(database.db, systemClock, `${label} desk: harbour tram opens`);
    return path.replace('/articles/', '');
  } finally {
    await database.close();
  }
}

/** Builds and serves the app the way server.ts does, from environment variables alone (no test database handed in). */
async function serve(env: Record<string, string>): Promise<{ app: FastifyInstance; origin: string; close(): Promise<void> }> {
  const mediaDir = mkdtempSync(join(tmpdir(), 'broadsheet-replica-'));
  const app = await buildApp(loadConfig({ DEMO_CONTENT: 'false', LOG_LEVEL: 'silent', SITE_URL: 'http://news.example.test', MEDIA_DIR: mediaDir, ...env }), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

/** Connections the server holds open under `applicationName` now. */
async function connectionsOf(applicationName: string): Promise<number> {
  const { rows } = await adminQuery(`select count(*)::int as n from pg_stat_activity where application_name = '${applicationName}'`);
  return rows[0].n as number;
}

describe('read replica (DATABASE_READ_URL) and pool size (DATABASE_POOL_SIZE) [postgres/server]', { skip: NEEDS_PG }, () => {
  let primary: Site;
  let replica: Site;
  let primarySlug: string;
  let replicaSlug: string;
  let site: Awaited<ReturnType<typeof serve>>;
  let token: string;
  const POOL_SIZE = 3;

  before(async () => {
    primary = await createSite('primary');
    replica = await createSite('replica');
    primarySlug = await seedSite(primary, 'Primary');
    replicaSlug = await seedSite(replica, 'Replica');
    site = await serve({ DATABASE_URL: primary.url, DATABASE_READ_URL: replica.url, DATABASE_POOL_SIZE: String(POOL_SIZE) });
    // API keys are checked on the primary, where they are issued and revoked.
    const database = openDatabase({ dialect: 'postgres', location: primary.url });
    try {
      token = await tokenFor(database.db, systemClock, await newsroomUser(database.db, systemClock, 'editor'), ['content:read', 'articles:write', 'articles:publish']);
    } finally {
      await database.close();
    }
  });
  after(async () => {
    await site?.close();
    for (const s of [primary, replica]) if (s) await adminQuery(`drop schema ${s.schema} cascade`);
  });

  test('feeds, sitemaps, search and API reads are answered by the replica', async () => {
    const fromReplica = /Replica desk/;
    const fromPrimary = /Primary desk/;
    for (const path of ['/feed.xml', '/feed.json', '/search?q=harbour', '/sitemaps/news.xml']) {
      const response = await fetch(site.origin + path);
      assert.equal(response.status, 200, path);
      const body = await response.text();
      assert.match(body, fromReplica, path);
      assert.doesNotMatch(body, fromPrimary, path);
    }
    const sitemap = await (await fetch(`${site.origin}/sitemaps/articles-1.xml`)).text();
    assert.match(sitemap, new RegExp(`/articles/${replicaSlug}<`));
    assert.doesNotMatch(sitemap, new RegExp(primarySlug));

    const list = await apiRequest(site.origin, 'GET', '/api/v1/articles', { token });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((a: { headline: string }) => a.headline), ['Replica desk: harbour tram opens']);
    assert.equal((await apiRequest(site.origin, 'GET', `/api/v1/articles/${replicaSlug}`, { token })).status, 200);
    assert.equal((await apiRequest(site.origin, 'GET', `/api/v1/articles/${primarySlug}`, { token })).status, 404);
  });

  test('the article page reads the primary', async () => {
    const page = await fetch(`${site.origin}/articles/${primarySlug}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Primary desk: harbour tram opens/);
    assert.equal((await fetch(`${site.origin}/articles/${replicaSlug}`)).status, 404);
  });

  test('writes land in the primary; the replica has only what it replicates', async () => {
    const created = await apiRequest(site.origin, 'POST', '/api/v1/articles', { token, body: { headline: 'Written through the API', body_html: '<p>New.</p>' } });
    assert.equal(created.status, 201);
    const published = await apiRequest(site.origin, 'POST', `/api/v1/articles/${created.body.data.id}/publish`, { token, body: { version: created.body.data.version } });
    assert.equal(published.status, 200);
    const { rows: inPrimary } = await adminQuery(`select status from ${primary.schema}.articles where headline = 'Written through the API'`);
    assert.deepEqual(inPrimary, [{ status: 'published' }]);
    const { rows: inReplica } = await adminQuery(`select id from ${replica.schema}.articles where headline = 'Written through the API'`);
    assert.deepEqual(inReplica, []);
    // Here the "replica" never catches up; a real one would within its lag. API reads do not see the write until then.
    assert.equal((await apiRequest(site.origin, 'GET', `/api/v1/articles/${created.body.data.slug}`, { token })).status, 404);
  });

  test('each pool opens at most DATABASE_POOL_SIZE connections; /metrics shows them and the queries queued', async () => {
    // Hold every replica read: an open transaction locks the replica's articles table.
    const lock = new pg.Client({ connectionString: PG_URL });
    await lock.connect();
    await lock.query('begin');
    await lock.query(`lock table ${replica.schema}.articles in access exclusive mode`);
    const requests = Array.from({ length: 10 }, (_, i) => apiRequest(site.origin, 'GET', `/api/v1/articles?limit=${i + 1}`, { token }));
    try {
      // The counts /metrics takes come from the primary, which is not locked: the scrape answers meanwhile.
      const text = await eventually(async () => {
        const scraped = await scrape(site.origin);
        return sample(scraped, 'broadsheet_db_pool_connections{pool="replica",state="waiting"}') === 10 - POOL_SIZE ? scraped : undefined;
      });
      assert.equal(sample(text, 'broadsheet_db_pool_connections{pool="replica",state="total"}'), POOL_SIZE);
      assert.equal(sample(text, 'broadsheet_db_pool_connections{pool="replica",state="idle"}'), 0);
      assert.ok((sample(text, 'broadsheet_db_pool_connections{pool="primary",state="total"}') ?? Infinity) <= POOL_SIZE);
      assert.equal(await connectionsOf(replica.applicationName), POOL_SIZE, 'the server holds exactly the pool size on the replica');
      assert.ok((await connectionsOf(primary.applicationName)) <= POOL_SIZE);
    } finally {
      await lock.query('rollback');
      await lock.end();
    }
    for (const response of await Promise.all(requests)) assert.equal(response.status, 200);
    assert.ok((await connectionsOf(replica.applicationName)) <= POOL_SIZE);
  });

  test('closing the app ends both pools', async () => {
    const second = await serve({ DATABASE_URL: named(primary.url, `${primary.applicationName}_2`), DATABASE_READ_URL: named(replica.url, `${replica.applicationName}_2`) });
    assert.equal((await fetch(`${second.origin}/feed.xml`)).status, 200);
    assert.ok((await connectionsOf(`${replica.applicationName}_2`)) >= 1);
    await second.close();
    await eventually(async () => ((await connectionsOf(`${primary.applicationName}_2`)) + (await connectionsOf(`${replica.applicationName}_2`)) === 0 ? true : undefined));
  });

  test('a replica that does not answer stops the start, naming DATABASE_READ_URL without its password', async () => {
    const missing = new URL(PG_URL!);
    missing.password = 'not-this-secret';
    missing.pathname = '/no_such_replica_database';
    const { code, output } = await failedStart({ DATABASE_URL: primary.url, DATABASE_READ_URL: missing.href });
    assert.notEqual(code, 0);
    missing.password = '***';
    assert.ok(output.includes(`DATABASE_READ_URL: cannot use the read replica at ${missing.href}: database "no_such_replica_database" does not exist`), output);
    assert.doesNotMatch(output, /not-this-secret/);
  });
});

describe('read replica with SQLite', () => {
  test('a replica next to a SQLite database stops the start with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-replica-'));
    try {
      const { code, output } = await failedStart({ DATABASE_URL: `sqlite:${join(dir, 'site.db')}`, DATABASE_READ_URL: 'postgres://reader@replica.internal:5432/news' });
      assert.notEqual(code, 0);
      assert.match(output, /DATABASE_READ_URL: a read replica needs PostgreSQL for both DATABASE_URL and DATABASE_READ_URL; SQLite has no replicas/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
