/**
 * Keeps the search index in step with article content. Every content write calls indexArticle inside its own
 * transaction, so the index never disagrees with a committed article; who may see an article (status, embargo)
 * is decided when searching, so publishing, scheduling and unpublishing need no reindexing.
 */
import type { DB } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect.ts';
import { searchDocument } from './document.ts';
import * as store from './store.ts';

/** Indexes the stored headline, dek, tags and body of article `articleId` (or drops its entry if it is gone). */
export async function indexArticle(tx: DB, articleId: number): Promise<void> {
  const dialect = dialectOf(tx);
  const article = await store.findIndexable(tx, articleId);
  if (!article) return store.deleteDocument(tx, dialect, articleId);
  const tags = await store.tagNamesOf(tx, articleId);
  await store.writeDocument(tx, dialect, articleId, searchDocument({ headline: article.headline, dek: article.dek, bodyHtml: article.body_html, tags }));
}

/** Indexes each of `articleIds` again (e.g. after a tag they carry was renamed). */
export async function reindexArticles(tx: DB, articleIds: readonly number[]): Promise<void> {
  for (const id of articleIds) await indexArticle(tx, id);
}

/** Ids of the articles carrying a tag, to reindex after the tag changes. */
export const articlesTagged = store.articleIdsTagged;
