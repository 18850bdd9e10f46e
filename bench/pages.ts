/**
 * `npm run bench [-- --db sqlite|postgres|both --duration S --warmup S --connections N --scenarios LIST --profile DIR]`:
 * the page benchmark of issue 7. Loads 10,000 articles and 100,000 comments generated from the news corpus into SQLite
 * and/or PostgreSQL, starts the server in production mode (one process) for each scenario and drives it with
 * wrk (Debian package `wrk`) from a separate process on loopback: article page with the page cache warm, article page with it off
 * (the article with 50 comments: database read + render), front page (page cache on), search (page cache off, so
 * every query runs), comment POST through the moderation pipeline; and, in the same run, a bare node:http server
 * returning the same article bytes from memory. Prints a table per database and PASS/MISS per target of the issue.
 * Exits 0 whatever the figures (it is a benchmark, not a test), 1 when the benchmark itself failed (a process did not
 * start, a page was not as expected, or a scenario got mostly answers with the wrong status).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { CORPUS_PATH } from './support/corpus.ts';
import { CACHE_DIR, cachedDataset, postgresDatabase, sqliteDatabase, type CachedDataset } from './support/dataset-cache.ts';
import type { LoadResult, LoadSpec } from './support/load-run.ts';
import { cpuMs, peakRssMb, runLoad, startBaseline, startBroadsheet, type BroadsheetServer } from './support/processes.ts';

const DATASET = { articles: 10_000, comments: 100_000, benchmarkComments: 50 };
const TARGETS = { warmRatio: 0.6, warmP99Ms: 20, coldRatio: 0.1, coldP99Ms: 50, postsPerSecond: 1000, rssMb: 200, firstOkMs: 1000 };

const SCENARIOS = ['warm', 'cold', 'front', 'search', 'post'] as const;

const USAGE = `Usage: npm run bench -- [--db sqlite|postgres|both] [--duration S] [--warmup S] [--connections N] [--scenarios LIST] [--profile DIR]
  --db           database(s) to run on (default both); PostgreSQL: a database of its own on TEST_DATABASE_URL's
                 server (default postgres://postgres@127.0.0.1:5432/test), dropped afterwards, made from a template
                 database kept there (bench_tpl_*: loaded once, then VACUUM ANALYZE)
  --duration S   measured seconds per scenario (default 10)
  --warmup S     warm-up seconds before each (default 3)
  --connections N  concurrent connections (default 50)
  --scenarios LIST  comma-separated, of ${SCENARIOS.join(',')} (default all; the baseline runs with warm or cold)
  --profile DIR  run each server with --cpu-prof, writing its profile to DIR/<database>-<scenario>/
The dataset (and a loaded SQLite database) is cached in ${CACHE_DIR}.`;

type Dialect = 'sqlite' | 'postgres';
type ScenarioName = 'baseline' | 'warm' | 'cold' | 'front' | 'search' | 'post';

interface Measured {
  label: string;
  load: LoadResult;
  /** The status that counts as success (200, or 303 for the comment POST). */
  expected: number;
  /** Peak RSS of the serving process in MB. */
  rssMb: number;
  /** CPU time of the serving process per response (warm-up included), in ms: what throughput would be on an idle core. */
  cpuPerResponseMs: number;
  note?: string;
}

interface DatabaseRun {
  dialect: Dialect;
  rows: Partial<Record<ScenarioName, Measured>>;
  firstOkMs: number[];
  /** CPU time each server had used at its first 200, in ms. */
  firstOkCpuMs: number[];
  notes: string[];
  preparedMs: number;
}

interface Options {
  /** The scenarios to run (the baseline runs with the first of warm and cold). */
  scenarios: Set<ScenarioName>;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  profileDir?: string;
}

const ok = (m: Measured): number => m.load.statuses[String(m.expected)] ?? 0;
/** Successful responses per second. */
const rate = (m: Measured): number => ok(m) / m.load.seconds;
/** Responses with another status than the expected one. */
const unexpected = (m: Measured): number => m.load.responses - ok(m);
const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
/** Baseline CPU time per answer ÷ the scenario's, in %. */
const cpuRatio = (m: Measured, baseline: Measured): number => (100 * baseline.cpuPerResponseMs) / m.cpuPerResponseMs;
const statusList = (statuses: Record<string, number>): string => Object.entries(statuses).map(([s, n]) => `${s} × ${fmt(n)}`).join(', ') || 'none';


