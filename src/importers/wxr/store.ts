/** SQL of the WXR import: comments and attachments an earlier import stored, and comment counts. */
import type { Insertable, Updateable } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { CommentTable, ImportAttachmentTable } from '../../db/schema.ts';

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

/** The attachment row an earlier import stored under (`source`, `key`). */
export async function findImportAttachment(db: DB, source: string, key: string): Promise<{ id: number; media_id: number | null } | undefined> {
  return db.selectFrom('import_attachments').select(['id', 'media_id']).where('import_source', '=', source).where('import_key', '=', key).executeTakeFirst();
}

/** Inserts an attachment row, or updates the one stored under the same (import_source, import_key). */
export async function saveImportAttachment(db: DB, row: Insertable<ImportAttachmentTable>): Promise<void> {
  await db
    .insertInto('import_attachments')
    .values(row)
    .onConflict((oc) => oc.columns(['import_source', 'import_key']).doUpdateSet({ url: row.url, title: row.title ?? '', article_id: row.article_id, media_id: row.media_id }))
    .execute();
}
