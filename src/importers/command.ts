/**
 * The command-line plumbing every file importer shares (`broadsheet import wxr|ghost|json FILE`): open and migrate
 * the database, run the import, print its report on stdout; a refused file (ImportFileError) is one line on stderr
 * and exit code 1, with nothing written.
 */
import type { ArticleDeps } from '../articles/service.ts';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LocalDiskStorage, type MediaStorage } from '../media/storage.ts';
import type { ProgressReporter } from './progress.ts';
import { ImportFileError } from './report.ts';

/** Runs `importFile` (which returns the printed report) on the configured database; returns the exit code. */
export async function runFileImport(config: Config, file: string, importFile: (deps: ArticleDeps) => Promise<string>, progress?: ProgressReporter): Promise<number> {
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const report = await importFile({ db: database.db, clock: systemClock });
    progress?.stop();
    console.log(report);
    return 0;
  } catch (error) {
    progress?.stop();
    if (!(error instanceof ImportFileError)) throw error;
    console.error(`error ${file}: ${error.reason}; nothing was imported`);
    return 1;
  } finally {
    await database.close();
  }
}

/**
 * The `--uploads DIR` option: the folder and the media storage copies go to (MEDIA_DIR), or undefined — after
 * saying so on stderr — when DIR is not a folder. Without the option: no copying.
 */
export async function uploadsOption(config: Config, dir: string | undefined): Promise<{ uploadsDir?: string; storage?: MediaStorage } | undefined> {
  if (dir === undefined) return {};
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) {
    console.error(`error --uploads ${dir}: not a folder; nothing was imported`);
    return undefined;
  }
  return { uploadsDir: dir, storage: new LocalDiskStorage(resolve(config.mediaDir)) };
}