/**
 * Comments of every status created at or after `since` (ISO-8601 UTC), read after the comment POST scenario's server
 * has stopped: the durability check. (The dataset's comments are all older; counting every row instead would also
 * count what the server's retention jobs remove from the dataset meanwhile.)
 */
async function countCommentsSince(databaseUrl: string, since: string): Promise<number> {
  const database = openDatabase(parseDatabaseUrl(databaseUrl), { poolSize: 1 });
  try {
    const { n } = await database.db.selectFrom('comments').select((eb) => eb.fn.countAll<string | number>().as('n')).where('created_at', '>=', since).executeTakeFirstOrThrow();
    return Number(n);
  } finally {
    await database.close();
  }
}

/** Milliseconds `f` takes. */
async function timed(f: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await f();
  return performance.now() - started;
}

/** Resolves once process `pid` has used no CPU for 300 ms (at most 15 s). */
async function settled(pid: number): Promise<void> {
  const until = performance.now() + 15_000;
  for (let last = cpuMs(pid); performance.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = cpuMs(pid);
    if (!(now > last)) return;
    last = now;
  }
}

/** GET `path` from `server` as an anonymous reader; the body and headers. Throws unless 200, with the server's last log lines. */
async function page(server: BroadsheetServer, path: string): Promise<{ html: string; headers: Headers }> {
  const response = await fetch(`${server.origin}${path}`, { redirect: 'manual' });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}; the server's log ends:\n${server.output().slice(-3000)}`);
  return { html, headers: response.headers };
}

