/**
 * Sitemap rules (sitemaps.org 0.9): an index over paginated article sitemaps, a sitemap of listing pages, a
 * Google News sitemap of the last 48 hours, image entries for featured images, and robots.txt naming the index.
 * Only what readers may see now is listed (publiclyVisible); lastmod is the last substantial revision, else the
 * publication time.
 */
import type { IndexItem, SitemapItemLoose } from 'sitemap';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/database.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import { NotFound } from '../../lib/errors.ts';
import type { MediaStorage } from '../../media/storage.ts';
import { articlePath, paths } from '../../web/site.ts';
import { featuredImages } from '../feeds/feed-image.ts';
import { lastArticleChange, latest } from '../feeds/store.ts';
import { absoluteUrl } from '../metadata/text.ts';
import { distributionPaths } from '../paths.ts';
import { googleNewsLanguage } from './news-language.ts';
import { renderIndex, renderUrlset } from './render.ts';
import * as store from './store.ts';

export interface SitemapDeps {
  db: DB;
  clock: Clock;
  storage: MediaStorage;
  config: Pick<Config, 'siteName' | 'siteUrl' | 'siteLanguage' | 'sitemapPageSize'>;
}

/** A generated document and when its content last changed (ISO-8601 UTC, for Last-Modified). */
export interface SitemapDocument {
  xml: string;
  lastModified: string | undefined;
}

/** Google News takes articles published in the last two days, at most 1,000 per sitemap. */
const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000;
const NEWS_LIMIT = 1000;
/** sitemaps.org: a `<loc>` longer than this is invalid, so such an address is left out. */
const MAX_LOC_LENGTH = 2048;
/** Longest image caption kept, in UTF-16 units: what sitemap readers (the `sitemap` package's parser among them) accept. */
const MAX_CAPTION_LENGTH = 512;

const abs = (deps: SitemapDeps, path: string): string => absoluteUrl({ url: deps.config.siteUrl }, path);

/** Article pages of the article sitemap: ceil(visible articles / SITEMAP_PAGE_SIZE). */
async function articlePageCount(deps: SitemapDeps, now: string): Promise<number> {
  return Math.ceil((await store.countVisibleArticles(deps.db, now)) / deps.config.sitemapPageSize);
}

/** `<url>` entries for articles: lastmod, and the featured image (image:image) when there is one. */
async function articleItems(deps: SitemapDeps, rows: readonly store.SitemapArticleRow[]): Promise<SitemapItemLoose[]> {
  const images = await featuredImages({ ...deps, siteUrl: deps.config.siteUrl }, rows);
  return rows.map((row) => {
    const image = row.featured_media_id === null ? undefined : images.get(row.featured_media_id);
    const caption = (row.featured_caption || row.featured_alt).slice(0, MAX_CAPTION_LENGTH);
    return {
      url: abs(deps, articlePath(row)),
      lastmod: latest([row.published_at, row.revised_at]),
      img: image ? [{ url: image.url, ...(caption ? { caption } : {}) }] : [],
    };
  });
}

const fits = (item: { url: string }): boolean => item.url.length <= MAX_LOC_LENGTH;

/**
 * When any sitemap's content last changed (ISO-8601 UTC): an article published, revised, saved or unpublished, or
 * (for the news sitemap and the index) an article aging out of the 48-hour news window.
 */
async function changedAt(deps: SitemapDeps, now: string): Promise<string | undefined> {
  const agedOut = await store.newestBefore(deps.db, now, newsSince(now));
  return latest([await lastArticleChange(deps.db, { withPages: true }, now), agedOut && new Date(Date.parse(agedOut) + NEWS_WINDOW_MS).toISOString()]);
}

const newsSince = (now: string): string => new Date(Date.parse(now) - NEWS_WINDOW_MS).toISOString();

