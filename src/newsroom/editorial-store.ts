/** SQL of the editorial workflow: versioned article updates, slug redirects, revisions. */
import type { DB } from '../db/database.ts';
import type { ArticleRow, NewArticleRow, RevisionTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';

export async function findArticleById(db: DB, id: number): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ordered byline author ids and names of an article. */
export async function authorsOf(db: DB, articleId: number): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('article_authors')
    .innerJoin('authors', 'authors.id', 'article_authors.author_id')
    .select(['authors.id', 'authors.name'])
    .where('article_authors.article_id', '=', articleId)
    .orderBy('article_authors.position')
    .execute();
}

/** Applies `changes` only if the stored version is still `version`, bumping it; returns false on a lost race. */
export async function updateIfVersion(db: DB, id: number, version: number, changes: Partial<NewArticleRow>): Promise<boolean> {
  const result = await db
    .updateTable('articles')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertRevision(db: DB, revision: Omit<Selectable<RevisionTable>, 'id'>): Promise<void> {
  await db.insertInto('revisions').values(revision).execute();
}

export type RevisionListRow = Pick<Selectable<RevisionTable>, 'id' | 'version' | 'created_at' | 'summary'> & { user_name: string | null };

export async function listRevisions(db: DB, articleId: number): Promise<RevisionListRow[]> {
  return db
    .selectFrom('revisions')
    .leftJoin('users', 'users.id', 'revisions.user_id')
    .select(['revisions.id', 'revisions.version', 'revisions.created_at', 'revisions.summary', 'users.display_name as user_name'])
    .where('revisions.article_id', '=', articleId)
    .orderBy('revisions.version', 'desc')
    .execute();
}

export async function findRevision(db: DB, articleId: number, id: number): Promise<Selectable<RevisionTable> | undefined> {
  return db.selectFrom('revisions').selectAll().where('article_id', '=', articleId).where('id', '=', id).executeTakeFirst();
}

export async function insertCorrection(db: DB, correction: { article_id: number; user_id: number | null; created_at: string; text: string }): Promise<void> {
  await db.insertInto('corrections').values(correction).execute();
}

/** The snapshot (JSON) of an article's newest revision, if it has any. */
export async function latestSnapshot(db: DB, articleId: number): Promise<string | undefined> {
  const row = await db.selectFrom('revisions').select('snapshot').where('article_id', '=', articleId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row?.snapshot;
}
