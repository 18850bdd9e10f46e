/** SQL of content API keys and tokens: insert, look up by hash with the creating user, list, touch, revoke. */
import type { Selectable } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { ApiTokenTable, UserRow } from '../../db/schema.ts';

export type ApiTokenRow = Selectable<ApiTokenTable>;

/** Stores a new token row; returns its id. */
export async function insertToken(db: DB, row: Omit<ApiTokenRow, 'id' | 'last_used_at' | 'revoked_at'>): Promise<number> {
  const { id } = await db.insertInto('api_tokens').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** The token with this hash and the user who created it, revoked or not. */
export async function findTokenWithUser(db: DB, tokenHash: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const token = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!token) return undefined;
  const user = await db.selectFrom('users').selectAll().where('id', '=', token.user_id).executeTakeFirst();
  return user && { token, user };
}

/** Records that the token was used at `at` (ISO-8601 UTC). */
export async function touchToken(db: DB, id: number, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** Marks a token revoked (once); returns false when there is no such live token. */
export async function revokeToken(db: DB, id: number, at: string): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type ApiTokenListRow = Omit<ApiTokenRow, 'token_hash'> & { user_name: string | null };

/** Every key and token, live ones first, newest first, with the creator's name. */
export async function listTokens(db: DB): Promise<ApiTokenListRow[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.hint',
      'api_tokens.scopes',
      'api_tokens.user_id',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
      'users.display_name as user_name',
    ])
    .orderBy('api_tokens.created_at', 'desc')
    .orderBy('api_tokens.id', 'desc')
    .execute();
  return [...rows.filter((r) => r.revoked_at === null), ...rows.filter((r) => r.revoked_at !== null)];
}
