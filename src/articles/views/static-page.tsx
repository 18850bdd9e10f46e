/** The page template ("About us", "Contact"): headline (the only h1), featured image, body, corrections, comments if shown. */
import { commentsShown } from '../service.ts';
import { articleMetadata } from '../../distribution/metadata/article.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Corrections, FeaturedImage, PreviewBanner, type ArticlePageProps } from './article-page.tsx';

/** No byline, dateline, section kicker, credits or tags: a page is the publication's own and is never listed. */
export function StaticPage({ site, article: page, comments, preview }: ArticlePageProps) {
  const metadata = preview ? undefined : articleMetadata(site, page);
  return (
    <Layout site={site} title={`${page.headline} - ${site.name}`} noindex={preview !== undefined} {...metadata}>
      {preview ? <PreviewBanner preview={preview} /> : null}
      <article class="article static-page">
        <header class="article-header">
          <h1 class="headline">{page.headline}</h1>
        </header>
        {page.featured ? <FeaturedImage featured={page.featured} /> : null}
        <div class="article-body" dangerouslySetInnerHTML={{ __html: page.bodyHtml }} />
        <Corrections site={site} corrections={page.corrections} />
      </article>
      {preview || !commentsShown(page) ? null : comments}
    </Layout>
  );
}
