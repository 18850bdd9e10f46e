/**
 * SQL of the content API's reads: the article rows and their tags, credits, corrections and images in one query
 * each for a whole page, and the tags and authors that at least one visible article uses.
 */
import type { DB } from '../../db/database.ts';
import type { ArticleRow, CommentStatus } from '../../db/schema.ts';
import { listedOnly, publiclyVisible, type NamedRef } from '../../articles/store.ts';
import type { MediaRow } from '../../media/store.ts';

export type ApiArticleRow = Omit<ArticleRow, 'import_source' | 'import_key' | 'created_at' | 'version' | 'status' | 'comment_status'> & { published_at: string };

/** The rows of `ids` that readers may see at `now` (ISO-8601 UTC), in no particular order. */
export async function visibleArticlesByIds(db: DB, ids: readonly number[], now: string): Promise<ApiArticleRow[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('articles')
    .select([
      'id',
      'slug',
      'kind',
      'headline',
      'dek',
      'body_html',
      'dateline',
      'section_id',
      'comment_count',
      'published_at',
      'updated_at',
      'revised_at',
      'featured_media_id',
      'featured_alt',
      'featured_caption',
      'featured_credit',
    ])
    .where('id', 'in', [...ids])
    .where(publiclyVisible(now))
    .execute();
  return rows as ApiArticleRow[];
}

/** The id of the article at `slug` if readers may see it at `now`. */
export async function findVisibleIdBySlug(db: DB, slug: string, now: string): Promise<number | undefined> {
  return (await db.selectFrom('articles').select('id').where('slug', '=', slug).where(publiclyVisible(now)).executeTakeFirst())?.id;
}

function groupBy<T extends { article_id: number }, V>(rows: T[], value: (row: T) => V): Map<number, V[]> {
  const map = new Map<number, V[]>();
  for (const row of rows) map.set(row.article_id, [...(map.get(row.article_id) ?? []), value(row)]);
  return map;
}

/** Ordered tags of each article in `ids`. */
export async function tagsByArticle(db: DB, ids: readonly number[]): Promise<Map<number, NamedRef[]>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.slug', 'tags.name'])
    .where('article_tags.article_id', 'in', [...ids])
    .orderBy('article_tags.article_id')
    .orderBy('article_tags.position')
    .execute();
  return groupBy(rows, (r) => ({ slug: r.slug, name: r.name }));
}

/** Ordered credit lines of each article in `ids`. */
export async function creditsByArticle(db: DB, ids: readonly number[]): Promise<Map<number, string[]>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('credits').select(['article_id', 'text']).where('article_id', 'in', [...ids]).orderBy('article_id').orderBy('position').execute();
  return groupBy(rows, (r) => r.text);
}

/** Corrections of each article in `ids`, oldest first. */
export async function correctionsByArticle(db: DB, ids: readonly number[]): Promise<Map<number, { created_at: string; text: string }[]>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('corrections').select(['article_id', 'created_at', 'text']).where('article_id', 'in', [...ids]).orderBy('article_id').orderBy('created_at').orderBy('id').execute();
  return groupBy(rows, (r) => ({ created_at: r.created_at, text: r.text }));
}

/** Media rows of `ids`, keyed by id. */
export async function mediaByIds(db: DB, ids: readonly number[]): Promise<Map<number, MediaRow>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('media').selectAll().where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export interface TaxonomyCount {
  slug: string;
  name: string;
  article_count: number;
}

/** Tags used by at least one listed article readers may see at `now`, by name (others would reveal embargoed stories). */
export async function visibleTags(db: DB, now: string): Promise<TaxonomyCount[]> {
  const rows = await db
    .selectFrom('tags')
    .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
    .innerJoin('articles', 'articles.id', 'article_tags.article_id')
    .where(publiclyVisible(now))
    .where(listedOnly())
    .select(['tags.slug', 'tags.name', (eb) => eb.fn.countAll<string | number>().as('article_count')])
    .groupBy(['tags.id', 'tags.slug', 'tags.name'])
    .orderBy('tags.name')
    .execute();
  return rows.map((r) => ({ slug: r.slug, name: r.name, article_count: Number(r.article_count) }));
}

/** Byline authors of at least one listed article readers may see at `now`, by name (staff without bylines stay private). */
export async function visibleAuthors(db: DB, now: string): Promise<(TaxonomyCount & { bio: string })[]> {
  const rows = await db
    .selectFrom('authors')
    .innerJoin('article_authors', 'article_authors.author_id', 'authors.id')
    .innerJoin('articles', 'articles.id', 'article_authors.article_id')
    .where(publiclyVisible(now))
    .where(listedOnly())
    .select(['authors.slug', 'authors.name', 'authors.bio', (eb) => eb.fn.countAll<string | number>().as('article_count')])
    .groupBy(['authors.id', 'authors.slug', 'authors.name', 'authors.bio'])
    .orderBy('authors.name')
    .execute();
  return rows.map((r) => ({ slug: r.slug, name: r.name, bio: r.bio, article_count: Number(r.article_count) }));
}

/** The slug of section `id`, if it exists. */
export async function sectionSlug(db: DB, id: number): Promise<string | undefined> {
  return (await db.selectFrom('sections').select('slug').where('id', '=', id).executeTakeFirst())?.slug;
}

/** A comment's id and status (nothing about its author), if it exists. */
export async function findCommentStatus(db: DB, id: number): Promise<{ id: number; status: CommentStatus } | undefined> {
  return db.selectFrom('comments').select(['id', 'status']).where('id', '=', id).executeTakeFirst();
}
