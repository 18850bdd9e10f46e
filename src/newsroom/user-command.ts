/** The `broadsheet user` command: create a newsroom user from the command line. */
import { parseArgs } from 'node:util';
import { text } from 'node:stream/consumers';
import password from '@inquirer/password';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { ValidationError } from '../lib/errors.ts';
import { getOrCreateSecret } from '../settings/store.ts';
import { createUser } from './accounts.ts';

/** The new user's password: prompted (hidden, twice) on a terminal, else the first line of stdin. */
async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) return (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
  const first = await password({ message: 'Password:', mask: '*' });
  const again = await password({ message: 'Password again:', mask: '*' });
  if (first !== again) throw new ValidationError({ password: 'The two passwords differ.' });
  return first;
}

/**
 * `broadsheet user create --email EMAIL --name NAME [--role ROLE]`: the password is read by readNewPassword.
 * `usage` is printed with a usage error. Returns the exit code.
 */
export async function userCommand(config: Config, args: string[], usage: string): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'admin' } } });
  if (sub !== 'create' || !values.email || !values.name) {
    console.error('broadsheet user create: give --email and --name (and optionally --role).\n');
    console.error(usage);
    return 2;
  }
  const database = openDatabase(config.database, { poolSize: config.databasePoolSize });
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
