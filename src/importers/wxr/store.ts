/** SQL of the WXR import: comments an earlier import stored, and comment counts. */
import type { Updateable } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { CommentTable } from '../../db/schema.ts';

/** The id of the comment an earlier import stored under (`source`, `key`). */
export async function findImportedComment(db: DB, source: string, key: string): Promise<number | undefined> {
  const row = await db.selectFrom('comments').select('id').where('import_source', '=', source).where('import_key', '=', key).executeTakeFirst();
  return row?.id;
}

/** Brings an imported comment up to date with the export (text, status, parent). */
export async function updateImportedComment(db: DB, id: number, changes: Updateable<CommentTable>): Promise<void> {
  await db.updateTable('comments').set(changes).where('id', '=', id).execute();
}

/** Sets an article's comment_count to its approved comments (an import may add, re-approve or spam several). */
export async function recountApprovedComments(db: DB, articleId: number): Promise<void> {
  await db
    .updateTable('articles')
    .set((eb) => ({
      comment_count: eb.selectFrom('comments').select((c) => c.fn.countAll<number>().as('n')).where('article_id', '=', articleId).where('status', '=', 'approved'),
    }))
    .where('id', '=', articleId)
    .execute();
}
