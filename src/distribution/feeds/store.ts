/**
 * SQL for feeds: the newest articles readers may see (embargo applied by publiclyVisible; never pages), their tags and images,
 * an article's approved comments (never the commenter's email), and when each feed last changed.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { listedOnly, publiclyVisible, type NamedRef } from '../../articles/store.ts';
import type { DB } from '../../db/database.ts';
import type { ArticleRow, CommentRow, Database } from '../../db/schema.ts';

/** Which articles a feed holds: all, or those of one section, author or tag (ids). */
export interface ArticleScope {
  sectionId?: number;
  authorId?: number;
  tagId?: number;
  /** Count pages ("About us") too: only the article sitemap lists them; feeds never do. */
  withPages?: boolean;
}

/** The articles of `scope` (listed articles only, unless `withPages`). */
export function inScope(scope: ArticleScope): (eb: ExpressionBuilder<Database, 'articles'>) => Expression<SqlBool> {
  return (eb) => {
    const conditions = scope.withPages ? [] : [listedOnly()(eb)];
    if (scope.sectionId !== undefined) conditions.push(eb('articles.section_id', '=', scope.sectionId));
    if (scope.authorId !== undefined) {
      const byAuthor = eb.selectFrom('article_authors').select('article_authors.article_id').whereRef('article_authors.article_id', '=', 'articles.id').where('article_authors.author_id', '=', scope.authorId);
      conditions.push(eb.exists(byAuthor));
    }
    if (scope.tagId !== undefined) {
      const tagged = eb.selectFrom('article_tags').select('article_tags.article_id').whereRef('article_tags.article_id', '=', 'articles.id').where('article_tags.tag_id', '=', scope.tagId);
      conditions.push(eb.exists(tagged));
    }
    return eb.and(conditions);
  };
}

export type FeedArticleRow = Pick<
  ArticleRow,
  'id' | 'slug' | 'headline' | 'dek' | 'body_html' | 'updated_at' | 'revised_at' | 'created_at' | 'section_id' | 'featured_media_id' | 'featured_alt' | 'featured_caption'
> & { published_at: string };

/** The `limit` newest articles of `scope` visible at `now` (ISO-8601 UTC), newest first. */
export async function listFeedArticles(db: DB, scope: ArticleScope, now: string, limit: number): Promise<FeedArticleRow[]> {
  const rows = await db
    .selectFrom('articles')
    .select([
      'articles.id',
      'articles.slug',
      'articles.headline',
      'articles.dek',
      'articles.body_html',
      'articles.published_at',
      'articles.updated_at',
      'articles.revised_at',
      'articles.created_at',
      'articles.section_id',
      'articles.featured_media_id',
      'articles.featured_alt',
      'articles.featured_caption',
    ])
    .where(publiclyVisible(now))
    .where(inScope(scope))
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
  return rows as FeedArticleRow[];
}

/**
 * The latest time (ISO-8601 UTC) anything readers could see in `scope` changed: a visible article published,
 * saved or revised, or an article unpublished (it left the feed). Undefined when nothing ever was public.
 */
export async function lastArticleChange(db: DB, scope: ArticleScope, now: string): Promise<string | undefined> {
  const visible = await db
    .selectFrom('articles')
    .select((eb) => [eb.fn.max('articles.published_at').as('published'), eb.fn.max('articles.updated_at').as('updated'), eb.fn.max('articles.revised_at').as('revised')])
    .where(publiclyVisible(now))
    .where(inScope(scope))
    .executeTakeFirst();
  // An article can leave a feed without being in it any more: unpublished, or moved to another section, tag or
  // byline, or become a page. Any change to an article that has ever been public therefore counts, whatever its scope now.
  const withdrawn = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.max('articles.updated_at').as('updated'))
    .where('articles.published_at', 'is not', null)
    .executeTakeFirst();
  return latest([visible?.published, visible?.updated, visible?.revised, withdrawn?.updated]);
}

/** The latest of some ISO-8601 UTC times (they sort as text), ignoring missing ones. */
export function latest(times: readonly (string | null | undefined)[]): string | undefined {
  return times.filter((t): t is string => typeof t === 'string' && t !== '').sort().at(-1);
}

/** Tags of each article in `articleIds`, in the article's order, keyed by article id. */
export async function tagsByArticle(db: DB, articleIds: readonly number[]): Promise<Map<number, NamedRef[]>> {
  const byArticle = new Map<number, NamedRef[]>();
  if (!articleIds.length) return byArticle;
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.slug', 'tags.name'])
    .where('article_tags.article_id', 'in', articleIds)
    .orderBy('article_tags.article_id')
    .orderBy('article_tags.position')
    .execute();
  for (const row of rows) byArticle.set(row.article_id, [...(byArticle.get(row.article_id) ?? []), { slug: row.slug, name: row.name }]);
  return byArticle;
}

/** The stored variants (JSON text, see media/images.ts) of each media id in `ids`. */
export async function mediaVariants(db: DB, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('media').select(['id', 'variants']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.variants]));
}

/** A comment as feeds show it: no email, IP hash or user agent. */
export type FeedCommentRow = Pick<CommentRow, 'id' | 'author_name' | 'body_html' | 'created_at' | 'edited_at'>;

/** The `limit` newest approved, not erased comments of an article, newest first. */
export async function listFeedComments(db: DB, articleId: number, limit: number): Promise<FeedCommentRow[]> {
  return db
    .selectFrom('comments')
    .select(['id', 'author_name', 'body_html', 'created_at', 'edited_at'])
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .where('erased_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The latest time (ISO-8601 UTC) an article's public comments changed: an approved comment posted, edited or
 * erased, or any moderation of a comment that was approved at some point (approval, or its removal later).
 */
export async function lastCommentChange(db: DB, articleId: number): Promise<string | undefined> {
  const approved = await db
    .selectFrom('comments')
    .select((eb) => [eb.fn.max('created_at').as('created'), eb.fn.max('edited_at').as('edited'), eb.fn.max('erased_at').as('erased')])
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  const moderated = await db
    .selectFrom('comment_events')
    .innerJoin('comments', 'comments.id', 'comment_events.comment_id')
    .select((eb) => eb.fn.max('comment_events.created_at').as('at'))
    .where('comments.article_id', '=', articleId)
    // Correlated with this article's comments, so only their events are read (an uncorrelated IN list would be every approval of the site).
    .where((eb) =>
      eb.exists(eb.selectFrom('comment_events as approval').select('approval.comment_id').whereRef('approval.comment_id', '=', 'comments.id').where('approval.status', '=', 'approved')),
    )
    .executeTakeFirst();
  return latest([approved?.created, approved?.edited, approved?.erased, moderated?.at]);
}
