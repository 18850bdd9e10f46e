/**
 * SQL for comment notifications: the comments and recipients a mail is about, the record of sent notifications
 * (one per comment, recipient and kind), the digest marker, and reply subscriptions.
 */
import type { DB } from '../db/database.ts';
import type { CommentRow } from '../db/schema.ts';

/** A comment with what its notification mails need (the email is for matching recipients, never for printing). */
export type MailCommentRow = Pick<
  CommentRow,
  'id' | 'article_id' | 'parent_id' | 'author_name' | 'author_email' | 'author_url' | 'body' | 'status' | 'erased_at' | 'moderation_reason' | 'notify_replies' | 'created_at'
> & { headline: string };

export type NotificationKind = 'reply' | 'author' | 'held';

const MAIL_COMMENT_COLUMNS = [
  'comments.id',
  'comments.article_id',
  'comments.parent_id',
  'comments.author_name',
  'comments.author_email',
  'comments.author_url',
  'comments.body',
  'comments.status',
  'comments.erased_at',
  'comments.moderation_reason',
  'comments.notify_replies',
  'comments.created_at',
  'articles.headline',
] as const;

/** The comments with these ids (unknown ids are left out), oldest first. */
export async function findMailComments(db: DB, ids: readonly number[]): Promise<MailCommentRow[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select(MAIL_COMMENT_COLUMNS)
    .where('comments.id', 'in', [...ids])
    .orderBy('comments.created_at')
    .orderBy('comments.id')
    .execute();
}

/** Comments still held for moderation (pending, not erased) that arrived at or after `since`; oldest first, at most `limit`. */
export async function listHeldSince(db: DB, since: string, limit = 200): Promise<MailCommentRow[]> {
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select(MAIL_COMMENT_COLUMNS)
    .where('comments.status', '=', 'pending')
    .where('comments.erased_at', 'is', null)
    .where('comments.created_at', '>=', since)
    .orderBy('comments.created_at')
    .orderBy('comments.id')
    .limit(limit)
    .execute();
}

/** Enabled newsroom users who moderate comments (editors and admins). */
export async function listModerators(db: DB): Promise<{ email: string }[]> {
  return db.selectFrom('users').select('email').where('role', 'in', ['editor', 'admin']).where('disabled', '=', 0).orderBy('id').execute();
}

/** Enabled newsroom users whose byline profile is an author of the article. */
export async function listBylineUsers(db: DB, articleId: number): Promise<{ email: string }[]> {
  return db
    .selectFrom('users')
    .innerJoin('article_authors', 'article_authors.author_id', 'users.author_id')
    .select('users.email')
    .distinct()
    .where('article_authors.article_id', '=', articleId)
    .where('users.disabled', '=', 0)
    .orderBy('users.email')
    .execute();
}

/**
 * Records that `recipient` is told about a comment; true when this call made the record, false when it existed.
 * The primary key makes this the one place deciding who sends, across repeated approvals and app instances.
 */
export async function claimNotification(db: DB, row: { commentId: number; recipient: string; kind: NotificationKind; now: string }): Promise<boolean> {
  const inserted = await db
    .insertInto('comment_notifications')
    .values({ comment_id: row.commentId, recipient: row.recipient, kind: row.kind, created_at: row.now })
    .onConflict((oc) => oc.columns(['comment_id', 'recipient', 'kind']).doNothing())
    .returning('comment_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Takes back claims whose mail could not be sent, so a later approval or digest may try again. */
export async function releaseNotifications(db: DB, commentIds: readonly number[], recipient: string, kind: NotificationKind): Promise<void> {
  if (!commentIds.length) return;
  await db.deleteFrom('comment_notifications').where('comment_id', 'in', [...commentIds]).where('recipient', '=', recipient).where('kind', '=', kind).execute();
}

/**
 * Moves the settings value `key` from `previous` (undefined: not stored yet) to `next`; false when another
 * instance moved it first. The compare-and-set keeps the hourly digest to one run across instances.
 */
export async function compareAndSetSetting(db: DB, key: string, previous: string | undefined, next: string): Promise<boolean> {
  if (previous === undefined) {
    const inserted = await db.insertInto('settings').values({ key, value: next }).onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
    return inserted !== undefined;
  }
  const updated = await db.updateTable('settings').set({ value: next }).where('key', '=', key).where('value', '=', previous).returning('key').executeTakeFirst();
  return updated !== undefined;
}

/** The email address of a comment ('' when erased), or undefined when there is no such comment. */
export async function findCommentEmail(db: DB, commentId: number): Promise<string | undefined> {
  return (await db.selectFrom('comments').select('author_email').where('id', '=', commentId).executeTakeFirst())?.author_email;
}

/** Stops reply mails for every comment written with `email` (or only `commentId` when the email is gone). */
export async function stopReplyMails(db: DB, commentId: number, email: string): Promise<void> {
  const query = db.updateTable('comments').set({ notify_replies: 0 }).where('notify_replies', '=', 1);
  await (email ? query.where('author_email', '=', email) : query.where('id', '=', commentId)).execute();
}
