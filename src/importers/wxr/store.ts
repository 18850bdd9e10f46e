/** SQL of the WXR import: taxonomy row counts for the report, and finding comments an earlier import stored. */
import type { DB } from '../../db/database.ts';

/** Rows in the authors, sections and tags tables, so the report can tell created ones from existing ones. */
export async function taxonomyCounts(db: DB): Promise<{ authors: number; sections: number; tags: number }> {
  const count = async (table: 'authors' | 'sections' | 'tags'): Promise<number> => {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return { authors: await count('authors'), sections: await count('sections'), tags: await count('tags') };
}

/**
 * The id of a comment on `articleId` with the same time, email and text: one an earlier import of the same export
 * stored (comments carry no import key).
 */
export async function findSameComment(db: DB, articleId: number, fields: { created_at: string; author_email: string; body: string }): Promise<number | undefined> {
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('article_id', '=', articleId)
    .where('created_at', '=', fields.created_at)
    .where('author_email', '=', fields.author_email)
    .where('body', '=', fields.body)
    .executeTakeFirst();
  return row?.id;
}
