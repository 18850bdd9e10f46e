/** Section, author and tag pages: a heading, an optional description, stories newest first, a link to older ones. */
import type { ArticleSummary } from '../service.ts';
import type { FeedScope } from '../../distribution/metadata/alternates.ts';
import { listingMetadata } from '../../distribution/metadata/listing.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { SiteView } from '../../web/site.ts';
import { StoryList } from './listing.tsx';

export interface ListingPageProps {
  site: SiteView;
  /** "Section", "Author" or "Topic": shown above the heading. */
  kind: string;
  heading: string;
  description?: string;
  path: string;
  stories: ArticleSummary[];
  /** Whose stories these are: names the page's feeds. */
  scope: Exclude<FeedScope, { kind: 'site' }>;
  /** Query string value of this page when it is an older one (part of its canonical URL). */
  cursor?: string;
  /** Query string value for the next (older) page. */
  olderCursor?: string;
  isFirstPage: boolean;
  currentSection?: string;
}

export function ListingPage(props: ListingPageProps) {
  const { site, stories } = props;
  const title = props.isFirstPage ? `${props.heading} - ${site.name}` : `${props.heading} (older stories) - ${site.name}`;
  const pagePath = props.cursor ? `${props.path}?before=${encodeURIComponent(props.cursor)}` : props.path;
  const metadata = listingMetadata(site, { scope: props.scope, description: props.description, path: pagePath });
  return (
    <Layout site={site} title={title} currentSection={props.currentSection} {...metadata}>
      <header class="listing-header">
        <p class="listing-kind">{props.kind}</p>
        <h1>{props.heading}</h1>
        {props.description ? <p class="listing-description">{props.description}</p> : null}
      </header>
      {stories.length ? <StoryList site={site} stories={stories} level={2} showSection={props.kind !== 'Section'} /> : <p class="empty">No stories here yet.</p>}
      <nav class="pagination" aria-label="Pages">
        {!props.isFirstPage ? <a href={props.path}>Newest stories</a> : null}
        {props.olderCursor ? (
          <a href={`${props.path}?before=${encodeURIComponent(props.olderCursor)}`} rel="next">
            Older stories
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}
