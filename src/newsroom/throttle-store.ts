/** SQL for login throttling counters, shared by every instance through the database. */
import type { DB } from '../db/database.ts';
import type { AuthThrottleTable } from '../db/schema.ts';

export async function findThrottle(db: DB, key: string): Promise<AuthThrottleTable | undefined> {
  return db.selectFrom('auth_throttle').select(['key', 'failures', 'window_started_at', 'locked_until']).where('key', '=', key).executeTakeFirst();
}

export async function saveThrottle(db: DB, row: AuthThrottleTable): Promise<void> {
  await db
    .insertInto('auth_throttle')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures: row.failures, window_started_at: row.window_started_at, locked_until: row.locked_until }))
    .execute();
}

export async function clearThrottle(db: DB, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}
