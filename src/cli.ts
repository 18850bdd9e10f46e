/** The `broadsheet` command line: `broadsheet import FILE…` (same environment variables as the server). */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { importCaptureFile, ImportError } from './importers/import-capture.ts';
import { systemClock } from './lib/clock.ts';

const USAGE = `Usage: broadsheet <command> [options]

Commands:
  import FILE…            Import captured article pages (plain text or saved HTML) as published articles.
      --section NAME      Section for articles whose capture names none.
  help                    Show this help.

Environment: DATABASE_URL (default sqlite:./data/broadsheet.db), SITE_NAME, and the other variables in README.md.`;

/** Imports each file in its own transaction; prints one line per file. Returns the process exit code. */
async function importCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { section: { type: 'string' } }, allowPositionals: true });
  if (!positionals.length) {
    console.error('broadsheet import: name at least one file to import.\n');
    console.error(USAGE);
    return 2;
  }
  const database = openDatabase(config.database);
  let failures = 0;
  try {
    await migrateToLatest(database.db);
    for (const file of positionals) {
      try {
        const result = await importCaptureFile({ db: database.db, clock: systemClock }, file, { siteName: config.siteName, section: values.section });
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

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      return 78;
    }
    throw error;
  }
  switch (command) {
    case 'import':
      return importCommand(config, rest);
    default:
      console.error(`broadsheet: unknown command "${command}".\n`);
      console.error(USAGE);
      return 2;
  }
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
