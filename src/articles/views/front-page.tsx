/** The front page: the lead story, the latest stories, then a block per section. */
import type { ArticleSummary } from '../service.ts';
import type { NamedRef } from '../store.ts';
import { frontPageMetadata } from '../../distribution/metadata/listing.ts';
import { Layout } from '../../web/views/layout.tsx';
import { paths, type SiteView } from '../../web/site.ts';
import { StoryCard, StoryList } from './listing.tsx';

export interface FrontPageProps {
  site: SiteView;
  /** The lead story; its dek is the summary to show (the dek, or the lede when it has none). */
  lead?: ArticleSummary;
  secondary: ArticleSummary[];
  latest: ArticleSummary[];
  sectionBlocks: { section: NamedRef; stories: ArticleSummary[] }[];
}

export function FrontPage({ site, lead, secondary, latest, sectionBlocks }: FrontPageProps) {
  return (
    <Layout site={site} currentSection="" {...frontPageMetadata(site)}>
      <h1 class="visually-hidden">{site.name}</h1>
      {lead ? (
        <div class="front-top">
          <section class="lead" aria-labelledby="lead-heading">
            <h2 id="lead-heading" class="visually-hidden">
              Top story
            </h2>
            <StoryCard site={site} story={lead} className="story story-lead" />
            {secondary.length ? (
              <div class="front-secondary">
                {secondary.map((story) => (
                  <StoryCard site={site} story={story} className="story story-secondary" />
                ))}
              </div>
            ) : null}
          </section>
          <section class="latest" aria-labelledby="latest-heading">
            <h2 id="latest-heading" class="block-heading">
              Latest
            </h2>
            <StoryList site={site} stories={latest} />
          </section>
        </div>
      ) : (
        <p class="empty">Nothing has been published yet.</p>
      )}
      {sectionBlocks.map(({ section, stories }) => (
        <section class="section-block" aria-labelledby={`block-${section.slug}`}>
          <h2 id={`block-${section.slug}`} class="block-heading">
            <a href={paths.section(section.slug)}>{section.name}</a>
          </h2>
          <div class="section-block-stories">
            {stories.map((story) => (
              <StoryCard site={site} story={story} showSection={false} />
            ))}
          </div>
        </section>
      ))}
    </Layout>
  );
}
