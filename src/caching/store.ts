/**
 * Queries of the caching domain: what an article touches (its section, tags and bylines), for purges; embargo
 * times; the content version that writers outside the site change.
 */
import type { DB } from '../db/database.ts';
import { CONTENT_VERSION_KEY, findSetting } from '../settings/store.ts';
import type { ArticleKind } from '../db/schema.ts';

export interface ArticlePlaces {
  id: number;
  slug: string;
  kind: ArticleKind;
  section?: { id: number; slug: string };
  tags: { id: number; slug: string }[];
  authors: { id: number; slug: string }[];
}

/** The article `id` with the lists it appears in; undefined when it no longer exists. */
export async function findArticlePlaces(db: DB, id: number): Promise<ArticlePlaces | undefined> {
  const article = await db
    .selectFrom('articles')
    .leftJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.slug', 'articles.kind', 'sections.id as section_id', 'sections.slug as section_slug'])
    .where('articles.id', '=', id)
    .executeTakeFirst();
  if (!article) return undefined;
  const [tags, authors] = await Promise.all([
    db.selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').select(['tags.id', 'tags.slug']).where('article_tags.article_id', '=', id).execute(),
    db.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id').select(['authors.id', 'authors.slug']).where('article_authors.article_id', '=', id).execute(),
  ]);
  const section = article.section_id !== null && article.section_slug !== null ? { id: article.section_id, slug: article.section_slug } : undefined;
  return { id: article.id, slug: article.slug, kind: article.kind, section, tags, authors };
}

/** Statuses of articles that become visible by themselves when their publication time comes (articles/store.ts publiclyVisible). */
const EMBARGO_STATUSES = ['published', 'scheduled'] as const;

/** The earliest publication time after `now` (ISO-8601 UTC) of an article waiting for it; undefined when none waits. */
export async function nextEmbargoLift(db: DB, now: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.min('published_at').as('next'))
    .where('status', 'in', EMBARGO_STATUSES)
    .where('published_at', '>', now)
    .executeTakeFirst();
  return row?.next ?? undefined;
}

/** Ids of the articles whose publication time fell in (`after`, `until`]: the embargoes lifted then. */
export async function liftedBetween(db: DB, after: string, until: string): Promise<number[]> {
  const rows = await db.selectFrom('articles').select('id').where('status', 'in', EMBARGO_STATUSES).where('published_at', '>', after).where('published_at', '<=', until).execute();
  return rows.map((r) => r.id);
}

/** The marker imports and the CLI change (settings/store.ts markContentChanged); '' before any did. */
export async function readContentVersion(db: DB): Promise<string> {
  return (await findSetting(db, CONTENT_VERSION_KEY)) ?? '';
}
