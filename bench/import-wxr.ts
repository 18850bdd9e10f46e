/**
 * `npm run bench:import [-- --posts N --keep --file PATH --pg --trace-memory]`: generates a large WordPress export from the news
 * corpus, imports it with the real CLI in a child process, and reports posts/s, comments/s, MB/s and peak RSS,
 * each against a parse-only child run on the same file in the same run. Exits 1 when the import's peak RSS reaches
 * 300 MB or the import fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateWxr } from './support/wxr-generator.ts';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
// BBC copyright: read at run time from the shared corpus, never copied into the repository.
const CORPUS = process.env.BENCH_CORPUS ?? join(ROOT, '..', 'shared', 'corpus', 'news', 'articles.jsonl');
const RSS_LIMIT_MB = 300;
const DEFAULT_POSTS = 50_000;
const PROGRESS_EVERY_MS = 30_000;

const USAGE = `Usage: npm run bench:import -- [--posts N] [--keep] [--file PATH] [--pg]
  --posts N    posts to generate (default ${DEFAULT_POSTS})
  --keep       keep the generated file (its path is printed; reuse it with --file)
  --file PATH  import this WXR file instead of generating one
  --pg         import into PostgreSQL (TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test) in a fresh schema
  --trace-memory  write the import's memory use (RSS, V8 heap, external) every second to a TSV file in the temp folder`;

interface ChildRun {
  code: number | null;
  wallMs: number;
  /** Peak resident set size in MB: ru_maxrss from the child's exit hook, else the highest VmHWM polled. */
  peakRssMb: number;
  cpuMs: number;
  stdout: string;
  stderr: string;
}

const mb = (bytes: number): number => bytes / 1024 / 1024;

/** VmHWM (peak RSS so far) of a live process in kB, from /proc; undefined when unavailable (not Linux, exited). */
function vmHwmKb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function lastLine(path: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.trimEnd().split('\n').pop()?.slice(0, 120) ?? '';
  } catch {
    return '';
  }
}

/**
 * Runs `node --import tsx --import bench/support/peak-rss.ts ARGS` from the repository root, its output going to files in
 * `dir` (so a long report never sits in this process), and measures wall time and peak RSS.
 */
async function runChild(label: string, dir: string, args: string[], env: Record<string, string>, preloads: string[] = []): Promise<ChildRun> {
  const files = { out: join(dir, `${label}.stdout`), err: join(dir, `${label}.stderr`), rss: join(dir, `${label}.rss.json`) };
  const out = openSync(files.out, 'w');
  const err = openSync(files.err, 'w');
  const started = performance.now();
  const imports = ['peak-rss.ts', ...preloads].flatMap((name) => ['--import', pathToFileURL(join(ROOT, 'bench', 'support', name)).href]);
  const child = spawn(process.execPath, ['--import', 'tsx', ...imports, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, BENCH_RSS_FILE: files.rss },
    stdio: ['ignore', out, err],
  });
  closeSync(out);
  closeSync(err);
  let polledKb = 0;
  let lastReport = started;
  const poll = setInterval(() => {
    polledKb = Math.max(polledKb, (child.pid && vmHwmKb(child.pid)) || 0);
    if (performance.now() - lastReport >= PROGRESS_EVERY_MS) {
      lastReport = performance.now();
      const line = lastLine(files.err) || lastLine(files.out);
      console.error(`  … ${label}: ${((lastReport - started) / 1000).toFixed(0)} s, peak RSS ${(polledKb / 1024).toFixed(0)} MB${line ? `; ${line}` : ''}`);
    }
  }, 500);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  const wallMs = performance.now() - started;
  clearInterval(poll);
  let peakKb = polledKb;
  let cpuMs = 0;
  if (existsSync(files.rss)) {
    const usage = JSON.parse(await readFile(files.rss, 'utf8')) as { maxRssKb: number; userMs: number; systemMs: number };
    peakKb = Math.max(peakKb, usage.maxRssKb);
    cpuMs = usage.userMs + usage.systemMs;
  }
  return { code, wallMs, peakRssMb: peakKb / 1024, cpuMs, stdout: await readFile(files.out, 'utf8'), stderr: await readFile(files.err, 'utf8') };
}

