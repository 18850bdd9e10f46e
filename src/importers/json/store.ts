/** SQL of the JSON import: comments an earlier import stored, and an article's corrections restored as exported. */
import type { DB } from '../../db/database.ts';

/** The comment an earlier import stored under this source and key, with its article. */
export async function findImportedComment(db: DB, source: string, key: string): Promise<{ id: number; article_id: number } | undefined> {
  return db.selectFrom('comments').select(['id', 'article_id']).where('import_source', '=', source).where('import_key', '=', key).executeTakeFirst();
}

/** Replaces the corrections of an article with `corrections` (dated as exported, no newsroom user). */
export async function replaceCorrections(db: DB, articleId: number, corrections: readonly { created_at: string; text: string }[]): Promise<void> {
  await db.deleteFrom('corrections').where('article_id', '=', articleId).execute();
  if (corrections.length) {
    await db.insertInto('corrections').values(corrections.map((c) => ({ article_id: articleId, user_id: null, created_at: c.created_at, text: c.text }))).execute();
  }
}
