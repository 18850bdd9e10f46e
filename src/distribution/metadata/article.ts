/** Page metadata of an article or page: canonical URL, description, Open Graph, Twitter card, feed links and JSON-LD. */
import { commentsShown, type ArticleView } from '../../articles/service.ts';
import { ledeOf } from '../../lib/sanitize.ts';
import { articlePath, paths, type SiteView } from '../../web/site.ts';
import { commentsFeedAlternate, feedAlternates } from './alternates.ts';
import { articleBreadcrumbJsonLd, modifiedTime, newsArticleJsonLd, webPageJsonLd } from './article-json-ld.ts';
import { socialImage } from './featured-image.ts';
import { absoluteUrl, describeText, isoUtc, openGraphLocale } from './text.ts';
import type { MetaTag, PageMetadata } from './types.ts';

/** The article's summary for search results and cards: its dek, else its lede (first paragraph), trimmed. */
export function articleDescription(article: Pick<ArticleView, 'dek' | 'bodyHtml'>): string {
  return describeText(article.dek.trim() || ledeOf(article.bodyHtml));
}

/**
 * Open Graph protocol tags (`og:type` article, title, description, url, site_name, locale, image with width,
 * height and alt; `article:published_time`, `modified_time`, `section`, one `tag` per tag and one `author` per
 * byline author page) followed by the Twitter card (`summary_large_image` with an image, else `summary`).
 * A page ("About us") is `og:type` website, without the article:* tags.
 */
export function articleMetaTags(site: SiteView, article: ArticleView, canonical: string, description: string): MetaTag[] {
  const image = article.featured ? socialImage(site, article.featured.image) : undefined;
  const og = (property: string, content: string | number): MetaTag => ({ property, content: String(content) });
  const twitter = (name: string, content: string): MetaTag => ({ name, content });
  const news = article.kind === 'article';
  return [
    og('og:type', news ? 'article' : 'website'),
    og('og:title', article.headline),
    og('og:description', description),
    og('og:url', canonical),
    og('og:site_name', site.name),
    og('og:locale', openGraphLocale(site.language)),
    ...(image && article.featured ? [og('og:image', image.url), og('og:image:width', image.width), og('og:image:height', image.height), og('og:image:alt', article.featured.alt)] : []),
    ...(news
      ? [
          og('article:published_time', isoUtc(article.publishedAt)),
          og('article:modified_time', modifiedTime(article)),
          ...(article.section ? [og('article:section', article.section.name)] : []),
          ...article.tags.map((t) => og('article:tag', t.name)),
          ...article.authors.map((a) => og('article:author', absoluteUrl(site, paths.author(a.slug)))),
        ]
      : []),
    twitter('twitter:card', image ? 'summary_large_image' : 'summary'),
    twitter('twitter:title', article.headline),
    twitter('twitter:description', description),
    ...(image && article.featured ? [twitter('twitter:image', image.url), twitter('twitter:image:alt', article.featured.alt)] : []),
  ];
}

/**
 * Everything the article page carries in <head>; it links the site's feeds and the article's comments feed.
 * A page is a schema.org WebPage at its /pages/ address, with the comments feed only when it shows comments.
 */
export function articleMetadata(site: SiteView, article: ArticleView): PageMetadata {
  const canonical = absoluteUrl(site, articlePath(article));
  const description = articleDescription(article);
  const news = article.kind === 'article';
  return {
    description,
    canonical,
    meta: articleMetaTags(site, article, canonical, description),
    alternates: [...feedAlternates(site, { kind: 'site' }), ...(commentsShown(article) ? [commentsFeedAlternate(article)] : [])],
    jsonLd: news
      ? [newsArticleJsonLd(site, article, canonical, description), articleBreadcrumbJsonLd(site, article, canonical)]
      : [webPageJsonLd(site, article, canonical, description), articleBreadcrumbJsonLd(site, { headline: article.headline }, canonical)],
  };
}
