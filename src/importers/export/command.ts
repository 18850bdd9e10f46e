/** `broadsheet export wxr|json [--output FILE]` and `broadsheet import json FILE [--dry-run]`, called by src/cli.ts. */
import { parseArgs } from 'node:util';
import type { Config } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { systemClock } from '../../lib/clock.ts';
import { runFileImport } from '../command.ts';
import { EXPORT_USAGE } from '../usage.ts';
import { formatReport } from '../report.ts';
import { importJsonFile, JSON_REPORT_KINDS } from '../json/import-json.ts';
import { exportJson } from './export-json.ts';
import { exportWxr } from './export-wxr.ts';
import { writeExport } from './output.ts';

/** `export wxr|json [--output FILE]`; returns the exit code. The summary goes to stderr, so stdout can be the file. */
export async function exportCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { output: { type: 'string', short: 'o' } }, allowPositionals: true });
  const [format] = positionals;
  if (positionals.length !== 1 || (format !== 'wxr' && format !== 'json')) {
    console.error(`broadsheet export: say wxr or json.\n\n${EXPORT_USAGE}`);
    return 2;
  }
  const database = openDatabase(config.database, { poolSize: config.databasePoolSize });
  try {
    await migrateToLatest(database.db);
    const site = { name: config.siteName, url: config.siteUrl };
    let counts = { articles: 0, pages: 0, comments: 0 };
    await writeExport(values.output, async (sink) => {
      counts = format === 'wxr'
        ? await exportWxr(database.db, systemClock, { ...site, timeZone: config.siteTimeZone, language: config.siteLanguage }, sink)
        : await exportJson(database.db, systemClock, site, sink);
    });
    console.error(`exported ${counts.articles} articles, ${counts.pages} pages and ${counts.comments} comments${values.output ? ` to ${values.output}` : ''}`);
    return 0;
  } catch (error) {
    // A file system error (it has a syscall) is about the output file; anything else is unexpected.
    const { code, syscall } = error as NodeJS.ErrnoException;
    if (!values.output || !syscall) throw error;
    console.error(`error ${values.output}: cannot be written (${code}); nothing was exported`);
    return 1;
  } finally {
    await database.close();
  }
}

/** `import json FILE [--dry-run]`: one transaction for the whole export; prints the report. Returns the exit code. */
export async function importJsonCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1) {
    console.error(`broadsheet import json: name one Broadsheet export file.\n\n${EXPORT_USAGE}`);
    return 2;
  }
  const [file = ''] = positionals;
  return runFileImport(config, file, async (deps) => formatReport(await importJsonFile(deps, file, { dryRun: values['dry-run'] }), JSON_REPORT_KINDS));
}
