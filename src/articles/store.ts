/** SQL for articles and their sections, authors, tags and credits (Kysely builder, same code on SQLite and PostgreSQL). */
import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../db/database.ts';
import { containsText, dialectOf, jsonArrayFrom, jsonObjectFrom, type DialectName, type JsonColumn } from '../db/dialect.ts';
import type { ArticleKind, ArticleRow, Database, NewArticleRow } from '../db/schema.ts';
import { reusableQuery } from '../db/reusable-query.ts';

/**
 * What readers may see at `now` (ISO-8601 UTC): published or scheduled articles whose publication time has come.
 * The embargo lives here, in every public query, so a scheduled article appears at its time even before the
 * scheduler has flipped its status, and never a moment earlier.
 */
export function publiclyVisible(now: string) {
  return (eb: ExpressionBuilder<Database, 'articles'>) =>
    eb.and([eb('articles.status', 'in', ['published', 'scheduled']), eb('articles.published_at', 'is not', null), eb('articles.published_at', '<=', now)]);
}

/**
 * Listed articles only: pages ("About us") are published and reachable but never listed in archives, feeds or
 * news sitemaps. Put it beside publiclyVisible in every listing query.
 */
export function listedOnly() {
  return (eb: ExpressionBuilder<Database, 'articles'>) => eb('articles.kind', '=', 'article');
}

export interface NamedRef {
  slug: string;
  name: string;
}

/** Keyset cursor for newest-first listings: the last row seen. */
export interface ListCursor {
  publishedAt: string;
  id: number;
}

export interface ListFilter {
  sectionId?: number;
  authorId?: number;
  tagId?: number;
  /** 'article' (the default: what listings show) or 'page' (pages, for the content API's `?kind=page`). */
  kind?: ArticleKind;
  before?: ListCursor;
  /** ISO-8601 UTC: only articles published at or after this time. */
  since?: string;
  limit: number;
  /** ISO-8601 UTC: only articles visible at this time are listed. */
  now: string;
}

const SUMMARY_COLUMNS = [
  'articles.id',
  'articles.slug',
  'articles.headline',
  'articles.dek',
  'articles.published_at',
  'articles.comment_count',
  'articles.section_id',
] as const;

export type ArticleSummaryRow = Pick<ArticleRow, 'id' | 'slug' | 'headline' | 'dek' | 'comment_count' | 'section_id'> & { published_at: string };

/** Published articles (or, with `kind: 'page'`, pages) newest first (by published_at, then id), filtered and keyset-paginated. */
export async function listPublished(db: DB, filter: ListFilter): Promise<ArticleSummaryRow[]> {
  let query = db.selectFrom('articles').select(SUMMARY_COLUMNS).where(publiclyVisible(filter.now)).where('articles.kind', '=', filter.kind ?? 'article');
  if (filter.sectionId !== undefined) query = query.where('articles.section_id', '=', filter.sectionId);
  if (filter.authorId !== undefined) {
    const authorId = filter.authorId;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('article_authors').select('article_authors.article_id').whereRef('article_authors.article_id', '=', 'articles.id').where('article_authors.author_id', '=', authorId)),
    );
  }
  if (filter.tagId !== undefined) {
    const tagId = filter.tagId;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('article_tags').select('article_tags.article_id').whereRef('article_tags.article_id', '=', 'articles.id').where('article_tags.tag_id', '=', tagId)),
    );
  }
  if (filter.since !== undefined) query = query.where('articles.published_at', '>=', filter.since);
  if (filter.before) {
    const { publishedAt, id } = filter.before;
    query = query.where((eb) => eb.or([eb('articles.published_at', '<', publishedAt), eb.and([eb('articles.published_at', '=', publishedAt), eb('articles.id', '<', id)])]));
  }
  const rows = await query.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(filter.limit).execute();
  return rows as ArticleSummaryRow[];
}

/** The article with this slug if readers may see it at `now`, or undefined. */
export async function findPublishedBySlug(db: DB, slug: string, now: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('slug', '=', slug).where(publiclyVisible(now)).executeTakeFirst();
}

/** Columns of an article that its page shows. */
const PAGE_COLUMNS = [
  'articles.id',
  'articles.slug',
  'articles.kind',
  'articles.headline',
  'articles.dek',
  'articles.body_html',
  'articles.dateline',
  'articles.status',
  'articles.published_at',
  'articles.updated_at',
  'articles.revised_at',
  'articles.comment_status',
  'articles.comment_count',
  'articles.featured_alt',
  'articles.featured_caption',
  'articles.featured_credit',
] as const;

