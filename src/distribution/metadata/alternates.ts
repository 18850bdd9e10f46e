/** Feed autodiscovery links for reader pages, from the one table of distribution addresses (distribution/paths.ts). */
import type { SiteView } from '../../web/site.ts';
import { distributionPaths, FEED_TYPES, type FeedFormat } from '../paths.ts';
import type { AlternateLink } from './types.ts';

/** Whose feed a page offers: the whole site, or one section, tag or author (by slug). */
export type FeedScope = { kind: 'site' } | { kind: 'section' | 'tag' | 'author'; slug: string; name: string };

/** Formats in the order pages list them (feed readers that take the first link get RSS 2.0). */
const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];
const FORMAT_NAMES: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

function feedPath(scope: FeedScope, format: FeedFormat): string {
  switch (scope.kind) {
    case 'site':
      return distributionPaths.siteFeed(format);
    case 'section':
      return distributionPaths.sectionFeed(scope.slug, format);
    case 'tag':
      return distributionPaths.tagFeed(scope.slug, format);
    case 'author':
      return distributionPaths.authorFeed(scope.slug, format);
  }
}

/**
 * `<link rel="alternate">` entries for the RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds of `scope`, root-relative,
 * titled "The World News (RSS)" or "The World News: World (Atom)".
 */
export function feedAlternates(site: Pick<SiteView, 'name'>, scope: FeedScope): AlternateLink[] {
  const label = scope.kind === 'site' ? site.name : `${site.name}: ${scope.name}`;
  return FORMATS.map((format) => ({ type: FEED_TYPES[format], href: feedPath(scope, format), title: `${label} (${FORMAT_NAMES[format]})` }));
}

/** The RSS 2.0 feed of an article's approved comments. */
export function commentsFeedAlternate(article: { slug: string; headline: string }): AlternateLink {
  return { type: FEED_TYPES.rss, href: distributionPaths.commentsFeed(article.slug), title: `Comments on “${article.headline}” (RSS)` };
}
