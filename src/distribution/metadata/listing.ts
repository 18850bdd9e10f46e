/** Page metadata of the front page and the section, tag and author pages: canonical, description, Open Graph, feeds. */
import { paths, type SiteView } from '../../web/site.ts';
import { feedAlternates, type FeedScope } from './alternates.ts';
import { publisherJsonLd } from './article-json-ld.ts';
import { absoluteUrl, describeText, openGraphLocale } from './text.ts';
import type { MetaTag, PageMetadata } from './types.ts';

/** Open Graph protocol `og:type` website tags and a `summary` Twitter card. */
export function websiteMetaTags(site: SiteView, page: { title: string; description: string; canonical: string }): MetaTag[] {
  return [
    { property: 'og:type', content: 'website' },
    { property: 'og:title', content: page.title },
    { property: 'og:description', content: page.description },
    { property: 'og:url', content: page.canonical },
    { property: 'og:site_name', content: site.name },
    { property: 'og:locale', content: openGraphLocale(site.language) },
    { name: 'twitter:card', content: 'summary' },
    { name: 'twitter:title', content: page.title },
    { name: 'twitter:description', content: page.description },
  ];
}

/**
 * The front page: the site's own feeds, and the publication as a schema.org NewsMediaOrganization with its logo
 * (Google reads an Organization's logo from the home page).
 */
export function frontPageMetadata(site: SiteView): PageMetadata {
  const canonical = absoluteUrl(site, paths.home());
  const description = `Latest news from ${site.name}.`;
  const organization = { '@context': 'https://schema.org', ...publisherJsonLd(site), '@type': 'NewsMediaOrganization' } as const;
  return { description, canonical, meta: websiteMetaTags(site, { title: site.name, description, canonical }), alternates: feedAlternates(site, { kind: 'site' }), jsonLd: [organization] };
}

export interface ListingMetadataInput {
  /** Whose stories the page lists; its feeds are linked. */
  scope: Exclude<FeedScope, { kind: 'site' }>;
  /** Section description or author bio, when there is one. */
  description?: string;
  /** Root-relative path of this page, query included for older pages (each page of a series is its own canonical). */
  path: string;
}

const FALLBACK_DESCRIPTIONS: Record<ListingMetadataInput['scope']['kind'], (name: string, site: string) => string> = {
  section: (name, site) => `The latest ${name} stories from ${site}.`,
  tag: (name, site) => `Stories about ${name} from ${site}.`,
  author: (name, site) => `Stories by ${name} for ${site}.`,
};

/** A section, tag or author page: its description (or a sentence naming it) and its own feeds. */
export function listingMetadata(site: SiteView, input: ListingMetadataInput): PageMetadata {
  const canonical = absoluteUrl(site, input.path);
  const description = describeText(input.description?.trim() || FALLBACK_DESCRIPTIONS[input.scope.kind](input.scope.name, site.name));
  const title = `${input.scope.name} - ${site.name}`;
  return { description, canonical, meta: websiteMetaTags(site, { title, description, canonical }), alternates: feedAlternates(site, input.scope), jsonLd: [] };
}