/** An article with everything its page shows; the lists are JSON columns (db/dialect.ts readJson), in display order. */
export type ArticleWithLinksRow = Pick<ArticleRow, 'id' | 'slug' | 'kind' | 'headline' | 'dek' | 'body_html' | 'dateline' | 'status' | 'published_at' | 'updated_at' | 'revised_at' | 'comment_status' | 'comment_count' | 'featured_alt' | 'featured_caption' | 'featured_credit'> & {
  section: JsonColumn<NamedRef> | null;
  authors: JsonColumn<NamedRef[]>;
  tags: JsonColumn<NamedRef[]>;
  credits: JsonColumn<{ text: string }[]>;
  corrections: JsonColumn<{ created_at: string; text: string }[]>;
  /** The featured image's media row (`variants`: JSON text), or null. */
  featured: JsonColumn<{ width: number; height: number; variants: string }> | null;
  /** With `site`: every section in navigation order. */
  nav_sections?: JsonColumn<NamedRef[]>;
  /** With `site`: the settings value stored under `site.settingKey`, or null. */
  setting?: string | null;
  /** With `site`: the newest stories sharing a tag with it, and the newest in its section (RELATED_STORIES each). */
  related_by_tag?: JsonColumn<RelatedRow[]>;
  related_in_section?: JsonColumn<RelatedRow[]>;
};

/** A related story as the article page links it. */
export interface RelatedRow {
  id: number;
  slug: string;
  headline: string;
  published_at: string;
}

/** Related stories read per kind (sharing a tag; same section); the page shows at most this many in all. */
export const RELATED_STORIES = 4;

/**
 * Stories sharing a tag are looked for among this many of the newest ("related" means recent on the same topics):
 * the bound keeps the page's own read cheap. Page benchmark, cache off, CPU per page on one host: no related stories
 * 1.14 ms, the section's only 1.35, with tags in a window of 100 1.57, of 500 1.9.
 */
export const RELATED_WINDOW = 100;

/**
 * In ONE statement, the article that `which` names (its id; or its slug, if readers may see it at `now`) with its
 * section, bylines, tags, credits, corrections and featured image, and, with `site` (by slug only), what every page
 * of the site shows too (the navigation sections, one stored setting) and its related stories (listed articles
 * readers may see at `now`, newest first: those among the RELATED_WINDOW newest that share a tag with it, and those
 * in its section, an index walk that stops after RELATED_STORIES rows): an article page is then this and its
 * comment thread.
 */
export async function findArticleWithLinks(db: DB, which: { id: number } | { slug: string; now: string }, site?: { settingKey: string }): Promise<ArticleWithLinksRow | undefined> {
  const options = { by: 'id' in which ? ('id' as const) : ('slug' as const), site: site !== undefined };
  const [row] = await articleWithLinks(db, options, { ...which, ...site });
  return row;
}