async function benchDatabase(dialect: Dialect, dataset: CachedDataset, runDir: string, options: Options, cleanups: (() => Promise<void>)[]): Promise<DatabaseRun> {
  const run: DatabaseRun = { dialect, rows: {}, firstOkMs: [], firstOkCpuMs: [], notes: [], preparedMs: 0 };
  const started = performance.now();
  let databaseUrl: string;
  if (dialect === 'sqlite') {
    const file = join(runDir, 'sqlite', 'bench.db');
    await mkdir(join(runDir, 'sqlite'), { recursive: true });
    const loadedMs = await sqliteDatabase(dataset, file);
    databaseUrl = `sqlite:${file}`;
    run.notes.push(loadedMs ? `loaded into SQLite in ${fmt(loadedMs / 1000, 1)} s (now cached)` : 'SQLite database copied from the cache');
  } else {
    const database = await postgresDatabase(dataset, process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test');
    cleanups.push(() => database.drop());
    databaseUrl = database.url;
    run.notes.push(database.loadedMs ? `loaded into PostgreSQL in ${fmt(database.loadedMs / 1000, 1)} s, then VACUUM ANALYZE (kept as a template database)` : 'PostgreSQL database created from the kept template');
  }
  run.preparedMs = performance.now() - started;
  console.error(`[${dialect}] ${run.notes.at(-1)}`);
  const articlePath = `/articles/${dataset.meta.benchmarkSlug}`;
  /** Drives the process `pid` listening at `target` and measures it: the load, its peak RSS and its CPU time per response. */
  const measure = async (pid: number, target: string, extra: Partial<LoadSpec>): Promise<Pick<Measured, 'load' | 'rssMb' | 'cpuPerResponseMs'>> => {
    const cpuBefore = cpuMs(pid);
    const load = await runLoad({ target, connections: options.connections, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds, ...extra });
    const responses = load.responses + Object.values(load.warmupStatuses).reduce((a, b) => a + b, 0);
    return { load, rssMb: peakRssMb(pid), cpuPerResponseMs: (cpuMs(pid) - cpuBefore) / responses };
  };

  /** One server process for one scenario: started on the loaded database, measured, stopped. */
  const withServer = async <T>(scenario: ScenarioName, env: Record<string, string>, body: (server: BroadsheetServer) => Promise<T>): Promise<T> => {
    const nodeArgs = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.profileDir, `${dialect}-${scenario}`)}`] : [];
    const server = await startBroadsheet({ DATABASE_URL: databaseUrl, MEDIA_DIR: join(runDir, dialect, 'media'), ...env }, nodeArgs);
    run.firstOkMs.push(server.firstOkMs);
    run.firstOkCpuMs.push(server.firstOkCpuMs);
    console.error(`  server up: first 200 after ${fmt(server.firstOkMs)} ms (${fmt(server.firstOkCpuMs)} ms of CPU); load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);
    try {
      return await body(server);
    } finally {
      // Requests the load generator gave up on when it stopped may still be running: let them finish first.
      await settled(server.pid);
      await server.stop();
      const errors = server.output().split('\n').filter((line) => /"level":(50|60)/.test(line));
      if (errors.length) run.notes.push(`${scenario}: the server logged ${errors.length} errors, e.g. ${errors[0]!.slice(0, 300)}`);
    }
  };

  /** The baseline, serving the article page as `server` answers it (while that server idles). */
  const measureBaseline = async (server: BroadsheetServer): Promise<void> => {
    const { html } = await page(server, articlePath);
    const bytesFile = join(runDir, `${dialect}-article.html`);
    await writeFile(bytesFile, html);
    console.error(`[${dialect}] baseline (node:http, the same ${fmt(Buffer.byteLength(html))} bytes) …`);
    const baseline = await startBaseline(bytesFile);
    try {
      run.rows.baseline = { label: 'baseline: node:http, same bytes', ...(await measure(baseline.pid, baseline.origin, { get: ['/'] })), expected: 200, note: `${fmt(Buffer.byteLength(html) / 1024, 1)} KB` };
    } finally {
      await baseline.stop();
    }
  };

  if (options.scenarios.has('warm')) {
    console.error(`[${dialect}] article page, page cache warm …`);
    await withServer('warm', {}, async (server) => {
      await page(server, articlePath);
      await measureBaseline(server);
      const measured = await measure(server.pid, server.origin, { get: [articlePath] });
      const cacheHeader = (await page(server, articlePath)).headers.get('x-page-cache');
      run.rows.warm = { label: 'article, page cache warm', ...measured, expected: 200, note: `X-Page-Cache: ${cacheHeader ?? '(absent)'}` };
    });
  }

  if (options.scenarios.has('cold')) {
    console.error(`[${dialect}] article page, page cache off …`);
    await withServer('cold', { PAGE_CACHE_MB: '0' }, async (server) => {
      if (!run.rows.baseline) await measureBaseline(server);
      const { html, headers } = await page(server, articlePath);
      const comments = html.match(/<li id="comment-\d+"/g)?.length ?? 0;
      if (comments !== dataset.meta.benchmarkComments) run.notes.push(`the benchmark article shows ${comments} comments, not ${dataset.meta.benchmarkComments}`);
      const alone = await timed(() => page(server, articlePath));
      const measured = await measure(server.pid, server.origin, { get: [articlePath] });
      run.rows.cold = { label: `article, page cache off (${comments} comments)`, ...measured, expected: 200, note: `X-Page-Cache: ${headers.get('x-page-cache') ?? '(absent)'}; one request alone ${fmt(alone, 1)} ms` };
    });
  }

  if (options.scenarios.has('front')) {
    console.error(`[${dialect}] front page …`);
    await withServer('front', {}, async (server) => {
      run.rows.front = { label: 'front page (page cache on)', ...(await measure(server.pid, server.origin, { get: ['/'] })), expected: 200 };
    });
  }

  if (options.scenarios.has('search')) {
    console.error(`[${dialect}] search …`);
    // Without the page cache, so that every query runs: readers' searches are a long tail, mostly misses.
    await withServer('search', { PAGE_CACHE_MB: '0' }, async (server) => {
      const paths = dataset.meta.searchWords.map((word) => `/search?q=${encodeURIComponent(word)}`);
      await page(server, paths[0]!);
      const alone = await timed(() => page(server, paths[0]!));
      run.rows.search = { label: `search, page cache off (${paths.length} words)`, ...(await measure(server.pid, server.origin, { get: paths })), expected: 200, note: `one request alone ${fmt(alone, 1)} ms` };
    });
  }

  if (!options.scenarios.has('post')) return run;
  console.error(`[${dialect}] comment POST …`);
  const targetPath = `/articles/${dataset.meta.commentTargetSlug}`;
  const postStarted = new Date().toISOString();
  const post = await withServer('post', {}, async (server) => {
    const { html } = await page(server, targetPath);
    const formTime = /name="form_time" value="([^"]+)"/.exec(html)?.[1];
    if (!formTime) throw new Error(`GET ${targetPath}: no form_time in the comment form`);
    const measured = await measure(server.pid, server.origin, { post: { path: `${targetPath}/comments`, origin: server.origin, formTime, regulars: dataset.meta.regulars, corpusPath: CORPUS_PATH } });
    return { label: 'comment POST (303 = posted)', ...measured, expected: 303, note: 'Origin header (the same-origin check)' };
  });
  run.rows.post = post;
  const posted = (post.load.warmupStatuses['303'] ?? 0) + (post.load.statuses['303'] ?? 0);
  const stored = await countCommentsSince(databaseUrl, postStarted);
  // Every comment answered 303 must be stored; requests cut off when a run stopped may be stored without an answer.
  const durable = stored >= posted && stored <= post.load.sent;
  run.notes.push(`durable writes: ${fmt(stored)} comments stored for ${fmt(posted)} answers 303 and ${fmt(post.load.sent)} requests sent (warm-up included)${durable ? '' : ' — MISMATCH'}`);
  return run;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) => r.map((cell, col) => (col === 0 || col === r.length - 1 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ').trimEnd()).join('\n');
}

/** Prints the table and the targets of one database; returns false when a scenario measured mostly failures. */
function report(run: DatabaseRun, options: Options): boolean {
  const baseline = run.rows.baseline;
  const order: ScenarioName[] = ['baseline', 'warm', 'cold', 'front', 'search', 'post'];
  const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'peak RSS MB', '÷ baseline', 'CPU ms/req', 'CPU ÷', 'notes']];
  let sound = true;
  for (const name of order) {
    const m = run.rows[name];
    if (!m) continue;
    // Answers with the wrong status mean the benchmark asked wrongly; no answers in time is a (bad) result.
    if (unexpected(m) > m.load.responses / 2) sound = false;
    const vsBaseline = name !== 'baseline' && baseline;
    rows.push([m.label, fmt(rate(m)), fmt(m.load.p50, 2), fmt(m.load.p99, 2), fmt(m.load.errors), fmt(unexpected(m)), fmt(m.rssMb), vsBaseline ? `${fmt((100 * rate(m)) / rate(baseline), 1)} %` : '', fmt(m.cpuPerResponseMs, 3), vsBaseline ? `${fmt(cpuRatio(m, baseline), 1)} %` : '', m.note ?? '']);
  }
  const title = run.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  console.log(`\n${title}: ${fmt(DATASET.articles)} articles, ${fmt(DATASET.comments)} comments; one server process per scenario (NODE_ENV=production, WORKERS=1); wrk (1 thread) in its own process, ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured`);
  console.log('req/s counts successful answers (200; 303 for the comment POST); "non-2xx" counts the other answers, "errors" requests with none; latencies over every answer.');
  console.log('CPU ms/req: the serving process\'s CPU time per answer; "CPU ÷" = baseline CPU ms/req ÷ this one, the ratio to expect with a core each (less sensitive to other load on the machine).\n');
  console.log(table(rows));
  for (const name of order) {
    const m = run.rows[name];
    if (m && unexpected(m)) console.log(`  ${m.label}: statuses ${statusList(m.load.statuses)}`);
  }
  const sorted = [...run.firstOkMs].sort((a, b) => a - b);
  const firstOk = { first: run.firstOkMs[0] ?? Number.NaN, median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, max: sorted[sorted.length - 1] ?? Number.NaN };
  const startCpu = [...run.firstOkCpuMs].sort((a, b) => a - b)[Math.floor(run.firstOkCpuMs.length / 2)] ?? Number.NaN;
  console.log(`\nfirst 200 after start on an existing database (spawn → first 200 of GET /): first ${fmt(firstOk.first)} ms, median ${fmt(firstOk.median)} ms, max ${fmt(firstOk.max)} ms over ${sorted.length} starts; the server had used a median ${fmt(startCpu)} ms of CPU by then`);
  for (const note of run.notes) console.log(`note: ${note}`);

  const { warm, cold, post } = run.rows;
  const maxRss = Math.max(...(['warm', 'cold', 'front', 'search', 'post'] as const).map((n) => run.rows[n]?.rssMb ?? 0));
  const checks: [boolean, string][] = [];
  if (warm && baseline) checks.push([rate(baseline) > 0 && rate(warm) >= TARGETS.warmRatio * rate(baseline) && warm.load.p99 < TARGETS.warmP99Ms, `article, cache warm ≥ ${TARGETS.warmRatio * 100} % of baseline with p99 < ${TARGETS.warmP99Ms} ms: ${fmt((100 * rate(warm)) / rate(baseline), 1)} % (by CPU time ${fmt(cpuRatio(warm, baseline), 1)} %), p99 ${fmt(warm.load.p99, 1)} ms`]);
  if (cold && baseline) checks.push([rate(baseline) > 0 && rate(cold) >= TARGETS.coldRatio * rate(baseline) && cold.load.p99 < TARGETS.coldP99Ms, `article, cache off ≥ ${TARGETS.coldRatio * 100} % of baseline with p99 < ${TARGETS.coldP99Ms} ms: ${fmt((100 * rate(cold)) / rate(baseline), 1)} % (by CPU time ${fmt(cpuRatio(cold, baseline), 1)} %), p99 ${fmt(cold.load.p99, 1)} ms`]);
  if (post) checks.push([rate(post) >= TARGETS.postsPerSecond, `comment POST ≥ ${fmt(TARGETS.postsPerSecond)}/s: ${fmt(rate(post))}/s (${fmt(1000 / post.cpuPerResponseMs)}/s by CPU time)`]);
  checks.push([maxRss <= TARGETS.rssMb, `peak RSS ≤ ${TARGETS.rssMb} MB per process: ${fmt(maxRss)} MB (largest of the scenarios)`]);
  checks.push([firstOk.max <= TARGETS.firstOkMs, `first 200 ≤ ${fmt(TARGETS.firstOkMs)} ms after start: ${fmt(firstOk.max)} ms (slowest of ${sorted.length} starts; median CPU used ${fmt(startCpu)} ms)`]);
  console.log(`\ntargets (${title}):`);
  for (const [passed, text] of checks) console.log(`  ${passed ? 'PASS' : 'MISS'}  ${text}`);
  return sound;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'both' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dialects: Dialect[] = values.db === 'both' ? ['sqlite', 'postgres'] : values.db === 'sqlite' || values.db === 'postgres' ? [values.db] : [];
  const scenarios = values.scenarios.split(',').map((name) => name.trim());
  const options: Options = { scenarios: new Set(scenarios.filter((name): name is ScenarioName => (SCENARIOS as readonly string[]).includes(name))), durationSeconds: Number(values.duration), warmupSeconds: Number(values.warmup), connections: Number(values.connections), profileDir: values.profile && resolve(process.env.INIT_CWD ?? process.cwd(), values.profile) };
  if (!dialects.length || options.scenarios.size !== scenarios.length || !(options.durationSeconds > 0) || !(options.warmupSeconds >= 0) || !Number.isInteger(options.connections) || options.connections < 1) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(CORPUS_PATH)) {
    console.error(`The news corpus is not at ${CORPUS_PATH}; set BENCH_CORPUS to its articles.jsonl.`);
    return 2;
  }

  const cleanups: (() => Promise<void>)[] = [];
  const runDir = await mkdtemp(join(tmpdir(), 'broadsheet-bench-pages-run-'));
  cleanups.push(() => rm(runDir, { recursive: true, force: true }));
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error(`cleanup: ${String(error)}`));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().then(() => process.exit(130)));
  try {
    console.error(`Dataset: ${fmt(DATASET.articles)} articles, ${fmt(DATASET.comments)} comments from ${CORPUS_PATH} …`);
    const dataset = await cachedDataset(CORPUS_PATH, DATASET);
    console.error(dataset.generatedMs ? `  generated in ${fmt(dataset.generatedMs / 1000, 1)} s: ${dataset.path}` : `  from the cache: ${dataset.path}`);
    console.log(`Page benchmark (issue 7), Node ${process.version}, ${new Date().toISOString()}; benchmark article /articles/${dataset.meta.benchmarkSlug} (${dataset.meta.benchmarkComments} approved comments)`);
    let sound = true;
    for (const dialect of dialects) {
      const run = await benchDatabase(dialect, dataset, runDir, options, cleanups);
      sound = report(run, options) && sound;
    }
    if (options.profileDir) console.log(`\nCPU profiles of the servers: ${options.profileDir}`);
    if (!sound) console.error('\nFAILED: a scenario got mostly answers other than its success status (see the statuses above): the benchmark did not measure what it meant to.');
    return sound ? 0 : 1;
  } catch (error) {
    console.error(`\nFAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

process.exitCode = await main();
