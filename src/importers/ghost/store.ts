/** SQL of the Ghost import: the attachments (feature images) it met, kept by import key. */
import type { DB } from '../../db/database.ts';

export interface AttachmentFields {
  importSource: string;
  importKey: string;
  url: string;
  title: string;
  articleId: number;
}

/**
 * Records an attachment, or updates the one an earlier import recorded under the same source and key (its media_id,
 * set once a copy is stored, is kept). Returns whether it was new. `now` is ISO-8601 UTC.
 */
export async function upsertAttachment(db: DB, fields: AttachmentFields, now: string): Promise<'created' | 'updated'> {
  const existing = await db
    .selectFrom('import_attachments')
    .select('id')
    .where('import_source', '=', fields.importSource)
    .where('import_key', '=', fields.importKey)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable('import_attachments').set({ url: fields.url, title: fields.title, article_id: fields.articleId }).where('id', '=', existing.id).execute();
    return 'updated';
  }
  await db
    .insertInto('import_attachments')
    .values({ import_source: fields.importSource, import_key: fields.importKey, url: fields.url, title: fields.title, article_id: fields.articleId, media_id: null, created_at: now })
    .execute();
  return 'created';
}