const articleWithLinks = reusableQuery('articleWithLinks', (db: DB, options: { by: 'id' | 'slug'; site: boolean }, values: { id?: number; slug?: string; now?: string; settingKey?: string }) => {
  const dialect = dialectOf(db);
  let query = db
    .selectFrom('articles')
    .select(PAGE_COLUMNS)
    .select((eb) => [
      jsonObjectFrom(dialect, eb.selectFrom('sections').select(['sections.slug', 'sections.name']).whereRef('sections.id', '=', 'articles.section_id')).as('section'),
      jsonArrayFrom(
        dialect,
        eb.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id').select(['authors.slug', 'authors.name']).whereRef('article_authors.article_id', '=', 'articles.id').orderBy('article_authors.position'),
      ).as('authors'),
      jsonArrayFrom(
        dialect,
        eb.selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').select(['tags.slug', 'tags.name']).whereRef('article_tags.article_id', '=', 'articles.id').orderBy('article_tags.position'),
      ).as('tags'),
      jsonArrayFrom(dialect, eb.selectFrom('credits').select('credits.text').whereRef('credits.article_id', '=', 'articles.id').orderBy('credits.position')).as('credits'),
      jsonArrayFrom(
        dialect,
        eb.selectFrom('corrections').select(['corrections.created_at', 'corrections.text']).whereRef('corrections.article_id', '=', 'articles.id').orderBy('corrections.created_at').orderBy('corrections.id'),
      ).as('corrections'),
      jsonObjectFrom(dialect, eb.selectFrom('media').select(['media.width', 'media.height', 'media.variants']).whereRef('media.id', '=', 'articles.featured_media_id')).as('featured'),
    ]);
  if (options.site) {
    query = query.select((eb) => [
      jsonArrayFrom(dialect, eb.selectFrom('sections').select(['sections.slug', 'sections.name']).orderBy('sections.position').orderBy('sections.name')).as('nav_sections'),
      eb.selectFrom('settings').select('settings.value').where('settings.key', '=', values.settingKey!).as('setting'),
    ]);
    if (options.by === 'slug') {
      const now = values.now!;
      query = query.select((eb) => [
        // Among the RELATED_WINDOW newest stories only, read from the (kind, published_at, id) index alone: the
        // rows' status lies past the body in the table, a page read per row (unbounded, an article whose tags no
        // recent story shares walked all 10,000 stories of the benchmark's database: ~55 ms a page).
        jsonArrayFrom(
          dialect,
          eb
            .selectFrom(
              eb
                .selectFrom('articles as c')
                .select('c.id')
                .where('c.kind', '=', 'article')
                .where('c.published_at', 'is not', null)
                .where('c.published_at', '<=', now)
                .whereRef('c.id', '<>', 'articles.id')
                .orderBy('c.published_at', 'desc')
                .orderBy('c.id', 'desc')
                .limit(RELATED_WINDOW)
                .as('recent'),
            )
            .innerJoin('articles as r', 'r.id', 'recent.id')
            .select(['r.id', 'r.slug', 'r.headline', 'r.published_at'])
            .where(({ exists, selectFrom }) =>
              exists(selectFrom('article_tags as theirs').innerJoin('article_tags as mine', 'mine.tag_id', 'theirs.tag_id').select('theirs.article_id').whereRef('mine.article_id', '=', 'articles.id').whereRef('theirs.article_id', '=', 'recent.id')),
            )
            .where('r.status', 'in', ['published', 'scheduled'])
            .orderBy('r.published_at', 'desc')
            .orderBy('r.id', 'desc')
            .limit(RELATED_STORIES),
        ).as('related_by_tag'),
        // The section's newest: an index walk (section_id, kind, published_at, id) that stops at the fourth.
        jsonArrayFrom(
          dialect,
          eb
            .selectFrom('articles as r')
            .select(['r.id', 'r.slug', 'r.headline', 'r.published_at'])
            .where('r.kind', '=', 'article')
            .where('r.status', 'in', ['published', 'scheduled'])
            .where('r.published_at', 'is not', null)
            .where('r.published_at', '<=', now)
            .whereRef('r.id', '<>', 'articles.id')
            .whereRef('r.section_id', '=', 'articles.section_id')
            .orderBy('r.published_at', 'desc')
            .orderBy('r.id', 'desc')
            .limit(RELATED_STORIES),
        ).as('related_in_section'),
      ]);
    }
  }
  query = options.by === 'id' ? query.where('articles.id', '=', values.id!) : query.where('articles.slug', '=', values.slug!).where(publiclyVisible(values.now!));
  return query.$castTo<ArticleWithLinksRow>();
});

/** Marks scheduled articles whose time has come as published; returns their ids. A conditional update, so each flips once. */
export async function publishDue(db: DB, now: string): Promise<number[]> {
  const rows = await db
    .updateTable('articles')
    .set({ status: 'published' })
    .where('status', '=', 'scheduled')
    .where('published_at', '<=', now)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The first `chars` characters of an article's body HTML (enough for its lede, without loading a long body). */
export async function findBodyStart(db: DB, id: number, chars = 4000): Promise<string | undefined> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn<string>('substr', ['body_html', eb.val(1), eb.val(chars)]).as('start'))
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.start;
}

export async function findByImportKey(db: DB, source: string, key: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('import_source', '=', source).where('import_key', '=', key).executeTakeFirst();
}

