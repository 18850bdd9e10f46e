/** The article page: kicker, headline (the page's only h1), dek, byline, dateline, body, credits, tags, comments. */
import type { ArticleView, RelatedStory } from '../service.ts';
import type { ComponentChildren } from 'preact';
import { commentCountLabel } from '../../comments/views/comments-section.tsx';
import { articleMetadata } from '../../distribution/metadata/article.ts';
import { Layout } from '../../web/views/layout.tsx';
import { formatDate, paths, type SiteView } from '../../web/site.ts';
import { Byline, Dateline } from './byline.tsx';

export interface ArticlePageProps {
  site: SiteView;
  article: ArticleView;
  /** The comments section (comments/views/comments-section.tsx); absent in previews. */
  comments?: ComponentChildren;
  /** Newsroom preview of an article that may not be public: a banner, no comments, not indexed. */
  preview?: { status: string; editHref: string };
  /** Other stories on the same topics or in the same section (service.ts getArticlePage). */
  related?: RelatedStory[];
}

/** "Related stories": links to other stories sharing a tag or the section, with their dates; nothing when none. */
export function RelatedStories({ site, stories }: { site: SiteView; stories: RelatedStory[] }) {
  if (!stories.length) return null;
  return (
    <aside class="related-stories" aria-labelledby="related-heading">
      <h2 id="related-heading">Related stories</h2>
      <ul>
        {stories.map((story) => (
          <li>
            <a href={paths.article(story.slug)}>{story.headline}</a>
            <time datetime={story.publishedAt}>{formatDate(site, story.publishedAt)}</time>
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** The featured image as a responsive <picture> (AVIF, WebP, fallback) with its size set, caption and photo credit. */
export function FeaturedImage({ featured }: { featured: NonNullable<ArticleView['featured']> }) {
  const sizes = '(min-width: 48rem) 42rem, 100vw';
  const { image } = featured;
  return (
    <figure class="featured-image">
      <picture>
        {image.sources.map((s) => (
          <source type={s.type} srcset={s.srcset} sizes={sizes} />
        ))}
        <img src={image.src} srcset={image.srcset} sizes={sizes} width={image.width} height={image.height} alt={featured.alt} decoding="async" fetchpriority="high" />
      </picture>
      {featured.caption || featured.credit ? (
        <figcaption>
          {featured.caption}
          {featured.credit ? <span class="photo-credit">{featured.credit}</span> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}

/** Dated correction notes at the foot of an article or page, nothing when there are none. */
export function Corrections({ site, corrections }: { site: SiteView; corrections: ArticleView['corrections'] }) {
  if (!corrections.length) return null;
  return (
    <aside class="article-corrections" aria-labelledby="corrections-heading">
      <h2 id="corrections-heading">{corrections.length === 1 ? 'Correction' : 'Corrections'}</h2>
      <ul>
        {corrections.map((c) => (
          <li>
            <time datetime={c.createdAt}>{formatDate(site, c.createdAt)}</time>: {c.text}
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** A preview's banner: readers cannot see this page. */
export function PreviewBanner({ preview }: { preview: NonNullable<ArticlePageProps['preview']> }) {
  return (
    <p class="preview-banner" role="status">
      Preview ({preview.status}): readers cannot see this page. <a href={preview.editHref}>Back to the editor</a>
    </p>
  );
}

export function ArticlePage({ site, article, comments, preview, related = [] }: ArticlePageProps) {
  // A preview is nobody's to share or index: it carries only its title and noindex.
  const metadata = preview ? undefined : articleMetadata(site, article);
  return (
    <Layout site={site} title={`${article.headline} - ${site.name}`} currentSection={article.section?.slug} noindex={preview !== undefined} {...metadata}>
      {preview ? <PreviewBanner preview={preview} /> : null}
      {/* A microdata item so the body's itemprop="articleBody" (a reader-mode hint) belongs to something; same @id as the JSON-LD. */}
      <article class="article" itemscope itemtype="https://schema.org/NewsArticle" itemid={metadata ? `${metadata.canonical}#article` : undefined}>
        <header class="article-header">
          {article.section ? (
            <p class="kicker">
              <a href={paths.section(article.section.slug)}>{article.section.name}</a>
            </p>
          ) : null}
          <h1 class="headline">{article.headline}</h1>
          {article.dek ? <p class="dek">{article.dek}</p> : null}
          <div class="article-meta">
            <Byline site={site} authors={article.authors} />
            <Dateline site={site} place={article.dateline} publishedAt={article.publishedAt} revisedAt={article.revisedAt} />
            <a class="comment-count" href="#comments">
              {commentCountLabel(article.commentCount)}
            </a>
          </div>
        </header>
        {article.featured ? <FeaturedImage featured={article.featured} /> : null}
        <div class="article-body" itemprop="articleBody" dangerouslySetInnerHTML={{ __html: article.bodyHtml }} />
        {article.credits.length ? (
          <footer class="article-credits">
            {article.credits.map((credit) => (
              <p class="credit">{credit}</p>
            ))}
          </footer>
        ) : null}
        <Corrections site={site} corrections={article.corrections} />
        {article.tags.length ? (
          <nav class="article-tags" aria-label="Topics">
            <ul>
              {article.tags.map((t) => (
                <li>
                  <a href={paths.tag(t.slug)} rel="tag">
                    {t.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </article>
      {preview ? null : <RelatedStories site={site} stories={related} />}
      {preview ? null : comments}
    </Layout>
  );
}
