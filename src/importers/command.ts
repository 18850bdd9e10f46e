/**
 * `broadsheet import …` commands, and the plumbing every file importer shares: open and migrate the database, run
 * the import, print its report on stdout; a refused file (ImportFileError) is one line on stderr and exit code 1,
 * with nothing written.
 */
import type { ArticleDeps } from '../articles/service.ts';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LocalDiskStorage, type MediaStorage } from '../media/storage.ts';
import { parseArgs } from 'node:util';
import { importProgress, type ProgressReporter } from './progress.ts';
import { ImportFileError } from './report.ts';

/** Runs `importFile` (which returns the printed report) on the configured database; returns the exit code. */
export async function runFileImport(config: Config, file: string, importFile: (deps: ArticleDeps) => Promise<string>, progress?: ProgressReporter): Promise<number> {
  const database = openDatabase(config.database, { poolSize: config.databasePoolSize });
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

/**
 * `import wxr FILE [--dry-run] [--uploads DIR]`: one transaction for the whole export, progress on stderr, the
 * report on stdout. Returns the exit code.
 */
async function importWxrCommand(config: Config, args: string[], usage: string): Promise<number> {
  const options = { 'dry-run': { type: 'boolean', default: false }, uploads: { type: 'string' } } as const;
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    console.error('broadsheet import wxr: name one WordPress export file.\n');
    console.error(usage);
    return 2;
  }
  const uploads = await uploadsOption(config, values.uploads);
  if (!uploads) return 1;
  const { formatReport, importWxrFile } = await import('./wxr/import-wxr.ts');
  const progress = importProgress();
  const opts = { dryRun: values['dry-run'], unicodeSlugs: config.slugs === 'unicode', ...uploads, onProgress: progress.update };
  return runFileImport(config, file, async (deps) => formatReport(await importWxrFile(deps, file, opts)), progress);
}

/** `import ghost FILE [--dry-run] [--ghost-url URL] [--uploads DIR]`: one transaction for the whole export; prints the report. */
async function importGhostCommand(config: Config, args: string[], usage: string): Promise<number> {
  const options = { 'dry-run': { type: 'boolean', default: false }, 'ghost-url': { type: 'string', default: '' }, uploads: { type: 'string' } } as const;
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  if (positionals.length !== 1) {
    console.error(`broadsheet import ghost: name one Ghost export file.\n\n${usage}`);
    return 2;
  }
  const [file = ''] = positionals;
  const uploads = await uploadsOption(config, values.uploads);
  if (!uploads) return 1;
  const { formatGhostReport, importGhostFile } = await import('./ghost/import-ghost.ts');
  const opts = { dryRun: values['dry-run'], ghostUrl: values['ghost-url'], unicodeSlugs: config.slugs === 'unicode', ...uploads };
  return runFileImport(config, file, async (deps) => formatGhostReport(await importGhostFile(deps, file, opts)));
}

/**
 * `broadsheet import …`: `wxr`, `ghost` and `json` files, else captured article pages, each in its own transaction
 * with one line per file. `usage` is printed with a usage error. Returns the process exit code. Each importer is
 * loaded only when its command runs.
 */
export async function importCommand(config: Config, args: string[], usage: string): Promise<number> {
  if (args[0] === 'wxr') return importWxrCommand(config, args.slice(1), usage);
  if (args[0] === 'json') return (await import('./export/command.ts')).importJsonCommand(config, args.slice(1));
  if (args[0] === 'ghost') return importGhostCommand(config, args.slice(1), usage);
  const { values, positionals } = parseArgs({ args, options: { section: { type: 'string' } }, allowPositionals: true });
  if (!positionals.length) {
    console.error('broadsheet import: name at least one file to import.\n');
    console.error(usage);
    return 2;
  }
  const { importCaptureFile, ImportError } = await import('./import-capture.ts');
  const database = openDatabase(config.database, { poolSize: config.databasePoolSize });
  let failures = 0;
  try {
    await migrateToLatest(database.db);
    for (const file of positionals) {
      try {
        const result = await importCaptureFile({ db: database.db, clock: systemClock }, file, { siteName: config.siteName, section: values.section, unicodeSlugs: config.slugs === 'unicode' });
        console.log(`${result.action} ${file} → /articles/${result.slug} (${result.format}) “${result.headline}”`);
      } catch (error) {
        failures++;
        if (error instanceof ImportError) console.error(`error ${error.file}: ${error.reason}`);
        else console.error(`error ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await database.close();
  }
  console.log(`${positionals.length - failures} imported, ${failures} failed`);
  return failures ? 1 : 0;
}
