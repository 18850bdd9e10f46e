/**
 * SQL for sitemaps: visible articles and pages (embargo applied by publiclyVisible) oldest first in fixed-size
 * pages, the last 48 hours' articles for Google News (never pages: listedOnly), and the section, tag and author
 * pages that have an article to show.
 */
import type { ExpressionBuilder } from 'kysely';
import { listedOnly, publiclyVisible } from '../../articles/store.ts';
import type { DB } from '../../db/database.ts';
import type { ArticleRow } from '../../db/schema.ts';

export type SitemapArticleRow = Pick<ArticleRow, 'id' | 'slug' | 'kind' | 'headline' | 'revised_at' | 'featured_media_id' | 'featured_alt' | 'featured_caption'> & { published_at: string };

const COLUMNS = [
  'articles.id',
  'articles.slug',
  'articles.kind',
  'articles.headline',
  'articles.published_at',
  'articles.revised_at',
  'articles.featured_media_id',
  'articles.featured_alt',
  'articles.featured_caption',
] as const;

/** How many articles and pages readers may see at `now` (ISO-8601 UTC). */
export async function countVisibleArticles(db: DB, now: string): Promise<number> {
  const { count } = await db.selectFrom('articles').select((eb) => eb.fn.countAll<string | number>().as('count')).where(publiclyVisible(now)).executeTakeFirstOrThrow();
  return Number(count);
}

/**
 * Visible articles oldest first (publication time, then id), `limit` from `offset`: a new article lands on the
 * last page, so earlier pages keep their contents.
 */
export async function listSitemapArticles(db: DB, now: string, offset: number, limit: number): Promise<SitemapArticleRow[]> {
  const rows = await db.selectFrom('articles').select(COLUMNS).where(publiclyVisible(now)).orderBy('articles.published_at').orderBy('articles.id').limit(limit).offset(offset).execute();
  return rows as SitemapArticleRow[];
}

/**
 * For each page of `size` articles in listSitemapArticles' order, the latest publication and revision times on it
 * (ISO-8601 UTC), first page first: one pass numbering the rows (a window function both databases have).
 */
export async function pageTimes(db: DB, now: string, size: number): Promise<{ published: string | null; revised: string | null }[]> {
  const numbered = db
    .selectFrom('articles')
    .select((eb) => ['articles.published_at', 'articles.revised_at', eb.fn.agg<number>('row_number').over((over) => over.orderBy('articles.published_at').orderBy('articles.id')).as('position')])
    .where(publiclyVisible(now));
  // Integer literals, not parameters: SQLite divides bound numbers as reals, and PostgreSQL needs GROUP BY to repeat the SELECT's expression.
  const pageOf = (eb: ExpressionBuilder<{ numbered: { position: number } }, 'numbered'>) => eb(eb.parens('numbered.position', '-', eb.lit(1)), '/', eb.lit(Math.trunc(size)));
  const rows = await db
    .selectFrom(numbered.as('numbered'))
    .select((eb) => [pageOf(eb).as('page'), eb.fn.max('numbered.published_at').as('published'), eb.fn.max('numbered.revised_at').as('revised')])
    .groupBy(pageOf)
    .execute();
  // PostgreSQL's row_number() is a bigint, which pg returns as text.
  return rows
    .map((r) => ({ page: Number(r.page), published: r.published ?? null, revised: r.revised ?? null }))
    .sort((a, b) => a.page - b.page)
    .map(({ published, revised }) => ({ published, revised }));
}

/** Visible articles published at or after `since` (ISO-8601 UTC), newest first, at most `limit`. */
export async function listRecentArticles(db: DB, now: string, since: string, limit: number): Promise<SitemapArticleRow[]> {
  const rows = await db
    .selectFrom('articles')
    .select(COLUMNS)
    .where(publiclyVisible(now))
    .where(listedOnly())
    .where('articles.published_at', '>=', since)
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
  return rows as SitemapArticleRow[];
}

/** The publication time of the newest visible article published before `before` (ISO-8601 UTC), if any. */
export async function newestBefore(db: DB, now: string, before: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.max('articles.published_at').as('published'))
    .where(publiclyVisible(now))
    .where(listedOnly())
    .where('articles.published_at', '<', before)
    .executeTakeFirst();
  return row?.published ?? undefined;
}

/** A listing page and the publication time of its newest visible article (null when it has none). */
export interface ListingRow {
  slug: string;
  newest: string | null;
}

/** Every section (their pages exist even when empty), with its newest visible article's time. */
export async function sectionListings(db: DB, now: string): Promise<ListingRow[]> {
  return db
    .selectFrom('sections')
    .leftJoin('articles', (join) => join.onRef('articles.section_id', '=', 'sections.id').on(publiclyVisible(now)).on(listedOnly()))
    .select((eb) => ['sections.slug', eb.fn.max('articles.published_at').as('newest')])
    .groupBy(['sections.id', 'sections.slug'])
    .orderBy('sections.slug')
    .execute();
}

/** Tags with at least one visible article (the others answer 404), with the newest one's time. */
export async function tagListings(db: DB, now: string): Promise<ListingRow[]> {
  return db
    .selectFrom('tags')
    .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
    .innerJoin('articles', 'articles.id', 'article_tags.article_id')
    .select((eb) => ['tags.slug', eb.fn.max('articles.published_at').as('newest')])
    .where(publiclyVisible(now))
    .where(listedOnly())
    .groupBy(['tags.id', 'tags.slug'])
    .orderBy('tags.slug')
    .execute();
}

/** Authors with at least one visible article (newsroom staff without one stay private), with the newest one's time. */
export async function authorListings(db: DB, now: string): Promise<ListingRow[]> {
  return db
    .selectFrom('authors')
    .innerJoin('article_authors', 'article_authors.author_id', 'authors.id')
    .innerJoin('articles', 'articles.id', 'article_authors.article_id')
    .select((eb) => ['authors.slug', eb.fn.max('articles.published_at').as('newest')])
    .where(publiclyVisible(now))
    .where(listedOnly())
    .groupBy(['authors.id', 'authors.slug'])
    .orderBy('authors.slug')
    .execute();
}
