/** The `broadsheet` command line: `broadsheet import FILE…` (same environment variables as the server). */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { importCaptureFile, ImportError } from './importers/import-capture.ts';
import { EXPORT_USAGE, exportCommand, importJsonCommand } from './importers/export/command.ts';
import { formatReport, importWxrFile } from './importers/wxr/import-wxr.ts';
import { runFileImport, uploadsOption } from './importers/command.ts';
import { importProgress } from './importers/progress.ts';
import { formatGhostReport, importGhostFile } from './importers/ghost/import-ghost.ts';
import { systemClock } from './lib/clock.ts';
import { ValidationError } from './lib/errors.ts';
import { createUser } from './newsroom/accounts.ts';
import { getOrCreateSecret } from './settings/store.ts';
import password from '@inquirer/password';
import { text } from 'node:stream/consumers';

const USAGE = `Usage: broadsheet <command> [options]

Commands:
  import FILE…            Import captured article pages (plain text or saved HTML) as published articles.
      --section NAME      Section for articles whose capture names none.
  import wxr FILE         Import a WordPress export (WXR): posts, pages, authors, categories, tags, comments,
                          attachments; old addresses redirect (301). Importing again updates, never duplicates.
      --dry-run           Parse and report without writing anything.
      --uploads DIR       A copy of the old site's wp-content/uploads: images are copied into media and
                          featured images set (without it, attachments are recorded with their URLs only).
  import ghost FILE       Import a Ghost export (JSON): posts, pages, bylines, primary tags as sections, tags.
      --dry-run           Parse and report without writing anything.
      --ghost-url URL     The old site's address, for Ghost's __GHOST_URL__ in links and images (default: none,
                          so links stay root-relative and redirect through the recorded old addresses).
      --uploads DIR       A copy of the old site's content/images: feature images are copied into media.
${EXPORT_USAGE}
  user create --email EMAIL --name NAME [--role ROLE]
                          Create a newsroom user (role: contributor, author, editor, admin; default admin).
                          The password is asked for on a terminal, or read from the first line of stdin.
  help                    Show this help.

Environment: DATABASE_URL (default sqlite:./data/broadsheet.db), SITE_NAME, and the other variables in README.md.`;

/**
 * `import wxr FILE [--dry-run] [--uploads DIR]`: one transaction for the whole export, progress on stderr, the
 * report on stdout. Returns the exit code.
 */
async function importWxrCommand(config: Config, args: string[]): Promise<number> {
  const options = { 'dry-run': { type: 'boolean', default: false }, uploads: { type: 'string' } } as const;
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    console.error('broadsheet import wxr: name one WordPress export file.\n');
    console.error(USAGE);
    return 2;
  }
  const uploads = await uploadsOption(config, values.uploads);
  if (!uploads) return 1;
  const progress = importProgress();
  const opts = { dryRun: values['dry-run'], unicodeSlugs: config.slugs === 'unicode', ...uploads, onProgress: progress.update };
  return runFileImport(config, file, async (deps) => formatReport(await importWxrFile(deps, file, opts)), progress);
}

/** `import ghost FILE [--dry-run] [--ghost-url URL] [--uploads DIR]`: one transaction for the whole export; prints the report. */
async function importGhostCommand(config: Config, args: string[]): Promise<number> {
  const options = { 'dry-run': { type: 'boolean', default: false }, 'ghost-url': { type: 'string', default: '' }, uploads: { type: 'string' } } as const;
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  if (positionals.length !== 1) {
    console.error(`broadsheet import ghost: name one Ghost export file.\n\n${USAGE}`);
    return 2;
  }
  const [file = ''] = positionals;
  const uploads = await uploadsOption(config, values.uploads);
  if (!uploads) return 1;
  const opts = { dryRun: values['dry-run'], ghostUrl: values['ghost-url'], unicodeSlugs: config.slugs === 'unicode', ...uploads };
  return runFileImport(config, file, async (deps) => formatGhostReport(await importGhostFile(deps, file, opts)));
}

/** Imports each file in its own transaction; prints one line per file. Returns the process exit code. */
async function importCommand(config: Config, args: string[]): Promise<number> {
  if (args[0] === 'wxr') return importWxrCommand(config, args.slice(1));
  if (args[0] === 'json') return importJsonCommand(config, args.slice(1));
  if (args[0] === 'ghost') return importGhostCommand(config, args.slice(1));
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

/** The new user's password: prompted (hidden, twice) on a terminal, else the first line of stdin. */
async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) return (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
  const first = await password({ message: 'Password:', mask: '*' });
  const again = await password({ message: 'Password again:', mask: '*' });
  if (first !== again) throw new ValidationError({ password: 'The two passwords differ.' });
  return first;
}

async function userCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'admin' } } });
  if (sub !== 'create' || !values.email || !values.name) {
    console.error('broadsheet user create: give --email and --name (and optionally --role).\n');
    console.error(USAGE);
    return 2;
  }
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const secret = await getOrCreateSecret(database.db);
    const user = await createUser({ db: database.db, clock: systemClock, secret }, { email: values.email, displayName: values.name, role: values.role ?? 'admin', password: await readNewPassword() });
    console.log(`created ${user.role} ${user.email} (${user.displayName}); sign in at ${config.siteUrl}/admin`);
    return 0;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const [field, message] of Object.entries(error.fields)) console.error(`error ${field}: ${message}`);
    return 1;
  } finally {
    await database.close();
  }
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
    case 'export':
      return exportCommand(config, rest);
    case 'user':
      return userCommand(config, rest);
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