/** The sitemap index: every article page (with its newest lastmod), the listing pages, and news when there is any. */
export async function sitemapIndex(deps: SitemapDeps): Promise<SitemapDocument> {
  const now = isoNow(deps.clock);
  const items: IndexItem[] = (await store.pageTimes(deps.db, now, deps.config.sitemapPageSize)).map((times, i) => ({
    url: abs(deps, distributionPaths.sitemapPage(i + 1)),
    lastmod: latest([times.published, times.revised]),
  }));
  const listings = await listingTimes(deps, now);
  items.push({ url: abs(deps, distributionPaths.sitemapPages()), lastmod: latest(listings.map((l) => l.newest)) });
  const news = await store.listRecentArticles(deps.db, now, newsSince(now), 1);
  if (news.length) items.push({ url: abs(deps, distributionPaths.newsSitemap()), lastmod: news[0]!.published_at });
  return { xml: await renderIndex(items), lastModified: await changedAt(deps, now) };
}

/** Page `page` (1-based) of the article sitemap, SITEMAP_PAGE_SIZE articles oldest first. Throws NotFound past the last page. */
export async function articleSitemap(deps: SitemapDeps, page: number): Promise<SitemapDocument> {
  const now = isoNow(deps.clock);
  const size = deps.config.sitemapPageSize;
  if (page < 1 || page > (await articlePageCount(deps, now))) throw new NotFound(`No article sitemap ${page}`);
  const rows = await store.listSitemapArticles(deps.db, now, (page - 1) * size, size);
  return { xml: await renderUrlset((await articleItems(deps, rows)).filter(fits)), lastModified: await changedAt(deps, now) };
}

async function listingTimes(deps: SitemapDeps, now: string): Promise<(store.ListingRow & { path: string })[]> {
  const [sections, tags, authors] = await Promise.all([store.sectionListings(deps.db, now), store.tagListings(deps.db, now), store.authorListings(deps.db, now)]);
  return [
    ...sections.map((s) => ({ ...s, path: paths.section(s.slug) })),
    ...tags.map((t) => ({ ...t, path: paths.tag(t.slug) })),
    ...authors.map((a) => ({ ...a, path: paths.author(a.slug) })),
  ];
}

/** The front page, every section, and the tags and authors that have a visible article, each with its newest article's time. */
export async function pagesSitemap(deps: SitemapDeps): Promise<SitemapDocument> {
  const now = isoNow(deps.clock);
  const listings = await listingTimes(deps, now);
  const entry = (path: string, lastmod: string | null | undefined): SitemapItemLoose => ({ url: abs(deps, path), ...(lastmod ? { lastmod } : {}) });
  const items = [entry(paths.home(), latest(listings.map((l) => l.newest))), ...listings.map((l) => entry(l.path, l.newest))].filter(fits);
  return { xml: await renderUrlset(items), lastModified: await changedAt(deps, now) };
}

/**
 * The Google News sitemap: articles published in the last 48 hours, newest first (at most 1,000), with
 * news:publication (SITE_NAME, SITE_LANGUAGE as Google names it), news:publication_date and news:title. Throws
 * NotFound when nothing was published in that time.
 */
export async function newsSitemap(deps: SitemapDeps): Promise<SitemapDocument> {
  const now = isoNow(deps.clock);
  const rows = await store.listRecentArticles(deps.db, now, newsSince(now), NEWS_LIMIT);
  // A <urlset> needs at least one <url> (sitemaps.org schema); with no news there is no news sitemap, and the index leaves it out.
  if (!rows.length) throw new NotFound('Nothing published in the last 48 hours');
  const publication = { name: deps.config.siteName, language: googleNewsLanguage(deps.config.siteLanguage) };
  const items = (await articleItems(deps, rows)).map((item, i) => ({
    ...item,
    news: { publication, publication_date: rows[i]!.published_at, title: rows[i]!.headline },
  }));
  return { xml: await renderUrlset(items.filter(fits)), lastModified: await changedAt(deps, now) };
}

/** robots.txt: everyone may crawl the reader site but not the newsroom; the sitemap index by absolute URL. */
export function robotsTxt(config: Pick<Config, 'siteUrl'>): string {
  return ['User-agent: *', 'Disallow: /admin', '', `Sitemap: ${absoluteUrl({ url: config.siteUrl }, distributionPaths.sitemapIndex())}`, ''].join('\n');
}
