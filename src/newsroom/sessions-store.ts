/** SQL for server-side sessions and one-time user tokens (password reset, invitation); both stored as SHA-256 hashes. */
import type { DB } from '../db/database.ts';
import type { Insertable } from 'kysely';
import type { SessionTable, UserRow, UserTokenTable } from '../db/schema.ts';

export async function insertSession(db: DB, session: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/** The session with this id and its (enabled or not) user. */
export async function findSessionWithUser(db: DB, id: string): Promise<{ session: SessionInfo; user: UserRow } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id', 'sessions.created_at as session_created_at', 'sessions.last_seen_at', 'sessions.expires_at', 'sessions.ip_hash',
      'users.id', 'users.email', 'users.display_name', 'users.role', 'users.password_hash', 'users.author_id', 'users.disabled', 'users.created_at', 'users.updated_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_id, session_created_at, last_seen_at, expires_at, ip_hash, ...user } = row;
  return { session: { id: session_id, user_id: user.id, created_at: session_created_at, last_seen_at, expires_at, ip_hash }, user };
}

export type SessionInfo = Omit<SessionTable, 'user_agent'>;

export async function touchSession(db: DB, id: string, lastSeenAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: DB, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: DB, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function insertUserToken(db: DB, token: UserTokenTable): Promise<void> {
  await db.insertInto('user_tokens').values(token).execute();
}

/** Marks an unused, unexpired token of `purpose` as used and returns its user id; undefined when none matches. */
export async function consumeUserToken(db: DB, tokenHash: string, purpose: UserTokenTable['purpose'], now: string): Promise<number | undefined> {
  const row = await db
    .updateTable('user_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

/** True when an unused, unexpired token of `purpose` exists (to show the form before consuming it). */
export async function userTokenUsable(db: DB, tokenHash: string, purpose: UserTokenTable['purpose'], now: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_tokens')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/** Spends every unused token of `purpose` of a user (after a reset, older links must stop working). */
export async function spendUserTokens(db: DB, userId: number, purpose: UserTokenTable['purpose'], now: string): Promise<void> {
  await db.updateTable('user_tokens').set({ used_at: now }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

/** True when a token of `purpose` was issued to the user after `since` (ISO-8601 UTC) and is still unused. */
export async function recentTokenExists(db: DB, userId: number, purpose: UserTokenTable['purpose'], since: string): Promise<boolean> {
  const row = await db.selectFrom('user_tokens').select('user_id').where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).where('created_at', '>', since).executeTakeFirst();
  return row !== undefined;
}

export async function deleteOtherSessions(db: DB, userId: number, keepId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepId).execute();
}
