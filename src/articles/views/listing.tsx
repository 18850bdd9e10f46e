/** Story cards and lists shared by the front page and the section, author and tag pages. */
import type { ArticleSummary } from '../service.ts';
import { paths, type SiteView } from '../../web/site.ts';
import { ListingTime } from './byline.tsx';

function bylineText(story: ArticleSummary): string {
  const names = story.authors.map((a) => a.name);
  if (!names.length) return '';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** One story in a list; `level` sets its heading rank so the page outline stays logical. */
export function StoryCard({ site, story, level = 3, showSection = true, className = 'story' }: { site: SiteView; story: ArticleSummary; level?: 2 | 3; showSection?: boolean; className?: string }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  const byline = bylineText(story);
  return (
    <article class={className}>
      {showSection && story.section ? (
        <p class="kicker">
          <a href={paths.section(story.section.slug)}>{story.section.name}</a>
        </p>
      ) : null}
      <Heading class="story-headline">
        <a href={paths.article(story.slug)}>{story.headline}</a>
      </Heading>
      {story.dek ? <p class="story-dek">{story.dek}</p> : null}
      <p class="story-meta">
        {byline ? <span class="story-byline">By {byline}</span> : null}
        <ListingTime site={site} iso={story.publishedAt} />
        {story.commentCount ? (
          <a class="story-comments" href={`${paths.article(story.slug)}#comments`}>
            {story.commentCount === 1 ? '1 comment' : `${story.commentCount} comments`}
          </a>
        ) : null}
      </p>
    </article>
  );
}

/** Stories as an ordered list; `level` is their heading rank (2 right under a page's h1, 3 under a block's h2). */
export function StoryList({ site, stories, level = 3, showSection = true }: { site: SiteView; stories: ArticleSummary[]; level?: 2 | 3; showSection?: boolean }) {
  return (
    <ol class="story-list">
      {stories.map((story) => (
        <li>
          <StoryCard site={site} story={story} level={level} showSection={showSection} />
        </li>
      ))}
    </ol>
  );
}
