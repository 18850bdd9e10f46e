/** WORKERS: the option, the restart backoff, and a real cluster (primary + workers) serving, restarting and stopping. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../config.ts';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.ts';
import { eventually } from '../../test/support/webhooks.ts';
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
