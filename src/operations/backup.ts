/**
 * `broadsheet backup FILE` and `broadsheet restore FILE [--force]` for SQLite sites, called by src/cli.ts. Both go
 * through SQLite's online backup API (better-sqlite3 `.backup()`): the copy is consistent while the site writes, and
 * takes in what still sits in the -wal file. PostgreSQL has its own tools (pg_dump / pg_restore).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.ts';

/** A refusal the user can act on; printed without a stack, exit code 1. */
class OperationRefused extends Error {}

/** How long to wait for a write lock the running site holds, in ms. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens `file` read-only and checks that it is a Broadsheet database (the migrations bookkeeping table and the
 * articles table); returns the open handle and its article count. Throws OperationRefused otherwise.
 */
function openBroadsheetFile(file: string, role: string): { db: SQLite.Database; articles: number } {
  if (!existsSync(file)) throw new OperationRefused(`${role} ${file} does not exist`);
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const tables = new Set(db.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[]);
    if (!tables.has('kysely_migration') || !tables.has('articles')) throw new OperationRefused(`${role} ${file} is an SQLite database, but not a Broadsheet one (no migrations or articles table)`);
    const articles = db.prepare('select count(*) from articles').pluck().get() as number;
    return { db, articles };
  } catch (error) {
    db?.close();
    if (error instanceof OperationRefused) throw error;
    throw new OperationRefused(`${role} ${file} is not a Broadsheet SQLite database (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Copies the open database `source` to `target` through a temporary file beside it and a rename, so `target` is
 * never seen half written. The -wal and -shm files of an earlier database at `target` are removed first: SQLite
 * would otherwise replay them into the new file.
 */
async function copyAtomically(source: SQLite.Database, target: string): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    await source.backup(temporary);
    for (const sidecar of [`${target}-wal`, `${target}-shm`, `${temporary}-wal`, `${temporary}-shm`]) rmSync(sidecar, { force: true });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The one positional FILE and the flags of `backup` / `restore`; undefined (after printing why) when malformed. */
function parseFileArgs(command: string, args: string[], usage: string): { file: string; force: boolean } | undefined {
  try {
    const { values, positionals } = parseArgs({ args, options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
    if (positionals.length === 1) return { file: positionals[0]!, force: values.force };
  } catch (error) {
    console.error(`broadsheet ${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
  console.error(`broadsheet ${command}: name one file.\n\n${usage}`);
  return undefined;
}

/** Runs `step`, turning an OperationRefused into its message and exit code 1. */
async function refusing(command: string, step: () => Promise<number>): Promise<number> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof OperationRefused)) throw error;
    console.error(`broadsheet ${command}: ${error.message}`);
    return 1;
  }
}

/** One copy between the site's database and FILE: which way, and what to say. */
interface CopyPlan {
  from: string;
  to: string;
  /** Names `from` in refusals ("the backup"). */
  fromRole: string;
  /** Why an existing `to` is refused without --force. */
  exists: string;
  /** The line printed when done. */
  done(articles: number): string;
}

/**
 * The shape both commands share: FILE and --force; SQLite only (`postgresHint` names the PostgreSQL tool); FILE is
 * not the site's database itself; `from` must be a Broadsheet database; `to` is replaced only with --force.
 */
async function copyCommand(command: string, config: Config, args: string[], usage: string, postgresHint: string, plan: (live: string, file: string, named: string) => CopyPlan): Promise<number> {
  const parsed = parseFileArgs(command, args, usage);
  if (!parsed) return 2;
  return refusing(command, async () => {
    if (config.database.dialect !== 'sqlite') throw new OperationRefused(`works on SQLite only; for PostgreSQL use its own tools, e.g. ${postgresHint}`);
    if (config.database.location === ':memory:') throw new OperationRefused('DATABASE_URL names an in-memory database, which has no file');
    const live = resolve(config.database.location);
    const file = resolve(parsed.file);
    if (file === live) throw new OperationRefused(`${parsed.file} is the site's database itself; name another file`);
    const copy = plan(live, file, parsed.file);
    const { db, articles } = openBroadsheetFile(copy.from, copy.fromRole);
    try {
      if (existsSync(copy.to) && !parsed.force) throw new OperationRefused(copy.exists);
      await copyAtomically(db, copy.to);
    } finally {
      db.close();
    }
    console.log(copy.done(articles));
    return 0;
  });
}

/** `backup FILE [--force]`: an online copy of the site's SQLite database; the site may keep serving. */
export async function backupCommand(config: Config, args: string[], usage: string): Promise<number> {
  return copyCommand('backup', config, args, usage, 'pg_dump --format=custom --file=broadsheet.dump "$DATABASE_URL"', (live, file, named) => ({
    from: live,
    to: file,
    fromRole: 'the database',
    exists: `${named} exists; name a new file, or add --force to replace it`,
    done: (articles) => `Backed up ${live} (${articles} articles) to ${file}.`,
  }));
}

/** `restore FILE [--force]`: replaces the site's SQLite database with a backup; the site must be stopped. */
export async function restoreCommand(config: Config, args: string[], usage: string): Promise<number> {
  return copyCommand('restore', config, args, usage, 'pg_restore --clean --dbname="$DATABASE_URL" broadsheet.dump', (live, file, named) => ({
    from: file,
    to: live,
    fromRole: 'the backup',
    exists: `the site's database ${live} exists. Stop the site first, then run again with --force to replace it with ${named}`,
    done: (articles) => `Restored ${file} (${articles} articles) to ${live}. Start the site again; it migrates the database if the backup is older.`,
  }));
}
