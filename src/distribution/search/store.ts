/** SQL of site search: writing an article's index entry, and finding the visible articles and pages that match, ranked. */
import type { DB } from '../../db/database.ts';
import { searchDocumentDelete, searchDocumentWrite, searchMatches, searchMatchTable, searchRank, type DialectName, type SearchField } from '../../db/dialect.ts';
import type { ArticleKind, ArticleRow, ArticleSearchDocument } from '../../db/schema.ts';
import { publiclyVisible } from '../../articles/store.ts';

/**
 * Points a query term earns an article in each field it occurs in: a headline match outranks a dek or tag match,
 * which outranks a body match, and a term everywhere beats a term in one place.
 */
const FIELD_POINTS: Record<SearchField, number> = { headline: 4, dekOrTags: 2, body: 1 };

/** The fields of an article its index entry is built from, or undefined when it no longer exists. */
export async function findIndexable(db: DB, articleId: number): Promise<Pick<ArticleRow, 'headline' | 'dek' | 'body_html'> | undefined> {
  return db.selectFrom('articles').select(['headline', 'dek', 'body_html']).where('id', '=', articleId).executeTakeFirst();
}

/** Tag names of an article, in its order. */
export async function tagNamesOf(db: DB, articleId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select('tags.name')
    .where('article_tags.article_id', '=', articleId)
    .orderBy('article_tags.position')
    .execute();
  return rows.map((r) => r.name);
}

/** Ids of the articles carrying tag `tagId`. */
export async function articleIdsTagged(db: DB, tagId: number): Promise<number[]> {
  const rows = await db.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId).orderBy('article_id').execute();
  return rows.map((r) => r.article_id);
}

/** Stores (inserts or replaces) the index entry of an article. */
export async function writeDocument(db: DB, dialect: DialectName, articleId: number, doc: ArticleSearchDocument): Promise<void> {
  for (const statement of searchDocumentWrite(dialect, articleId, doc)) await statement.execute(db);
}

export async function deleteDocument(db: DB, dialect: DialectName, articleId: number): Promise<void> {
  await searchDocumentDelete(dialect, articleId).execute(db);
}

export interface SearchHitRow {
  id: number;
  slug: string;
  kind: ArticleKind;
  headline: string;
  dek: string;
  body_html: string;
  published_at: string;
  comment_count: number;
  section_id: number | null;
  score: number;
}

/**
 * Articles and pages readers may see at `now` whose index holds every one of `terms` (non-empty), best first: by score,
 * then newest, then highest id, so equal scores come out in the same order on both databases.
 */
export async function findMatches(db: DB, dialect: DialectName, terms: readonly string[], now: string, page: { limit: number; offset: number }): Promise<SearchHitRow[]> {
  const rows = await db
    .selectFrom('articles')
    .select(['articles.id', 'articles.slug', 'articles.kind', 'articles.headline', 'articles.dek', 'articles.body_html', 'articles.published_at', 'articles.comment_count', 'articles.section_id'])
    .select(searchRank(dialect, terms, FIELD_POINTS).as('score'))
    .where(searchMatches(dialect, terms))
    .where(publiclyVisible(now))
    .orderBy('score', 'desc')
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((r) => ({ ...r, published_at: r.published_at!, score: Number(r.score) }));
}

/** How many articles readers may see at `now` match every one of `terms`. */
export async function countMatches(db: DB, dialect: DialectName, terms: readonly string[], now: string): Promise<number> {
  if (!terms.length) return 0;
  const { count } = await db
    .selectFrom(searchMatchTable(dialect, terms))
    .innerJoin('articles', 'articles.id', 'matched.id')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where(publiclyVisible(now))
    .executeTakeFirstOrThrow();
  return Number(count);
}
