/** SQL for reader comments. Public reads select explicit columns and never the commenter's email. */
import type { DB } from '../db/database.ts';
import type { Insertable } from 'kysely';
import { publiclyVisible } from '../articles/store.ts';
import type { CommentRow, CommentTable } from '../db/schema.ts';

/** A comment as shown to readers: no email, no IP hash, no user agent. */
export type PublicCommentRow = Pick<CommentRow, 'id' | 'parent_id' | 'author_name' | 'author_url' | 'body_html' | 'created_at' | 'edited_at' | 'status' | 'erased_at'>;

export async function insertComment(db: DB, row: Insertable<CommentTable>): Promise<number> {
  const { id } = await db.insertInto('comments').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/**
 * Approved comments of an article, plus the reader's own (`ownIds`) still waiting — held or caught as spam, which
 * their author sees as "awaiting moderation" alike, so a spammer learns nothing — oldest first.
 */
export async function listVisible(db: DB, articleId: number, ownIds: readonly number[]): Promise<PublicCommentRow[]> {
  return db
    .selectFrom('comments')
    .select(['id', 'parent_id', 'author_name', 'author_url', 'body_html', 'created_at', 'edited_at', 'status', 'erased_at'])
    .where('article_id', '=', articleId)
    .where((eb) => (ownIds.length ? eb.or([eb('status', '=', 'approved'), eb.and([eb('status', 'in', ['pending', 'spam']), eb('id', 'in', [...ownIds])])]) : eb('status', '=', 'approved')))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Every column of one comment (for the service layer; never rendered as is). */
export async function findComment(db: DB, id: number): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Adds `delta` to the article's approved-comment count; run in the transaction that changes the comment. */
export async function adjustCommentCount(db: DB, articleId: number, delta: number): Promise<void> {
  await db
    .updateTable('articles')
    .set((eb) => ({ comment_count: eb('comment_count', '+', delta) }))
    .where('id', '=', articleId)
    .execute();
}

/** The public article a comment belongs to (slug, headline), or undefined when that article is not public now. */
export async function findPublicArticleOfComment(db: DB, commentId: number, now: string): Promise<{ id: number; slug: string; headline: string } | undefined> {
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select(['articles.id', 'articles.slug', 'articles.headline'])
    .where('comments.id', '=', commentId)
    .where(publiclyVisible(now))
    .executeTakeFirst();
}
