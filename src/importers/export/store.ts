/**
 * SQL of the exports: every section, author and tag, and every article of every status a batch at a time, with its
 * links, comments and old addresses.
 */
import type { DB } from '../../db/database.ts';
import type { ArticleRow, CommentRow, LegacyTargetKind } from '../../db/schema.ts';
import { authorsByArticle, type NamedRef } from '../../articles/store.ts';
import type { ExportLegacyPath } from '../json/format.ts';

/** An author profile with the email of the newsroom user who writes as it ('' for a byline without an account). */
export interface ExportAuthor {
  id: number;
  slug: string;
  name: string;
  bio: string;
  created_at: string;
  email: string;
}

export type ExportComment = Pick<CommentRow, 'id' | 'parent_id' | 'author_name' | 'author_email' | 'author_url' | 'body' | 'status' | 'created_at' | 'edited_at' | 'erased_at'>;

export type ExportArticleRow = Pick<
  ArticleRow,
  | 'id' | 'kind' | 'slug' | 'headline' | 'dek' | 'body_html' | 'dateline' | 'status' | 'section_id' | 'comment_status' | 'published_at' | 'created_at'
  | 'updated_at' | 'revised_at' | 'featured_alt' | 'featured_caption' | 'featured_credit' | 'import_source' | 'import_key'
>;

/** One article with everything the exports carry. Byline authors and tags are in their order on the article. */
export interface ExportArticle {
  row: ExportArticleRow;
  authors: NamedRef[];
  tags: NamedRef[];
  credits: string[];
  /** Oldest first. */
  corrections: { created_at: string; text: string }[];
  /** Earlier slugs that redirect to the article. */
  oldSlugs: string[];
  /** Old addresses of the imported article (legacy_paths), oldest first. */
  legacyPaths: ExportLegacyPath[];
  /** Every status, oldest first (so a parent comes before its replies). */
  comments: ExportComment[];
}

const ARTICLE_COLUMNS = [
  'id', 'kind', 'slug', 'headline', 'dek', 'body_html', 'dateline', 'status', 'section_id', 'comment_status', 'published_at', 'created_at',
  'updated_at', 'revised_at', 'featured_alt', 'featured_caption', 'featured_credit', 'import_source', 'import_key',
] as const;

/** Every author profile, oldest first, with its user's email when a newsroom user writes as it. */
export async function listExportAuthors(db: DB): Promise<ExportAuthor[]> {
  const rows = await db
    .selectFrom('authors')
    .leftJoin('users', 'users.author_id', 'authors.id')
    .select(['authors.id', 'authors.slug', 'authors.name', 'authors.bio', 'authors.created_at', 'users.email'])
    .orderBy('authors.id')
    .execute();
  // A profile shared by two accounts would appear twice: keep the first.
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map((r) => ({ ...r, email: r.email ?? '' }));
}

/**
 * Old addresses pointing at `kind` targets, by target id, oldest first: those of `ids`, or of every target of the
 * kind when `ids` is left out (sections, tags and authors have few).
 */
export async function legacyPathsByTarget(db: DB, kind: LegacyTargetKind, ids?: readonly number[]): Promise<Map<number, ExportLegacyPath[]>> {
  let query = db.selectFrom('legacy_paths').select(['target_id', 'path', 'source', 'created_at']).where('target_kind', '=', kind);
  if (ids) query = query.where('target_id', 'in', ids.length ? [...ids] : [0]);
  const map = new Map<number, ExportLegacyPath[]>();
  for (const { target_id, ...path } of await query.orderBy('created_at').orderBy('path').execute()) map.set(target_id, [...(map.get(target_id) ?? []), path]);
  return map;
}

/** Every article in id order, `size` at a time with their links and comments, so an export never holds the whole site. */
export async function* articleBatches(db: DB, size = 100): AsyncGenerator<ExportArticle[]> {
  for (let after = 0; ; ) {
    const rows = await db.selectFrom('articles').select(ARTICLE_COLUMNS).where('id', '>', after).orderBy('id').limit(size).execute();
    if (!rows.length) return;
    yield await withLinks(db, rows);
    after = rows[rows.length - 1]!.id;
  }
}

function groupBy<T extends { article_id: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) map.set(row.article_id, [...(map.get(row.article_id) ?? []), row]);
  return map;
}

async function withLinks(db: DB, rows: ExportArticleRow[]): Promise<ExportArticle[]> {
  const ids = rows.map((r) => r.id);
  const [authors, tags, credits, corrections, redirects, comments, legacyPaths] = await Promise.all([
    authorsByArticle(db, ids),
    db.selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').select(['article_tags.article_id', 'tags.slug', 'tags.name']).where('article_tags.article_id', 'in', ids).orderBy('article_tags.position').execute(),
    db.selectFrom('credits').select(['article_id', 'text']).where('article_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('corrections').select(['article_id', 'created_at', 'text']).where('article_id', 'in', ids).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('slug_redirects').select(['article_id', 'old_slug']).where('article_id', 'in', ids).orderBy('created_at').orderBy('old_slug').execute(),
    db
      .selectFrom('comments')
      .select(['article_id', 'id', 'parent_id', 'author_name', 'author_email', 'author_url', 'body', 'status', 'created_at', 'edited_at', 'erased_at'])
      .where('article_id', 'in', ids)
      .orderBy('id')
      .execute(),
    legacyPathsByTarget(db, 'article', ids),
  ]);
  const [tagsOf, creditsOf, correctionsOf, redirectsOf, commentsOf] = [groupBy(tags), groupBy(credits), groupBy(corrections), groupBy(redirects), groupBy(comments)];
  return rows.map((row) => ({
    row,
    authors: authors.get(row.id) ?? [],
    tags: (tagsOf.get(row.id) ?? []).map(({ slug, name }) => ({ slug, name })),
    credits: (creditsOf.get(row.id) ?? []).map((c) => c.text),
    corrections: (correctionsOf.get(row.id) ?? []).map(({ created_at, text }) => ({ created_at, text })),
    oldSlugs: (redirectsOf.get(row.id) ?? []).map((r) => r.old_slug),
    legacyPaths: legacyPaths.get(row.id) ?? [],
    comments: (commentsOf.get(row.id) ?? []).map(({ article_id: _article, ...comment }) => comment),
  }));
}

/**
 * Runs `read` in one read-only transaction, so an export is a consistent snapshot while the site keeps running
 * (PostgreSQL: repeatable read; SQLite: the snapshot of a WAL read transaction, taken at its first read).
 */
export async function inSnapshot<T>(db: DB, read: (tx: DB) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').execute(read);
}
