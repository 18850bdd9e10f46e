/**
 * Structured data of an article page: a schema.org NewsArticle and its BreadcrumbList, shaped as Google's
 * Article and Breadcrumb structured-data guidelines ask (absolute URLs, ISO-8601 times with zone).
 */
import type { ArticleView } from '../../articles/service.ts';
import { paths, type SiteView } from '../../web/site.ts';
import { fallbackVariants } from './featured-image.ts';
import { SITE_LOGO } from './site-logo.ts';
import { absoluteUrl, isoUtc } from './text.ts';
import type { JsonLdObject, JsonValue } from './types.ts';

/**
 * When the article last changed for readers: its last substantial revision (headline, dek, body, correction),
 * else its publication — the same time the sitemaps' lastmod and the feeds' updated carry. A save that changed
 * nothing readers see (updated_at) does not count.
 */
export function modifiedTime(article: Pick<ArticleView, 'publishedAt' | 'revisedAt'>): string {
  const published = isoUtc(article.publishedAt);
  const modified = article.revisedAt ? isoUtc(article.revisedAt) : published;
  return modified > published ? modified : published;
}

/** The publisher as a schema.org Organization with its logo (an ImageObject with pixel size). */
export function publisherJsonLd(site: SiteView): { [key: string]: JsonValue } {
  return {
    '@type': 'Organization',
    name: site.name,
    url: absoluteUrl(site, paths.home()),
    logo: { '@type': 'ImageObject', url: absoluteUrl(site, SITE_LOGO.path), width: SITE_LOGO.width, height: SITE_LOGO.height },
  };
}

/**
 * schema.org NewsArticle for `article` at `canonical`: headline, description, image (absolute URLs of the
 * featured image, widest first; absent without one), datePublished, dateModified, author (Person with name and
 * author-page url; the publisher Organization when there is no byline), publisher, mainEntityOfPage (WebPage
 * whose @id is the canonical URL), isAccessibleForFree and inLanguage.
 */
export function newsArticleJsonLd(site: SiteView, article: ArticleView, canonical: string, description: string): JsonLdObject {
  const image = article.featured ? fallbackVariants(site, article.featured.image).map((v) => v.url) : [];
  const authors: JsonValue[] = article.authors.length
    ? article.authors.map((a) => ({ '@type': 'Person', name: a.name, url: absoluteUrl(site, paths.author(a.slug)) }))
    : [{ '@type': 'Organization', name: site.name, url: absoluteUrl(site, paths.home()) }];
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${canonical}#article`,
    url: canonical,
    headline: article.headline,
    description,
    ...(image.length ? { image } : {}),
    datePublished: isoUtc(article.publishedAt),
    dateModified: modifiedTime(article),
    author: authors,
    publisher: publisherJsonLd(site),
    mainEntityOfPage: { '@type': 'WebPage', '@id': canonical },
    ...(article.section ? { articleSection: article.section.name } : {}),
    ...(article.tags.length ? { keywords: article.tags.map((t) => t.name) } : {}),
    isAccessibleForFree: true,
    inLanguage: site.language,
  };
}

/**
 * schema.org WebPage for a page ("About us") at `canonical`: name, description, image, datePublished,
 * dateModified, publisher and inLanguage; no author or section, since a page is the publication's own.
 */
export function webPageJsonLd(site: SiteView, page: ArticleView, canonical: string, description: string): JsonLdObject {
  const image = page.featured ? fallbackVariants(site, page.featured.image).map((v) => v.url) : [];
  return {
    '@context': 'https://schema.org',
    '@type': 'WebPage',
    '@id': canonical,
    url: canonical,
    name: page.headline,
    description,
    ...(image.length ? { image } : {}),
    datePublished: isoUtc(page.publishedAt),
    dateModified: modifiedTime(page),
    publisher: publisherJsonLd(site),
    inLanguage: site.language,
  };
}

/** schema.org BreadcrumbList: Home → Section (when the article has one) → the article, with absolute URLs. */
export function articleBreadcrumbJsonLd(site: SiteView, article: Pick<ArticleView, 'headline'> & Partial<Pick<ArticleView, 'section'>>, canonical: string): JsonLdObject {
  const trail = [
    { name: 'Home', item: absoluteUrl(site, paths.home()) },
    ...(article.section ? [{ name: article.section.name, item: absoluteUrl(site, paths.section(article.section.slug)) }] : []),
    { name: article.headline, item: canonical },
  ];
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((crumb, i) => ({ '@type': 'ListItem', position: i + 1, name: crumb.name, item: crumb.item })),
  };
}
