/** SQL of comment bans: an email address (lowercased) or an IP / network hash whose comments are refused. */
import type { Selectable } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { CommentBanKind, CommentBanTable } from '../../db/schema.ts';

/** A ban with the name of the moderator who added it (null when unknown or deleted). */
export type BanView = Selectable<CommentBanTable> & { user_name: string | null };

/** Every ban, newest first. */
export async function listBans(db: DB): Promise<BanView[]> {
  return db
    .selectFrom('comment_bans')
    .leftJoin('users', 'users.id', 'comment_bans.user_id')
    .select(['comment_bans.id', 'comment_bans.kind', 'comment_bans.value', 'comment_bans.note', 'comment_bans.user_id', 'comment_bans.created_at', 'users.display_name as user_name'])
    .orderBy('comment_bans.created_at', 'desc')
    .orderBy('comment_bans.id', 'desc')
    .execute();
}

export async function findBan(db: DB, kind: CommentBanKind, value: string): Promise<Selectable<CommentBanTable> | undefined> {
  return db.selectFrom('comment_bans').select(['id', 'kind', 'value', 'note', 'user_id', 'created_at']).where('kind', '=', kind).where('value', '=', value).executeTakeFirst();
}

/** Adds a ban unless the same kind and value is banned already (then nothing changes). */
export async function insertBan(db: DB, ban: { kind: CommentBanKind; value: string; note: string; userId: number | null; at: string }): Promise<void> {
  await db
    .insertInto('comment_bans')
    .values({ kind: ban.kind, value: ban.value, note: ban.note, user_id: ban.userId, created_at: ban.at })
    .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
    .execute();
}

/** Removes a ban; returns false when there was no such ban. */
export async function deleteBan(db: DB, id: number): Promise<boolean> {
  const result = await db.deleteFrom('comment_bans').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
