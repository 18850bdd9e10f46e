/** SQL for site settings (key/value text), including the site secret shared by every instance. */
import { randomBytes } from 'node:crypto';
import type { DB } from '../db/database.ts';

export async function findSetting(db: DB, key: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

/**
 * The site secret (64 hex chars) keying cookie signatures and IP hashes. Created on first use and stored in the
 * database, so every instance sharing the database agrees on it and restarts keep sessions valid.
 */
export async function getOrCreateSecret(db: DB): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key: 'secret_key', value: randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const secret = await findSetting(db, 'secret_key');
  if (!secret) throw new Error('the site secret could not be stored');
  return secret;
}

/** The setting every writer outside the running site (imports, the CLI) changes, so running instances drop cached pages. */
export const CONTENT_VERSION_KEY = 'content_version';

/** Marks published content as changed by something the running instances were not told of (caching/change-watch.ts). */
export async function markContentChanged(db: DB): Promise<void> {
  const value = randomBytes(8).toString('hex');
  await db.insertInto('settings').values({ key: CONTENT_VERSION_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}
