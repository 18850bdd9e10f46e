/**
 * The page benchmark's dataset, generated once and kept in the temp folder (os.tmpdir()/broadsheet-bench-pages/) under
 * a content hash of the corpus, the generator's code and its options; and a loaded SQLite database kept beside it under
 * a hash that also covers the migrations and the code the loader runs, copied for each run. Older entries are removed
 * when a new one is written; the PostgreSQL equivalent is a template database on the server (postgresDatabase). The
 * corpus itself is never copied into the repository.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadDataset } from './load-dataset.ts';
import { generateNewsDataset, type NewsDataset, type NewsDatasetOptions } from './news-dataset.ts';

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const CACHE_DIR = join(tmpdir(), 'broadsheet-bench-pages');

/** Files whose content decides what the dataset file holds. */
const GENERATOR_FILES = ['bench/support/news-dataset.ts', 'bench/support/corpus.ts'];
/** Files whose content decides what a loaded database holds (besides the dataset). */
const LOADER_FILES = ['bench/support/load-dataset.ts', 'src/db/dialect.ts', 'src/distribution/search/document.ts', 'src/distribution/search/tokens.ts', 'src/lib/sanitize.ts', 'src/comments/format.ts', 'src/comments/settings.ts'];

/** SHA-256 (hex) of the given strings and of the files' contents (paths relative to the repository root). */
async function hashOf(parts: string[], files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  for (const file of files) hash.update(file).update('\0').update(await readFile(join(ROOT, file))).update('\0');
  return hash.digest('hex');
}

/** Removes the cache entries starting with `prefix` other than those of `keep`. */
async function dropOthers(prefix: string, keep: string): Promise<void> {
  for (const name of await readdir(CACHE_DIR)) if (name.startsWith(prefix) && !name.startsWith(keep)) await rm(join(CACHE_DIR, name), { force: true });
}

export interface CachedDataset {
  path: string;
  meta: NewsDataset;
  /** Content hash (hex). */
  hash: string;
  /** Milliseconds spent generating it in this run; 0 when it came from the cache. */
  generatedMs: number;
}

/** The dataset for `options` from the corpus at `corpusPath`: from the cache, or generated into it now. */
export async function cachedDataset(corpusPath: string, options: NewsDatasetOptions): Promise<CachedDataset> {
  await mkdir(CACHE_DIR, { recursive: true });
  const corpusHash = createHash('sha256').update(await readFile(corpusPath)).digest('hex');
  const hash = await hashOf([corpusHash, JSON.stringify(options)], GENERATOR_FILES);
  const base = join(CACHE_DIR, `dataset-${hash.slice(0, 16)}`);
  if (existsSync(`${base}.json`) && existsSync(`${base}.meta.json`)) {
    return { path: `${base}.json`, meta: JSON.parse(await readFile(`${base}.meta.json`, 'utf8')) as NewsDataset, hash, generatedMs: 0 };
  }
  const started = performance.now();
  const partial = `${base}.${process.pid}.partial`;
  const meta = await generateNewsDataset(corpusPath, partial, options);
  await rename(partial, `${base}.json`);
  await writeFile(`${base}.meta.json`, JSON.stringify(meta));
  await dropOthers('dataset-', `dataset-${hash.slice(0, 16)}`);
  return { path: `${base}.json`, meta, hash, generatedMs: performance.now() - started };
}

/**
 * Puts a SQLite database holding `dataset` at `target` (a new file): a copy of the cached loaded database, loaded now
 * (and cached) when the cache has none for this dataset, migrations and loader. Returns the milliseconds spent loading
 * (0 for a copy).
 */
export async function sqliteDatabase(dataset: CachedDataset, target: string): Promise<number> {
  const migrations = (await readdir(join(ROOT, 'src', 'db', 'migrations'))).sort().map((name) => `src/db/migrations/${name}`);
  const key = (await hashOf([dataset.hash], [...migrations, ...LOADER_FILES])).slice(0, 16);
  const template = join(CACHE_DIR, `sqlite-${key}.db`);
  let loadedMs = 0;
  if (!existsSync(template)) {
    const started = performance.now();
    const partial = join(CACHE_DIR, `sqlite-${key}.${process.pid}.partial`);
    await loadDataset(`sqlite:${partial}`, dataset.path);
    // Closing the only connection checkpointed the WAL into the file: the file alone is the database.
    await rename(partial, template);
    for (const suffix of ['-wal', '-shm']) await rm(`${partial}${suffix}`, { force: true });
    await dropOthers('sqlite-', `sqlite-${key}`);
    loadedMs = performance.now() - started;
  }
  await copyFile(template, target);
  return loadedMs;
}

/** A PostgreSQL database made for one benchmark run; `drop()` removes it (ending its connections). */
export interface PostgresRunDatabase {
  url: string;
  /** Milliseconds spent loading the dataset in this run; 0 when the database was copied from a kept template. */
  loadedMs: number;
  drop(): Promise<void>;
}

/**
 * A fresh PostgreSQL database holding `dataset` on the server of `serverUrl`: created from a template database
 * (`bench_tpl_<key>`, kept on that server under the same key as the SQLite cache) or, when there is none yet, from
 * one loaded now and then vacuumed and analysed as an operator does after a bulk import (the planner otherwise works
 * from no statistics, and GIN indexes from an unmerged pending list: the test servers run without autovacuum).
 */
export async function postgresDatabase(dataset: CachedDataset, serverUrl: string): Promise<PostgresRunDatabase> {
  const migrations = (await readdir(join(ROOT, 'src', 'db', 'migrations'))).sort().map((name) => `src/db/migrations/${name}`);
  const key = (await hashOf([dataset.hash], [...migrations, ...LOADER_FILES])).slice(0, 16);
  const template = `bench_tpl_${key}`;
  const name = `bench_pages_${process.pid}`;
  const urlOf = (database: string): string => Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  let loadedMs = 0;
  const exists = async (database: string) => (await admin.query('select 1 from pg_database where datname = $1', [database])).rowCount === 1;
  if (!(await exists(template))) {
    const started = performance.now();
    const partial = `${template}_partial`;
    await admin.query(`drop database if exists ${partial} with (force)`);
    await admin.query(`create database ${partial}`);
    await loadDataset(urlOf(partial), dataset.path);
    const loaded = new pg.Client({ connectionString: urlOf(partial) });
    await loaded.connect();
    await loaded.query('vacuum analyze');
    await loaded.end();
    await admin.query(`alter database ${partial} rename to ${template}`);
    const others = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'bench\\_tpl\\_%' and datname <> $1`, [template]);
    for (const { datname } of others.rows) await admin.query(`drop database if exists ${datname} with (force)`);
    loadedMs = performance.now() - started;
  }
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name} template ${template}`);
  return {
    url: urlOf(name),
    loadedMs,
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
