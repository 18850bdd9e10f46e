/**
 * What a change to published content makes stale: the surrogate keys (caching/surrogate-keys.ts) and, for caches
 * that purge by address, the paths of the pages that show it — the article, the front page and the first page of
 * each list it is in, their feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1), the sitemaps and the comments feed. Later
 * pages of a list (`?before=…`) and comment pages (`?cpage=…`) are reached by keys only; address-purging caches
 * let them age out (SHARED_CACHE_SECONDS).
 */
import type { DB } from '../db/database.ts';
import { distributionPaths, FEED_FILES, type FeedFormat } from '../distribution/paths.ts';
import { articlePath, paths } from '../web/site.ts';
import type { Purge } from './purge-hook.ts';
import { findArticlePlaces } from './store.ts';
import { cacheKeys } from './surrogate-keys.ts';

const FORMATS = Object.keys(FEED_FILES) as FeedFormat[];

/** A list page and its feeds. */
function listPaths(page: string, feed: (format: FeedFormat) => string): string[] {
  return [page, ...FORMATS.map(feed)];
}

/** Everything an article's publication, edit or withdrawal can change; only its own key when it no longer exists. */
export async function articlePurge(db: DB, articleId: number): Promise<Purge> {
  const article = await findArticlePlaces(db, articleId);
  if (!article) return { keys: [cacheKeys.article(articleId)], paths: [] };
  const keys = [cacheKeys.article(article.id), cacheKeys.front, cacheKeys.search, cacheKeys.sitemap, cacheKeys.feeds];
  const changed = [articlePath(article), distributionPaths.commentsFeed(article.slug), ...listPaths(paths.home(), distributionPaths.siteFeed)];
  if (article.section) {
    keys.push(cacheKeys.section(article.section.id));
    changed.push(...listPaths(paths.section(article.section.slug), (f) => distributionPaths.sectionFeed(article.section!.slug, f)));
  }
  for (const tag of article.tags) {
    keys.push(cacheKeys.tag(tag.id));
    changed.push(...listPaths(paths.tag(tag.slug), (f) => distributionPaths.tagFeed(tag.slug, f)));
  }
  for (const author of article.authors) {
    keys.push(cacheKeys.author(author.id));
    changed.push(...listPaths(paths.author(author.slug), (f) => distributionPaths.authorFeed(author.slug, f)));
  }
  changed.push(distributionPaths.sitemapIndex(), distributionPaths.sitemapPages(), distributionPaths.newsSitemap());
  return { keys, paths: changed };
}

/**
 * A change to an article's comments (approved, withdrawn, edited, deleted): its page and comments feed, and
 * through the article's key every list showing its comment count.
 */
export async function commentsPurge(db: DB, articleId: number): Promise<Purge> {
  const article = await findArticlePlaces(db, articleId);
  return { keys: [cacheKeys.article(articleId)], paths: article ? [articlePath(article), distributionPaths.commentsFeed(article.slug)] : [] };
}

/** A site-wide change (sections, navigation, settings): every page. Address-purging caches get the front page only. */
export const SITE_PURGE: Purge = { keys: [cacheKeys.site], paths: [paths.home()] };