export async function slugTaken(db: DB, slug: string): Promise<boolean> {
  return (await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

export async function insertArticle(db: DB, row: NewArticleRow): Promise<number> {
  const { id } = await db.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateArticle(db: DB, id: number, changes: Partial<NewArticleRow>): Promise<void> {
  await db.updateTable('articles').set(changes).where('id', '=', id).execute();
}

/** Ordered authors of each article in `articleIds`, keyed by article id. */
export async function authorsByArticle(db: DB, articleIds: readonly number[]): Promise<Map<number, NamedRef[]>> {
  const byArticle = new Map<number, NamedRef[]>();
  if (!articleIds.length) return byArticle;
  const rows = await db
    .selectFrom('article_authors')
    .innerJoin('authors', 'authors.id', 'article_authors.author_id')
    .select(['article_authors.article_id', 'authors.slug', 'authors.name'])
    .where('article_authors.article_id', 'in', articleIds)
    .orderBy('article_authors.article_id')
    .orderBy('article_authors.position')
    .execute();
  for (const row of rows) {
    const list = byArticle.get(row.article_id) ?? [];
    list.push({ slug: row.slug, name: row.name });
    byArticle.set(row.article_id, list);
  }
  return byArticle;
}

export async function tagsOfArticle(db: DB, articleId: number): Promise<NamedRef[]> {
  return db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['tags.slug', 'tags.name'])
    .where('article_tags.article_id', '=', articleId)
    .orderBy('article_tags.position')
    .execute();
}

export async function creditsOfArticle(db: DB, articleId: number): Promise<string[]> {
  const rows = await db.selectFrom('credits').select('text').where('article_id', '=', articleId).orderBy('position').execute();
  return rows.map((r) => r.text);
}

/** Replaces the ordered author, tag and credit lists of an article. Call inside the article's transaction. */
export async function replaceArticleLinks(db: DB, articleId: number, links: { authorIds: number[]; tagIds: number[]; credits: string[] }): Promise<void> {
  await db.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
  await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  await db.deleteFrom('credits').where('article_id', '=', articleId).execute();
  if (links.authorIds.length) {
    await db.insertInto('article_authors').values(links.authorIds.map((author_id, position) => ({ article_id: articleId, author_id, position }))).execute();
  }
  if (links.tagIds.length) {
    await db.insertInto('article_tags').values(links.tagIds.map((tag_id, position) => ({ article_id: articleId, tag_id, position }))).execute();
  }
  if (links.credits.length) {
    await db.insertInto('credits').values(links.credits.map((text, position) => ({ article_id: articleId, text, position }))).execute();
  }
}

export async function countArticles(db: DB): Promise<number> {
  const { count } = await db.selectFrom('articles').select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}

export interface NewsroomListRow {
  id: number;
  slug: string;
  kind: ArticleKind;
  headline: string;
  status: ArticleRow['status'];
  section_name: string | null;
  published_at: string | null;
  updated_at: string;
  comment_count: number;
}

export interface NewsroomFilter {
  status?: ArticleRow['status'];
  kind?: ArticleKind;
  sectionId?: number;
  authorId?: number;
  /** Text searched in headlines (case-insensitive, literal). */
  search?: string;
  limit: number;
  offset: number;
}

/** Every article matching `filter`, whatever its status, most recently updated first, for the newsroom's list. */
export async function listForNewsroom(db: DB, dialect: DialectName, filter: NewsroomFilter): Promise<NewsroomListRow[]> {
  let query = db
    .selectFrom('articles')
    .leftJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.slug', 'articles.kind', 'articles.headline', 'articles.status', 'sections.name as section_name', 'articles.published_at', 'articles.updated_at', 'articles.comment_count']);
  if (filter.status) query = query.where('articles.status', '=', filter.status);
  if (filter.kind) query = query.where('articles.kind', '=', filter.kind);
  if (filter.sectionId !== undefined) query = query.where('articles.section_id', '=', filter.sectionId);
  if (filter.authorId !== undefined) {
    const authorId = filter.authorId;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('article_authors').select('article_authors.article_id').whereRef('article_authors.article_id', '=', 'articles.id').where('article_authors.author_id', '=', authorId)),
    );
  }
  if (filter.search?.trim()) query = query.where(containsText(dialect, 'articles.headline', filter.search.trim()));
  return query.orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

/** The article an old slug now points to, if any. */
export async function findRedirect(db: DB, oldSlug: string): Promise<number | undefined> {
  return (await db.selectFrom('slug_redirects').select('article_id').where('old_slug', '=', oldSlug).executeTakeFirst())?.article_id;
}

/** Records that `oldSlug` moved to article `articleId` (replacing any earlier mapping of that slug). */
export async function addRedirect(db: DB, oldSlug: string, articleId: number, now: string): Promise<void> {
  await db
    .insertInto('slug_redirects')
    .values({ old_slug: oldSlug, article_id: articleId, created_at: now })
    .onConflict((oc) => oc.column('old_slug').doUpdateSet({ article_id: articleId, created_at: now }))
    .execute();
}

export async function removeRedirect(db: DB, slug: string): Promise<void> {
  await db.deleteFrom('slug_redirects').where('old_slug', '=', slug).execute();
}

/** The current slug and kind of the visible article an old slug redirects to, if any (never reveals an embargoed one). */
export async function findRedirectTarget(db: DB, oldSlug: string, now: string): Promise<{ slug: string; kind: ArticleKind } | undefined> {
  return db
    .selectFrom('slug_redirects')
    .innerJoin('articles', 'articles.id', 'slug_redirects.article_id')
    .select(['articles.slug', 'articles.kind'])
    .where('slug_redirects.old_slug', '=', oldSlug)
    .where(publiclyVisible(now))
    .executeTakeFirst();
}

/** Corrections of an article, oldest first: `{ created_at, text }`. */
export async function correctionsOf(db: DB, articleId: number): Promise<{ created_at: string; text: string }[]> {
  return db.selectFrom('corrections').select(['created_at', 'text']).where('article_id', '=', articleId).orderBy('created_at').orderBy('id').execute();
}
