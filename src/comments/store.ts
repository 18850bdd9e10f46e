/** SQL for reader comments. Public reads select explicit columns and never the commenter's email. */
import type { DB } from '../db/database.ts';
import type { Insertable } from 'kysely';
import type { CommentRow, CommentTable } from '../db/schema.ts';

/** A comment as shown to readers: no email, no IP hash, no user agent. */
export type PublicCommentRow = Pick<CommentRow, 'id' | 'parent_id' | 'author_name' | 'author_url' | 'body' | 'created_at'>;

export async function insertComment(db: DB, row: Insertable<CommentTable>): Promise<number> {
  const { id } = await db.insertInto('comments').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Approved comments of an article, oldest first. */
export async function listApproved(db: DB, articleId: number): Promise<PublicCommentRow[]> {
  return db
    .selectFrom('comments')
    .select(['id', 'parent_id', 'author_name', 'author_url', 'body', 'created_at'])
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findCommentOfArticle(db: DB, articleId: number, id: number): Promise<Pick<CommentRow, 'id' | 'status'> | undefined> {
  return db.selectFrom('comments').select(['id', 'status']).where('article_id', '=', articleId).where('id', '=', id).executeTakeFirst();
}

/** Adds `delta` to the article's approved-comment count; run in the transaction that changes the comment. */
export async function adjustCommentCount(db: DB, articleId: number, delta: number): Promise<void> {
  await db
    .updateTable('articles')
    .set((eb) => ({ comment_count: eb('comment_count', '+', delta) }))
    .where('id', '=', articleId)
    .execute();
}
