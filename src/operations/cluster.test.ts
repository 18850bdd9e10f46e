/** WORKERS: the option, the restart backoff, and a real cluster (primary + workers) serving, restarting and stopping. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config.ts';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.ts';
import { eventually } from '../../test/support/webhooks.ts';
import { broadsheet } from '../../test/support/cli.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { signIn } from '../../test/support/newsroom.ts';
import { articleFields, saveArticleVia } from '../../test/support/webhooks.ts';
import { restartDelay } from './cluster.ts';

describe('WORKERS', () => {
  test('defaults to 1; a number, or auto for one per CPU; anything else stops the start', () => {
    assert.equal(loadConfig({}).workers, 1);
    assert.equal(loadConfig({ WORKERS: '4' }).workers, 4);
    assert.equal(loadConfig({ WORKERS: 'auto' }).workers, availableParallelism());
    for (const bad of ['0', '-2', 'two', '1.5', '257']) {
      assert.throws(() => loadConfig({ WORKERS: bad }), (error: unknown) => error instanceof ConfigError && error.variable === 'WORKERS', bad);
    }
  });

  test('a worker that dies soon after its start is restarted later each time, one that lived long at once', () => {
    const cases: [livedMs: number, quickDeaths: number, delayMs: number][] = [
      [3_600_000, 0, 0],
      [60_000, 0, 0],
      [500, 1, 1_000],
      [500, 2, 2_000],
      [500, 4, 8_000],
      [500, 30, 30_000],
    ];
    for (const [lived, deaths, delay] of cases) assert.equal(restartDelay(lived, deaths), delay, `${lived} ms, ${deaths} deaths`);
  });
});

/** Process ids of the node children of `pid`: the cluster's workers (tsx's esbuild service is a child too). */
function childrenOf(pid: number): number[] {
  try {
    const rows = execFileSync('ps', ['--ppid', String(pid), '-o', 'pid=,comm='], { encoding: 'utf8' }).trim().split('\n');
    return rows.map((row) => row.trim().split(/\s+/)).filter(([, command]) => command === 'node').map(([id]) => Number(id));
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** GET over a new connection each time (no keep-alive), so the cluster hands each request to the next worker. */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** GET over a new connection: the status, the x-page-cache header and the page's h1. */
function pageOnNewConnection(url: string): Promise<{ status: number; cache: string; h1: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let html = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (html += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, cache: String(response.headers['x-page-cache']), h1: parsePage(html).querySelector('h1')?.textContent?.trim() ?? '' }));
    }).on('error', reject);
  });
}

/** The pids in the JSON log lines of completed requests. */
function pidsThatServed(site: ServerProcess): Set<number> {
  const lines = site.output().split('\n').filter((line) => line.includes('"request completed"'));
  return new Set(lines.map((line) => (JSON.parse(line) as { pid: number }).pid));
}

describe('a cluster of two workers on a SQLite file (a real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-cluster-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('both workers serve, a killed worker is replaced, SIGTERM stops them all and exits 0', async () => {
    const site = await startServerProcess({ WORKERS: '2', DATABASE_URL: `sqlite:${join(dir, 'site.db')}`, MEDIA_DIR: join(dir, 'media'), DEMO_CONTENT: 'true' });
    const primary = site.child.pid!;
    try {
      await site.waitForOutput(/is on http[\s\S]*is on http/);
      const workers = childrenOf(primary);
      assert.equal(workers.length, 2);
      for (let n = 0; n < 12; n++) assert.equal(await getOnNewConnection(`${site.origin}/`), 200);
      assert.deepEqual([...pidsThatServed(site)].sort(), [...workers].sort());

      process.kill(workers[0]!, 'SIGKILL');
      await site.waitForOutput('worker died; restarting it');
      const replaced = await eventually(async () => {
        const now = childrenOf(primary);
        return now.length === 2 && !now.includes(workers[0]!) ? now : undefined;
      }, 30_000);
      assert.ok(replaced.includes(workers[1]!), 'the other worker kept running');
      await site.waitForOutput(/worker died[\s\S]*worker listening/);
      assert.equal(await getOnNewConnection(`${site.origin}/healthz`), 200);

      site.child.kill('SIGTERM');
      assert.equal(await site.exited, 0);
      assert.deepEqual(childrenOf(primary), []);
      for (const pid of replaced) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `worker ${pid} has exited`);
      assert.match(site.output(), /"workers stopped"/);
      assert.equal(site.output().match(/"msg":"shut down"/g)?.length, 2, 'each worker shut down gracefully');
    } finally {
      if (site.child.exitCode === null) site.child.kill('SIGKILL');
    }
  });
});

describe('page caches of two workers without Redis (a real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-cluster-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an edit through one worker reaches the cached pages of the other at once (the primary relays the invalidation)', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'site.db')}`, MEDIA_DIR: join(dir, 'media'), DEMO_CONTENT: 'true', LOG_LEVEL: 'warn' };
    const created = await broadsheet(['user', 'create', '--email', 'editor@example.com', '--name', 'Cluster Editor', '--role', 'editor'], env, 'cluster test password\n');
    assert.equal(created.code, 0, created.stderr);
    const site = await startServerProcess({ ...env, WORKERS: '2' });
    try {
      await site.waitForOutput(/is on http[\s\S]*is on http/);
      const front = parsePage(await (await fetch(`${site.origin}/`)).text());
      const path = front.querySelector('main a[href^="/articles/"]')!.getAttribute('href')!;
      // Both workers render and keep the page: after a few requests over new connections every answer is a hit.
      await eventually(async () => {
        const answers = await Promise.all(Array.from({ length: 6 }, () => pageOnNewConnection(site.origin + path)));
        return answers.every((a) => a.cache === 'HIT') ? true : undefined;
      }, 10_000);
      const before = await pageOnNewConnection(site.origin + path);

      const editor = new Client(site.origin);
      assert.equal((await signIn(editor, 'editor@example.com', 'cluster test password')).response.status, 303);
      const slug = decodeURIComponent(path.replace(/^\/articles\//, ''));
      const file = new SQLite(join(dir, 'site.db'), { readonly: true });
      const { id } = file.prepare('select id from articles where slug = ?').get(slug) as { id: number };
      file.close();
      const saved = await saveArticleVia(editor, `/admin/articles/${id}`, 'publish', articleFields({ headline: 'Edited on one worker', slug }));
      assert.equal(saved.response.status, 303);
      assert.notEqual(before.h1, 'Edited on one worker');
      // Within a second every worker serves the edit (the invalidation follows the commit asynchronously).
      await eventually(async () => {
        const answers = await Promise.all(Array.from({ length: 6 }, () => pageOnNewConnection(site.origin + path)));
        return answers.every((a) => a.h1 === 'Edited on one worker') ? true : undefined;
      }, 1000);
      for (let n = 0; n < 8; n++) assert.equal((await pageOnNewConnection(site.origin + path)).h1, 'Edited on one worker', `request ${n}`);
    } finally {
      site.child.kill('SIGTERM');
      await site.exited;
    }
  });
});
