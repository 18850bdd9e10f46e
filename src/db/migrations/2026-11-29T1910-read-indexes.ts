/**
 * Indexes for reader-facing reads (checked by db/query-plans.test.ts on both databases). Listings filter on
 * `status in ('published', 'scheduled')` (the embargo), and an IN list on an index's first column cannot deliver
 * rows in published_at order: every visible article was read and sorted for each page. These put the equality
 * columns first and (published_at, id) last, so a newest-first page with a keyset cursor reads only its rows:
 * kind for the front page, feeds, news sitemap and the API (kind=page too); section_id + kind for sections;
 * (published_at, id) alone for the sitemap of articles and pages, oldest first. (updated_at, id) answers a
 * feed's "latest change to any once-public article" (max(updated_at), read backwards from the newest instead of
 * every row) and orders the newsroom's list. The bylines and tags indexes gain
 * article_id, so a listing's "articles of this author/tag" is read from the index alone; they replace the
 * single-column ones, whose lookups they serve as well.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('articles_kind_published_idx').on('articles').columns(['kind', 'published_at', 'id']).execute();
  await db.schema.createIndex('articles_section_kind_published_idx').on('articles').columns(['section_id', 'kind', 'published_at', 'id']).execute();
  await db.schema.createIndex('articles_published_id_idx').on('articles').columns(['published_at', 'id']).execute();
  await db.schema.createIndex('articles_updated_idx').on('articles').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('article_authors_author_article_idx').on('article_authors').columns(['author_id', 'article_id']).execute();
  await db.schema.dropIndex('article_authors_author_idx').execute();
  await db.schema.createIndex('article_tags_tag_article_idx').on('article_tags').columns(['tag_id', 'article_id']).execute();
  await db.schema.dropIndex('article_tags_tag_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('article_tags_tag_idx').on('article_tags').column('tag_id').execute();
  await db.schema.dropIndex('article_tags_tag_article_idx').execute();
  await db.schema.createIndex('article_authors_author_idx').on('article_authors').column('author_id').execute();
  await db.schema.dropIndex('article_authors_author_article_idx').execute();
  for (const index of ['articles_updated_idx', 'articles_published_id_idx', 'articles_section_kind_published_idx', 'articles_kind_published_idx']) await db.schema.dropIndex(index).execute();
}
