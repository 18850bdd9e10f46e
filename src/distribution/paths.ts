/**
 * Public addresses of the distribution outputs, in one place so pages (autodiscovery links), robots.txt, tests
 * and the outputs themselves agree: feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1), sitemaps, search and the API.
 */
export type FeedFormat = 'rss' | 'atom' | 'json';

/** File name of each feed format under a feed's base path. */
export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'feed.atom', json: 'feed.json' };

/** MIME type of each feed format (for Content-Type and <link rel="alternate" type>). */
export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

const slug = (s: string): string => encodeURIComponent(s);

export const distributionPaths = {
  /** Whole-site feed: `/feed.xml`, `/feed.atom`, `/feed.json`. */
  siteFeed: (format: FeedFormat): string => `/${FEED_FILES[format]}`,
  sectionFeed: (section: string, format: FeedFormat): string => `/section/${slug(section)}/${FEED_FILES[format]}`,
  tagFeed: (tag: string, format: FeedFormat): string => `/tag/${slug(tag)}/${FEED_FILES[format]}`,
  authorFeed: (author: string, format: FeedFormat): string => `/author/${slug(author)}/${FEED_FILES[format]}`,
  /** RSS 2.0 feed of an article's approved comments. */
  commentsFeed: (article: string): string => `/articles/${slug(article)}/comments/feed.xml`,
  /** Sitemap index (sitemaps.org 0.9). */
  sitemapIndex: (): string => '/sitemap.xml',
  /** One page of the article sitemap, 1-based. */
  sitemapPage: (page: number): string => `/sitemaps/articles-${page}.xml`,
  /** Sections, tags, authors and the front page. */
  sitemapPages: (): string => '/sitemaps/pages.xml',
  /** Google News sitemap: articles published in the last 48 hours. */
  newsSitemap: (): string => '/sitemaps/news.xml',
  robots: (): string => '/robots.txt',
  search: (query?: string): string => (query ? `/search?q=${encodeURIComponent(query)}` : '/search'),
  api: (path: string): string => `/api/v1${path}`,
  openApi: (): string => '/api/v1/openapi.json',
};
