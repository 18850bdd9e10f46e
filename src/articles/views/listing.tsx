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

export function StoryList({ site, stories, showSection = true }: { site: SiteView; stories: ArticleSummary[]; showSection?: boolean }) {
  return (
    <ol class="story-list">
      {stories.map((story) => (
        <li>
          <StoryCard site={site} story={story} showSection={showSection} />
        </li>
      ))}
    </ol>
  );
}
