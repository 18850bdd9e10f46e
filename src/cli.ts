/** The `broadsheet` command line: `broadsheet import FILE…` (same environment variables as the server). */
import { exitAfterOutput } from './lib/exit.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { EXPORT_USAGE } from './importers/usage.ts';

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
  backup FILE [--force]   SQLite: copy the site's database to FILE while the site keeps serving (online backup).
                          PostgreSQL: use pg_dump. --force replaces an existing FILE.
  restore FILE [--force]  SQLite: replace the site's database with the backup FILE. Stop the site first; --force
                          is needed when the database file exists. PostgreSQL: use pg_restore.
  help                    Show this help.

Environment: DATABASE_URL (default sqlite:./data/broadsheet.db), SITE_NAME, and the other variables in README.md.`;

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
    // Each command's modules load only when it runs: `help` or `user create` never load sharp, the sanitiser or
    // the importers, and an import does not carry the rest.
    case 'import':
      return (await import('./importers/command.ts')).importCommand(config, rest, USAGE);
    case 'export':
      return (await import('./importers/export/command.ts')).exportCommand(config, rest);
    case 'user':
      return (await import('./newsroom/user-command.ts')).userCommand(config, rest, USAGE);
    case 'backup':
      return (await import('./operations/backup.ts')).backupCommand(config, rest, USAGE);
    case 'restore':
      return (await import('./operations/backup.ts')).restoreCommand(config, rest, USAGE);
    default:
      console.error(`broadsheet: unknown command "${command}".\n`);
      console.error(USAGE);
      return 2;
  }
}

runCli(process.argv.slice(2)).then(exitAfterOutput, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  exitAfterOutput(1);
});