/** A fresh PostgreSQL schema for the import, and the DATABASE_URL whose search_path points at it. */
async function pgSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_import_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join('   ')).join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { posts: { type: 'string' }, keep: { type: 'boolean', default: false }, file: { type: 'string' }, pg: { type: 'boolean', default: false }, 'trace-memory': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const posts = values.posts === undefined ? DEFAULT_POSTS : Number(values.posts);
  if (!Number.isInteger(posts) || posts < 1) {
    console.error(`--posts must be a positive whole number\n\n${USAGE}`);
    return 2;
  }

  const dir = await mkdtemp(join(tmpdir(), 'broadsheet-bench-'));
  // npm runs scripts from the package root; a relative --file is meant from where npm was started.
  let file = values.file === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), values.file);
  let generatedMs = 0;
  let dropSchema: (() => Promise<void>) | undefined;
  try {
    if (!file) {
      if (!existsSync(CORPUS)) {
        console.error(`The news corpus is not at ${CORPUS}; set BENCH_CORPUS to its articles.jsonl, or pass --file.`);
        return 2;
      }
      file = join(dir, 'export.xml');
      console.error(`Generating ${posts.toLocaleString('en')} posts from ${CORPUS} into ${file} …`);
      const started = performance.now();
      const generated = await generateWxr(CORPUS, file, posts);
      generatedMs = performance.now() - started;
      console.error(`  ${generated.posts.toLocaleString('en')} posts, ${generated.comments.toLocaleString('en')} comments, ${mb(generated.bytes).toFixed(1)} MB in ${(generatedMs / 1000).toFixed(1)} s`);
    }
    const fileMb = mb(statSync(file).size);

    console.error('Parse only (baseline: readWxr in its own process) …');
    const parse = await runChild('parse', dir, [join(ROOT, 'bench', 'support', 'parse-only.ts'), file], {});
    if (parse.code !== 0) {
      console.error(`parse-only child failed (exit ${parse.code}):\n${parse.stderr.slice(-4000)}`);
      return 1;
    }
    const seen = JSON.parse(parse.stdout.trim().split('\n').pop() ?? '{}') as { posts: number; comments: number };

    let databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
    if (values.pg) {
      const schema = await pgSchema();
      databaseUrl = schema.url;
      dropSchema = schema.drop;
    }
    const target = values.pg ? 'postgresql' : 'sqlite';
    console.error(`Import (node src/cli.ts import wxr, ${target}) …`);
    // Outside `dir`, which is removed at the end.
    const trace = values['trace-memory'] ? join(tmpdir(), `broadsheet-bench-memory-${process.pid}.tsv`) : undefined;
    const importEnv = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', DEMO_CONTENT: 'false', ...(trace ? { BENCH_MEMORY_TRACE: trace } : {}) };
    const imported = await runChild('import', dir, [join(ROOT, 'src', 'cli.ts'), 'import', 'wxr', file], importEnv, trace ? ['memory-trace.ts'] : []);
    if (trace) console.error(`Memory trace of the import: ${trace}`);
    const report = imported.stdout.split('\n').filter((line) => /^(Imported\.|Dry run|kind\s|(articles|pages|authors|sections|tags|comments|media)\s)/.test(line));
    const problems = imported.stdout.split('\n').filter((line) => line.startsWith('skipped ')).length;

    const rate = (count: number, run: ChildRun): string => Math.round(count / (run.wallMs / 1000)).toLocaleString('en');
    const row = (label: string, run: ChildRun): string[] => [
      label, (run.wallMs / 1000).toFixed(1), (run.cpuMs / 1000).toFixed(1), rate(seen.posts, run), rate(seen.comments, run), (fileMb / (run.wallMs / 1000)).toFixed(2), run.peakRssMb.toFixed(0),
    ];
    console.log(`\nWXR import benchmark: ${file} (${fileMb.toFixed(1)} MB, ${seen.posts.toLocaleString('en')} posts, ${seen.comments.toLocaleString('en')} comments in the file)${generatedMs ? `, generated in ${(generatedMs / 1000).toFixed(1)} s` : ''}`);
    console.log(`Node ${process.version}, ${target}; rates count everything in the file (imported or skipped) per wall-clock second.\n`);
    console.log(table([
      ['', 'wall s', 'cpu s', 'posts/s', 'comments/s', 'MB/s', 'peak RSS MB'],
      row('parse only (baseline)', parse),
      row(`import (${target})`, imported),
      ['import ÷ parse', `${(imported.wallMs / parse.wallMs).toFixed(1)}×`, `${(imported.cpuMs / Math.max(1, parse.cpuMs)).toFixed(1)}×`, '', '', '', `${(imported.peakRssMb / parse.peakRssMb).toFixed(1)}×`],
    ]));
    console.log(`\nimport = ${(imported.wallMs / parse.wallMs).toFixed(1)}× parse-only wall time (${(imported.cpuMs / Math.max(1, parse.cpuMs)).toFixed(1)}× its CPU time); peak RSS ${(imported.peakRssMb / parse.peakRssMb).toFixed(1)}× parse-only (MB = 2^20 bytes)`);
    if (!values.pg && existsSync(join(dir, 'bench.db'))) {
      const dbMb = ['bench.db', 'bench.db-wal'].reduce((sum, name) => sum + (existsSync(join(dir, name)) ? mb(statSync(join(dir, name)).size) : 0), 0);
      console.log(`\nSQLite database after import: ${dbMb.toFixed(1)} MB`);
    }
    console.log(`\nImporter report:\n  ${report.join('\n  ') || '(none)'}${problems ? `\n  … and ${problems} "skipped" problem lines` : ''}`);

    let failed = false;
    if (imported.code !== 0) {
      console.error(`\nFAIL: the import exited with ${imported.code}:\n${imported.stderr.slice(-4000)}`);
      failed = true;
    }
    if (imported.peakRssMb >= RSS_LIMIT_MB) {
      console.error(`\nFAIL: import peak RSS ${imported.peakRssMb.toFixed(0)} MB ≥ ${RSS_LIMIT_MB} MB`);
      failed = true;
    } else console.log(`\nOK: import peak RSS ${imported.peakRssMb.toFixed(0)} MB < ${RSS_LIMIT_MB} MB`);
    return failed ? 1 : 0;
  } finally {
    await dropSchema?.();
    if (values.keep && !values.file) {
      await rm(join(dir, 'bench.db'), { force: true });
      await rm(join(dir, 'bench.db-wal'), { force: true });
      await rm(join(dir, 'bench.db-shm'), { force: true });
      console.error(`Kept ${file} (and the child logs in ${dir}); rerun with --file ${file}`);
    } else await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
